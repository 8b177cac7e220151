"""Phone numbers: Thai local or E.164 in, E.164 out; masked for staff (PDPA)."""
from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "TH"
"""Numbers without a country code are Thai."""


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
