"""Reference numbers: digits only, ended by a Damm check digit.

The Damm check digit catches every single wrong digit and every swap of two neighbouring
digits, which are the slips people make on a keypad or reading a number aloud.
"""
from __future__ import annotations

import re
import secrets

BODY_LENGTH = 6
"""Digits before the check digit; a reference is 7 digits while the space lasts."""

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

REFERENCE_PATTERN = re.compile(r"(?<!\d)\d(?:-?\d){5,9}(?!\d)")
"""A run of 6 to 10 digits, a hyphen allowed between two digits."""


def check_digit(body: str) -> str:
    """The Damm check digit of a string of digits."""
    interim = 0
    for char in body:
        interim = _DAMM[interim][int(char)]
    return str(interim)


def is_valid(reference: str) -> bool:
    """True when ``reference`` is 6–10 digits whose last digit checks the others."""
    return reference.isdigit() and 6 <= len(reference) <= 10 and check_digit(reference) == "0"


def generate(body_length: int = BODY_LENGTH) -> str:
    """A new random reference (not yet checked for uniqueness)."""
    body = str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(body_length - 1))
    return body + check_digit(body)


def clean(text: str) -> str:
    """Strip the hyphens and spaces people type inside a reference."""
    return re.sub(r"[\s\-]", "", text)


SPACED = re.compile(r"^[\d\s\-]+$")
"""Text that is only digits, spaces and hyphens: a reference typed in groups (``462 5949``)."""


def find_in(text: str) -> str | None:
    """The reference written in ``text``, hyphens removed, or None. Text that is nothing but
    digits in groups (``462 5949``) is read as one reference when the groups make 6–10 digits."""
    match = REFERENCE_PATTERN.search(text)
    if match:
        return clean(match.group(0))
    joined = clean(text)
    return joined if SPACED.match(text.strip() or "x") and 6 <= len(joined) <= 10 else None
