"""The case list's filters (shared by the page and its CSV) and the CSV itself."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from flask import abort
from werkzeug.datastructures import MultiDict

from cases.casework.reminders import overdue_condition
from cases.province.phones import THAI_DIGITS
from cases.reporting.stats import FIRST_DAY, LAST_DAY, utc_midnight
from cases.store.models import OPEN_STATUSES, Case, CaseStatus, Subdistrict, Village, utcnow

from .formatting import iso_utc

PAGE_SIZE = 50
CSV_COLUMNS = (
    "reference", "status", "category_code", "village_code", "agency_code", "channel",
    "created_at", "accepted_at", "done_at", "rating",
)
FILTER_NAMES = ("status", "category", "district", "subdistrict", "agency", "q")
"""The list's text filters (besides ``overdue``, ``from`` and ``to``)."""
OPEN = "open"
"""The ``status`` filter's value for every open status (new, assigned, accepted)."""
STATUSES = (OPEN, *(status.value for status in CaseStatus))
MAX_FILTER = 40
"""Longest value a filter may have (a code, a reference)."""


@dataclass(frozen=True)
class Filters:
    status: str = ""
    category: str = ""
    district: str = ""
    subdistrict: str = ""
    agency: str = ""
    overdue: bool = False
    q: str = ""
    start: dt.date | None = None  # ``from``: filed on this Bangkok day or later
    end: dt.date | None = None  # ``to``: filed on this Bangkok day or earlier

    @classmethod
    def from_args(cls, args: MultiDict) -> "Filters":
        """The filters of a request; 400 on a value no case could match by its form."""
        values = {name: (args.get(name) or "").strip() for name in FILTER_NAMES}
        if any(len(value) > MAX_FILTER for value in values.values()):
            abort(400, "a filter value is too long")
        if any(not value.isprintable() for value in values.values()):
            abort(400, "a filter value holds control characters")
        if values["status"] and values["status"] not in STATUSES:
            abort(400, "status must be one of " + ", ".join(STATUSES))
        values["q"] = ascii_digits(values["q"])
        overdue = (args.get("overdue") or "") in ("1", "true", "on")
        return cls(overdue=overdue, start=_day(args, "from"), end=_day(args, "to"), **values)

    def as_args(self) -> dict:
        """The filters as query arguments (for links to other pages and the CSV)."""
        args = {name: getattr(self, name) for name in FILTER_NAMES}
        if self.overdue:
            args["overdue"] = "1"
        args.update({"from": self.start and self.start.isoformat(), "to": self.end and self.end.isoformat()})
        return {name: value for name, value in args.items() if value}


def ascii_digits(text: str) -> str:
    """The digits of ``text`` as ASCII: Thai digits read as digits, anything else dropped
    (a reference typed ๖๒๗-๒๕๒๔ or 627 2524)."""
    return "".join(ch for ch in text.translate(THAI_DIGITS) if ch in "0123456789")


def _day(args: MultiDict, name: str) -> dt.date | None:
    """The ISO date ``name`` of the request (none when empty); 400 when it is not a date
    between the years 2000 and 2200 (a Buddhist-era year, 2569, is refused, not misread)."""
    text = (args.get(name) or "").strip()
    try:
        day = dt.date.fromisoformat(text) if text else None
    except ValueError:
        day = dt.date.min
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        abort(400, f"{name} must be a date like 2026-11-01 (Christian era)")
    return day


def query(filters: Filters, agency_codes: set[str] | None):
    """The cases matching ``filters`` among those of ``agency_codes`` (None: every agency), newest first."""
    found = Case.select(Case).join(Village).join(Subdistrict).switch(Case)
    if agency_codes is not None:
        found = found.where(Case.agency.in_(sorted(agency_codes)))
    if filters.status == OPEN:
        found = found.where(Case.status.in_(OPEN_STATUSES))
    elif filters.status:
        found = found.where(Case.status == CaseStatus(filters.status))
    if filters.category:
        found = found.where(Case.category == filters.category)
    if filters.district:
        found = found.where(Subdistrict.district == filters.district)
    if filters.subdistrict:
        found = found.where(Village.subdistrict == filters.subdistrict)
    if filters.agency:
        found = found.where(Case.agency == filters.agency)
    if filters.overdue:
        found = found.where(overdue_condition(utcnow()))
    if filters.q:
        found = found.where(Case.reference.contains(filters.q))
    if filters.start:
        found = found.where(Case.created_at >= utc_midnight(filters.start))
    if filters.end:
        found = found.where(Case.created_at < utc_midnight(filters.end + dt.timedelta(days=1)))
    return found.order_by(Case.created_at.desc(), Case.id.desc())


def csv_text(cases) -> str:
    """The cases as CSV (UTF-8 with a BOM, so Excel shows Thai)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for case in cases:
        writer.writerow([
            case.reference, case.status.value, case.category_id, case.village_id, case.agency_id or "",
            case.channel, iso_utc(case.created_at), iso_utc(case.accepted_at),
            iso_utc(case.closed_at if case.status == CaseStatus.DONE else None), "" if case.rating is None else case.rating,
        ])
    return out.getvalue()
