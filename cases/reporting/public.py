"""What anyone may see of cases (the open data behind the Open311 API): a search, and each
case's place, state in words and times in Bangkok. Never a reporter's phone, and the
reporter's own words only once staff made them public; phone numbers and IDs written in a
description or an agency's note are masked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from cases.casework import notify
from cases.casework.reminders import BANGKOK, DEFAULT_DAYS
from cases.language import texts
from cases.province.catalog import CATALOG
from cases.province.phones import masked_in_text
from cases.store.models import OPEN_STATUSES, Agency, Case, CaseEvent, CaseStatus, Category, Village

MAX_RESULTS = 1000
"""Cases one search gives at most (newest first)."""
DEFAULT_SPAN = dt.timedelta(days=90)
"""A search without dates covers this much time back from now; no search covers more."""
UTC = dt.timezone.utc


@dataclass
class PublicCase:
    """One case as the public sees it."""

    case: Case
    category: Category
    village: Village
    agency: Agency | None
    description: str  # empty unless staff made it public; then phone numbers and IDs masked
    note: str  # the state in words, or the agency's closing note (phones masked)
    updated_at: dt.datetime  # naive UTC: the last event
    expected_at: dt.datetime | None  # naive UTC: the deadline of an accepted case

    @property
    def open(self) -> bool:
        return self.case.status in OPEN_STATUSES


def search(references: list[str] | None = None, category: str | None = None, start: dt.datetime | None = None,
           end: dt.datetime | None = None, open_: bool | None = None, limit: int = MAX_RESULTS) -> list[Case]:
    """Cases newest first: those with ``references`` (then nothing else filters), else those of
    ``category`` filed between ``start`` and ``end`` (naive UTC), open or closed (``open_``)."""
    query = Case.select()
    if references is not None:
        query = query.where(Case.reference.in_(references))
    else:
        if category is not None:
            query = query.where(Case.category == category)
        if start is not None:
            query = query.where(Case.created_at >= start)
        if end is not None:
            query = query.where(Case.created_at <= end)
        if open_ is not None:
            query = query.where(Case.status.in_(OPEN_STATUSES) if open_ else Case.status.not_in(OPEN_STATUSES))
    return list(query.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit))


def period(start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The filing times a search covers (naive UTC): the last DEFAULT_SPAN unless told, the
    DEFAULT_SPAN after ``start`` or before ``end`` when only one is given. ValueError when
    ``start`` is after ``end`` or they are further apart than DEFAULT_SPAN."""
    try:
        if start is None and end is None:
            start, end = now - DEFAULT_SPAN, now
        elif start is None:
            start = end - DEFAULT_SPAN
        elif end is None:
            end = min(start + DEFAULT_SPAN, max(now, start))
    except OverflowError as error:
        raise ValueError("a date too far in the past or the future") from error
    if start > end:
        raise ValueError("start_date is after end_date")
    if end - start > DEFAULT_SPAN:
        raise ValueError(f"start_date and end_date may be at most {DEFAULT_SPAN.days} days apart")
    return start, end


def describe(cases: list[Case], language: str) -> list[PublicCase]:
    """``cases`` as the public sees them, in ``language`` (two queries, whatever their number)."""
    ids = [case.id for case in cases]
    last_change, done_notes = {}, {}
    if ids:
        changes = CaseEvent.select(CaseEvent.case, pw.fn.MAX(CaseEvent.at).alias("last")).where(
            CaseEvent.case.in_(ids)).group_by(CaseEvent.case)
        last_change = {row["case"]: _as_datetime(row["last"]) for row in changes.dicts()}
        done = CaseEvent.select(CaseEvent.case, CaseEvent.note).where(
            CaseEvent.case.in_(ids) & (CaseEvent.kind == "done")).order_by(CaseEvent.at, CaseEvent.id)
        done_notes = {row["case"]: row["note"] for row in done.dicts()}  # the last one wins
    found = []
    for case in cases:
        category, agency = CATALOG.category(case.category_id), CATALOG.agency(case.agency_id) if case.agency_id else None
        village = CATALOG.village(case.village_id)
        if category is None or village is None:  # a directory load dropped it: read it from the case
            category, village = case.category, case.village
        found.append(PublicCase(
            case=case, category=category, village=village, agency=agency,
            description=masked_in_text(case.description) if case.description_public else "",
            note=status_note(case, category, agency, done_notes.get(case.id, ""), language),
            updated_at=max(filter(None, (last_change.get(case.id), case.created_at))),
            expected_at=case.accepted_at + dt.timedelta(days=category.days or DEFAULT_DAYS)
            if case.status == CaseStatus.ACCEPTED and case.accepted_at else None,
        ))
    return found


def status_note(case: Case, category: Category, agency: Agency | None, done_note: str, language: str) -> str:
    """The agency's note when it closed the case with one, else the state in the same words
    as the STATUS SMS."""
    if case.status == CaseStatus.DONE and done_note.strip():
        return masked_in_text(done_note.strip())
    return texts.fill(language, notify.STATUS_TEMPLATES[case.status], ref=case.reference, category=category,
                      agency=agency or "-")


def address(village: Village, language: str) -> str:
    """``village, subdistrict, district`` in ``language``."""
    subdistrict = village.subdistrict
    return ", ".join(texts.localized(row, language) for row in (village, subdistrict, subdistrict.district))


def local_iso(moment: dt.datetime | None) -> str | None:
    """A naive UTC time as ISO 8601 in Bangkok time with its offset (``2026-11-27T17:05:00+07:00``)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC, microsecond=0).astimezone(BANGKOK).isoformat()


def to_utc(moment: dt.datetime) -> dt.datetime:
    """An aware time (naive: Bangkok time) as naive UTC; OverflowError at the ends of time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BANGKOK)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _as_datetime(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text
