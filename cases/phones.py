"""Phone numbers: Thai local or E.164 in, E.164 out; masked for staff (PDPA)."""
from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "TH"
"""Numbers without a country code are Thai."""
DIGIT = "[0-9\u0e50-\u0e59]"  # Arabic or Thai digits
NUMBER_IN_TEXT = re.compile(rf"(?<![0-9\u0e50-\u0e59])(?:\+|\(?(?=[0\u0e50])|(?=66|\u0e56\u0e56)){DIGIT}(?:[ .\-]?\)?[ .\-]?{DIGIT}){{8,14}}")
"""A phone number written inside free text: ``+``, ``0`` or ``66`` then 9 to 15 digits in all (not
inside a longer run), with single spaces, dots, hyphens or a bracket between them (``081-234-5678``,
``(053) 511 111``, ``+66 81 234 5678``, Thai digits); a village code (8 digits) is left alone."""
THAI_DIGITS = str.maketrans("\u0e50\u0e51\u0e52\u0e53\u0e54\u0e55\u0e56\u0e57\u0e58\u0e59", "0123456789")


class InvalidPhone(ValueError):
    """The text is not a phone number we can reach."""


def to_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """``0812345678`` or ``+66 81 234 5678`` → ``+66812345678``; raises InvalidPhone."""
    text = (raw or "").strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(raw) from error
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_e164(raw: str) -> str | None:
    """Like ``to_e164`` but None for anything that is not a phone number."""
    try:
        return to_e164(raw)
    except InvalidPhone:
        return None


def local_form(e164: str) -> str:
    """``+66812345678`` → ``0812345678`` for Thai numbers; others unchanged."""
    if e164.startswith("+66"):
        return "0" + e164[3:]
    return e164


def masked(e164: str) -> str:
    """A phone shown to staff: ``08x-xxx-5678`` (never a run of 6 digits)."""
    local = local_form(e164)
    return f"{local[:2]}x-xxx-{local[-4:]}"


def masked_in_text(text: str) -> str:
    """``text`` with every phone number written in it masked like ``masked`` (what a citizen
    typed may hold their own number, or a neighbour's: never shown outside the agency)."""
    def mask(match: re.Match) -> str:
        digits = "".join(ch for ch in match.group().translate(THAI_DIGITS) if ch.isdigit())
        return masked("+" + digits if match.group().startswith("+") else digits)

    return NUMBER_IN_TEXT.sub(mask, text or "")


def spaced(e164: str) -> str:
    """The whole number for calling back, in its local form with spaces (``081 234 5678``,
    ``053 511 111``): never a run of 6 digits, so it cannot be read as a reference."""
    local = local_form(e164)
    sizes = (3, 3, 4) if len(local) == 10 else (3, 3, 3) if len(local) == 9 and local[:2] != "02" else (2, 3, 4)
    groups, start = [], 0
    for size in sizes:
        groups.append(local[start:start + size])
        start += size
    if start < len(local):
        groups += [local[index:index + 4] for index in range(start, len(local), 4)]
    return " ".join(group for group in groups if group)
