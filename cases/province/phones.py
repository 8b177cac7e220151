"""Phone numbers: Thai local or E.164 in, E.164 out; masked for staff and the public (PDPA).

``masked_in_text`` finds every written form of a phone number and of a Thai national ID in
free text (a description, a note): digits of any script, grouped by spaces, hyphens, dots,
slashes, underscores or brackets, ``+66``/``66`` forms; it leaves village codes, case
references, dates, money, times and house numbers alone.
"""
from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import carrier

from cases.store import reference

DEFAULT_REGION = "TH"
"""Numbers without a country code are Thai."""
THAI_DIGITS = str.maketrans("\u0e50\u0e51\u0e52\u0e53\u0e54\u0e55\u0e56\u0e57\u0e58\u0e59", "0123456789")
"""Thai digits → Arabic digits (for references and codes typed in Thai)."""
SEPARATOR_CHARS = " -./_()"
"""What people write between the digit groups of a number (after ``PlainDigits``)."""


class PlainDigits(dict):
    """A ``str.translate`` table, filled as it is used, that writes every decimal digit of any
    script (Thai ``๐-๙``, full-width ``０-９``…) as ``0-9`` and every space, dash, slash, dot,
    underscore, plus or bracket of any width as its ASCII form — one character for one, so a
    match in the translated text is at the same place in the original."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isdecimal():
            found = str(unicodedata.decimal(char))
        elif unicodedata.category(char) == "Zs" or char == "\t":
            found = " "
        elif unicodedata.category(char) == "Pd" or char == "\u2212":  # a dash, or the minus sign
            found = "-"
        else:
            compatible = unicodedata.normalize("NFKC", char)
            found = compatible if len(compatible) == 1 and compatible in SEPARATOR_CHARS + "+" else char
        self[code] = found
        return found


PLAIN_DIGITS = PlainDigits()
"""The one shared ``PlainDigits`` table."""

_LEAD = r"(?:\(?\+?\(?)"  # "+", "(" or "(+" before the first digit: +66…, (053)…, (+66)…
_GROUP = r"[0-9]+"  # one group of digits
_SEPARATOR = r"[ \-./_()]{1,3}"  # up to three of space - . / _ ( ) between two groups
NUMBER_RUN = re.compile(rf"(?<![0-9]){_LEAD}{_GROUP}(?:{_SEPARATOR}{_GROUP})*")
"""Digit groups joined by separators (after ``PLAIN_DIGITS``), holding a number or more."""
GROUP = re.compile(_GROUP)
"""One group of digits inside a ``NUMBER_RUN``."""

PHONE_LENGTHS = (9, 10)
"""Digits of a Thai number written with its leading 0 (landline 02 123 4567, mobile 081 234 5678)."""
COUNTRY = "66"
"""Thailand's calling code (``+66 81 234 5678``, ``66812345678``)."""
NATIONAL_FIRST = "23456789"
"""The first digit of a Thai number after ``66`` (landlines 2-7, mobiles 6, 8, 9)."""
FOREIGN_LENGTHS = range(9, 16)
"""Digits after a ``+`` of another country's number."""
ID_LENGTH = 13
"""Digits of a Thai national ID (``1-2345-67890-12-3``)."""
ID_BREAKS = frozenset({1, 5, 10, 12})
"""Where the card prints the hyphens of an ID: its groups may break only there."""
ID_MASK = "x-xxxx-xxxxx-xx-"
"""An ID shown with its last digit only."""
MAX_DIGITS = max(ID_LENGTH, len(COUNTRY) + 1 + max(PHONE_LENGTHS), max(FOREIGN_LENGTHS))
"""Digits one number may have at most: longer stretches of groups are not tried."""


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


OPERATORS = {"ais": "ais", "dtac": "dtac", "true": "true", "truemove": "true", "truemoveh": "true", "nt": "nt",
             "tot": "nt", "totmobile": "nt", "cat": "nt", "mybycat": "nt", "penguin": "penguin", "penguinsim": "penguin"}
"""A Thai mobile operator as people and phonenumbers' data write it (letters only, lower case)
→ one name for it (TOT and CAT are NT now)."""


def operator_name(written: str) -> str | None:
    """One name for an operator however it is written ("True Move H", "TRUE", "dtac"); None for none."""
    letters = "".join(char for char in (written or "").lower() if char.isalnum())
    return OPERATORS.get(letters, letters) or None


def operator_of(e164: str) -> str | None:
    """The operator a number was given out by (phonenumbers' data); a ported number is not
    seen, so this only guides a preference, never where an SMS can go."""
    try:
        return operator_name(carrier.name_for_number(phonenumbers.parse(e164, DEFAULT_REGION), "en"))
    except phonenumbers.NumberParseException:
        return None


def masked(e164: str) -> str:
    """A phone shown to staff: ``08x-xxx-5678`` (never a run of 6 digits)."""
    local = local_form(e164)
    return f"{local[:2]}x-xxx-{local[-4:]}"


def masked_in_text(text: str) -> str:
    """``text`` with every phone number written in it masked like ``masked``, and every Thai
    national ID like ``x-xxxx-xxxxx-xx-3`` (what a citizen typed may hold their own number,
    or a neighbour's: never shown outside the agency)."""
    text = text or ""
    plain = text.translate(PLAIN_DIGITS)
    pieces, done = [], 0
    for run in NUMBER_RUN.finditer(plain):
        for start, end, shown in _numbers_in(plain, run):
            pieces += [text[done:start], shown]
            done = end
    return "".join(pieces) + text[done:]


def _numbers_in(plain: str, run: re.Match) -> list[tuple[int, int, str]]:
    """(start, end, masked form) of each phone number or ID in one run of digit groups: from
    each group on, the longest stretch of groups (at most MAX_DIGITS digits) that reads as
    one, left to right."""
    groups = list(GROUP.finditer(plain, run.start(), run.end()))
    found, first = [], 0
    while first < len(groups):
        lasts, digits = [], 0
        for last in range(first, len(groups)):
            digits += len(groups[last].group())
            if digits > MAX_DIGITS:
                break
            lasts.append(last)
        start = run.start() if first == 0 else groups[first].start()  # the first keeps its "+" or "("
        plus = "+" in plain[start:groups[first].start()]
        for last in reversed(lasts):
            shown = _masked_number([group.group() for group in groups[first:last + 1]], plus)
            if shown is not None:
                found.append((*_edges(plain, start, groups[last].end()), shown))
                first = last
                break
        first += 1
    return found


def _edges(plain: str, start: int, end: int) -> tuple[int, int]:
    """A number's span with the ``+`` and ``(`` right before it, and a ``)`` that closes one of its brackets."""
    while start > 0 and plain[start - 1] in "+(":
        start -= 1
    if plain.count("(", start, end) > plain.count(")", start, end) and plain[end:end + 1] == ")":
        end += 1
    return start, end


def _masked_number(groups: list[str], plus: bool) -> str | None:
    """The masked form of the number these digit groups make, or None when they make none."""
    digits = "".join(groups)
    if len(digits) == ID_LENGTH and digits[0] in "12345678" and not plus and _id_shape(groups):
        return ID_MASK + digits[-1]
    if digits.startswith(COUNTRY) and (plus or groups[0] == COUNTRY or len(digits) > max(PHONE_LENGTHS)
                                       or not reference.is_valid(digits)):
        national, rest = digits[len(COUNTRY):], _after_country(groups)
        national = national[1:] if national.startswith("0") else national  # +66 (0)81…
        if len(national) + 1 in PHONE_LENGTHS and national[0] in NATIONAL_FIRST and _phone_shape(rest):
            return masked("+" + COUNTRY + national)
        return None
    if plus:
        return masked("+" + digits) if len(digits) in FOREIGN_LENGTHS else None
    if digits.startswith("0") and len(digits) in PHONE_LENGTHS and _phone_shape(groups):
        return masked("+" + COUNTRY + digits[1:])
    return None


def _after_country(groups: list[str]) -> list[str]:
    """The groups after a ``66`` written as a group of its own (and a ``0`` after it)."""
    if groups[0] != COUNTRY:
        return groups
    rest = groups[1:]
    return rest[1:] if rest[:1] == ["0"] else rest


def _phone_shape(groups: list[str]) -> bool:
    """Groups as people write a phone number: one run, one digit each (``0 8 1 …``), or any
    first group then groups of 3 or more (``081 234 5678``, ``02-123-4567``); a date
    (``05/11/2569``) has a group of 2 after its first."""
    return len(groups) == 1 or all(len(group) == 1 for group in groups) or all(len(group) >= 3 for group in groups[1:])


def _id_shape(groups: list[str]) -> bool:
    """Groups as people write an ID: one digit each, or broken only where the card breaks it."""
    if all(len(group) == 1 for group in groups):
        return True
    breaks, offset = set(), 0
    for group in groups[:-1]:
        offset += len(group)
        breaks.add(offset)
    return breaks <= ID_BREAKS


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
