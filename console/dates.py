"""Dates as staff type and read them: day/month/year in the Buddhist era ("1/11/2569"), not the
browser's Gregorian picker. The query's ``from`` and ``to`` stay ISO dates (the contract): a
date typed in a form comes back as a redirect to the same page with it in ISO form."""
from __future__ import annotations

import datetime as dt
import re

from werkzeug.datastructures import MultiDict

from cases.province.phones import THAI_DIGITS

from .formatting import BUDDHIST_ERA_OFFSET

DATE_ARGS = ("from", "to")
FIRST_BE_YEAR = 2400
"""A typed year from this one on is Buddhist era (2569); below it, Christian era (2026)."""
_TYPED = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def be_input(day: dt.date | None) -> str:
    """A day as it is shown in a date field: "1/11/2569" ("" for none)."""
    return f"{day.day}/{day.month}/{day.year + BUDDHIST_ERA_OFFSET}" if day else ""


def typed_date(text: str) -> dt.date | None:
    """The day of a date typed day/month/year ("1/11/2569", "๑/๑๑/๒๕๖๙", "1.11.2026"); None
    when it is not one."""
    found = _TYPED.match((text or "").strip().translate(THAI_DIGITS))
    if not found:
        return None
    day, month, year = (int(part) for part in found.groups())
    if year >= FIRST_BE_YEAR:
        year -= BUDDHIST_ERA_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def iso_args(args: MultiDict) -> dict | None:
    """The query's arguments with typed dates (DATE_ARGS) in ISO form; None when none was typed
    (a date that cannot be read is left for the page to refuse)."""
    changed = {}
    for name in DATE_ARGS:
        text = (args.get(name) or "").strip()
        if text and not _ISO.match(text) and (day := typed_date(text)) is not None:
            changed[name] = day.isoformat()
    if not changed:
        return None
    return {**{name: args.getlist(name) for name in args}, **changed}
