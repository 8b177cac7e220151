"""The case list's filters (shared by the page and its CSV) and the CSV itself."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import abort
from werkzeug.datastructures import MultiDict

from cases.models import Case, CaseStatus, Subdistrict, Village, utcnow
from cases.reminders import overdue_condition

from .formatting import iso_utc

PAGE_SIZE = 50
CSV_COLUMNS = (
    "reference", "status", "category_code", "village_code", "agency_code", "channel",
    "created_at", "accepted_at", "done_at", "rating",
)
MAX_FILTER = 40
"""Longest value a filter may have (a code, a reference)."""


@dataclass(frozen=True)
class Filters:
    status: str = ""
    category: str = ""
    district: str = ""
    agency: str = ""
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_args(cls, args: MultiDict) -> "Filters":
        """The filters of a request; 400 on a value no case could match by its form."""
        values = {name: (args.get(name) or "").strip() for name in ("status", "category", "district", "agency", "q")}
        if any(len(value) > MAX_FILTER for value in values.values()):
            abort(400, "a filter value is too long")
        if values["status"] and values["status"] not in {status.value for status in CaseStatus}:
            abort(400, "status must be one of " + ", ".join(status.value for status in CaseStatus))
        values["q"] = "".join(ch for ch in values["q"] if ch.isdigit())
        overdue = (args.get("overdue") or "") in ("1", "true", "on")
        return cls(overdue=overdue, **values)

    def as_args(self) -> dict:
        """The filters as query arguments (for links to other pages and the CSV)."""
        args = {name: getattr(self, name) for name in ("status", "category", "district", "agency", "q")}
        if self.overdue:
            args["overdue"] = "1"
        return {name: value for name, value in args.items() if value}


def query(filters: Filters, agency_codes: set[str] | None):
    """The cases matching ``filters`` among those of ``agency_codes`` (None: every agency), newest first."""
    found = Case.select(Case).join(Village).join(Subdistrict).switch(Case)
    if agency_codes is not None:
        found = found.where(Case.agency.in_(sorted(agency_codes)))
    if filters.status:
        found = found.where(Case.status == CaseStatus(filters.status))
    if filters.category:
        found = found.where(Case.category == filters.category)
    if filters.district:
        found = found.where(Subdistrict.district == filters.district)
    if filters.agency:
        found = found.where(Case.agency == filters.agency)
    if filters.overdue:
        found = found.where(overdue_condition(utcnow()))
    if filters.q:
        found = found.where(Case.reference.contains(filters.q))
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
