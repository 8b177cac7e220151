"""Repeated and linked reports, surges, and the daily limit of reports per phone."""
from __future__ import annotations

import datetime as dt

import peewee as pw

from cases.casework import limits, notify
from cases.language import lifecycle_texts
from cases.messages.notices import send_once
from cases.messages.outbox import queue_sms
from cases.province.catalog import CATALOG
from cases.store import work
from cases.store.models import OPEN_STATUSES, Case, Notice, Subdistrict, Village
from cases.store.prepared import Prepared, slot

REPEAT_WINDOW = dt.timedelta(hours=48)
"""Reports of one type in one village this close together are about the same problem."""
SURGE_WINDOW = dt.timedelta(hours=6)
SURGE_SIZE = 5
"""This many cases of one type in one subdistrict within SURGE_WINDOW alert the province."""
DAY = dt.timedelta(hours=24)
MAX_SAME = 20
"""Cases of one problem read when a report comes in (the first, and the phone's own)."""
RESENT_WINDOW = dt.timedelta(minutes=15)
"""The same request from a partner system again this soon is a retry, not a new report."""


def same_problem(category, village, now: dt.datetime, reporter_phone: str | None = None,
                 submitter_phone: str | None = None) -> list[Case]:
    """Open cases of this type in this village filed within REPEAT_WINDOW, the oldest first:
    the first report of the problem and the ones these phones filed (not every linked one)."""
    mine = _is(Case.reporter_phone, reporter_phone) & _is(Case.submitter_phone, submitter_phone)
    return list(Case.select().where(
        _open_problem(category, village, now - REPEAT_WINDOW) & (Case.duplicate_of.is_null() | mine)
    ).order_by(Case.created_at, Case.id).limit(MAX_SAME))


def _open_problem(category, village, since):
    """Open cases of this type in this village filed since ``since``."""
    return ((Case.category == category) & (Case.village == village) & (Case.status.in_(OPEN_STATUSES))
            & (Case.created_at >= since))


def _is(field, value):
    return field.is_null() if value is None else field == value


FILED = ("reference", "category", "village", "description", "reporter_phone", "submitter_phone", "channel",
         "voice_url", "created_at")
"""The fields a new report gives (``insert_unless_repeat``); the others get their defaults."""
_FILED_FIELDS = [field for field in Case._meta.sorted_fields
                 if field.name in FILED or (field is not Case.id and field.default is not None)]


def _filing() -> pw.Query:
    """INSERT … SELECT of a new case: its values, the first open report of its problem as
    ``duplicate_of``, and no row when its phone(s) have an open report of the problem or its
    reference is taken."""
    problem = _open_problem(slot("category"), slot("village"), slot("since"))
    first = Case.select(Case.id).where(problem & Case.duplicate_of.is_null()).order_by(Case.created_at, Case.id).limit(1)
    mine = problem & (
        (pw.fn.COALESCE(Case.reporter_phone, "") == slot("reporter")) & (pw.fn.COALESCE(Case.submitter_phone, "") == slot("submitter"))
    )
    row = pw.Select(columns=[*(slot(field.name) for field in _FILED_FIELDS), first]).where(
        ~(slot("phoned") & pw.fn.EXISTS(Case.select(pw.SQL("1")).where(mine)))  # a WHERE: SQLite then reads ON CONFLICT
    )
    return Case.insert_from(row, [*_FILED_FIELDS, Case.duplicate_of]).on_conflict(
        action="NOTHING", conflict_target=[Case.reference]
    ).returning(Case.id, Case.duplicate_of)


FILING = Prepared(_filing)


def insert_unless_repeat(now: dt.datetime, **values) -> Case | None:
    """Insert a case with these ``values`` (the FILED fields) in one statement, linked to the
    first open report of its problem (``first_similar``), unless its phone(s) already filed
    the problem (``own_repeat``) or its reference is taken: the new case, or None (then the
    caller looks for the repeat, or tries another reference)."""
    given = {field.name: field.db_value(values[field.name] if field.name in values else _default(field))
             for field in _FILED_FIELDS}
    reporter, submitter = values.get("reporter_phone"), values.get("submitter_phone")
    inserted = FILING.execute(
        **given, since=Case.created_at.db_value(now - REPEAT_WINDOW), reporter=reporter or "", submitter=submitter or "",
        phoned=reporter is not None or submitter is not None,  # no phone: never a repeat
    ).fetchone()
    if inserted is None:
        return None
    return Case(**values, id=inserted[0], duplicate_of=inserted[1])


def _default(field):
    return field.default() if callable(field.default) else field.default


def own_repeat(same: list[Case], reporter_phone: str | None, submitter_phone: str | None) -> Case | None:
    """Among ``same``, the case the same phone(s) filed, or None."""
    if reporter_phone is None and submitter_phone is None:
        return None
    return next((case for case in same
                 if case.reporter_phone == reporter_phone and case.submitter_phone == submitter_phone), None)


def resent(channel: str, category, village, description: str, reporter_phone: str | None,
           now: dt.datetime) -> Case | None:
    """The case filed from ``channel`` within RESENT_WINDOW with exactly this type, village,
    text and phone: a partner system that sends a request again (a retry after a timeout)
    gets that case back, with no new event and no SMS. One such check at a time per village
    (the village row is locked until the unit of work ends; SQLite's write lock already is)."""
    work.lock(Village.select(Village.code).where(Village.code == village.code))
    return Case.select().where(
        (Case.channel == channel) & (Case.category == category) & (Case.village == village)
        & (Case.description == description.strip()) & _is(Case.reporter_phone, reporter_phone)
        & Case.submitter_phone.is_null() & (Case.created_at >= now - RESENT_WINDOW)
    ).order_by(Case.id).first()


def first_similar(same: list[Case]) -> Case | None:
    """Among ``same``, the first case of the problem (new reports link to it)."""
    return next((case for case in same if case.duplicate_of_id is None), None)


def filed_since_query(phone, since) -> pw.Select:
    """Counts the new cases ``phone`` filed (for itself or as a village head) since ``since``
    (values, or slots of a prepared statement)."""
    mine = (Case.submitter_phone == phone) | ((Case.reporter_phone == phone) & Case.submitter_phone.is_null())
    return Case.select(pw.fn.COUNT(Case.id)).where(mine & (Case.created_at >= since))


def filed_today(phone: str, now: dt.datetime) -> int:
    """New cases ``phone`` filed (for itself or as a village head) in the last 24 h."""
    return filed_since_query(phone, now - DAY).scalar()


def at_limit(filed: int) -> bool:
    """True when a phone that filed ``filed`` reports in 24 h may file no more today."""
    return filed >= limits.current().reports_per_day


def over_limit(phone: str | None, now: dt.datetime) -> bool:
    """True when ``phone`` may file no more reports today."""
    return phone is not None and at_limit(filed_today(phone, now))


SURGE_COUNT = Prepared(lambda: Case.select(pw.fn.COUNT(Case.id)).join(Village).where(
    (Case.category == slot("category")) & (Village.subdistrict == slot("subdistrict"))
    & (Case.created_at >= slot("since"))
))
"""Cases of one type in one subdistrict since a time (run for every new case: built once)."""


def check_surge(case: Case, now: dt.datetime) -> bool:
    """Alert the province once when a surge of ``case``'s type starts around it."""
    subdistrict = CATALOG.village(case.village_id).subdistrict
    count = SURGE_COUNT.execute(category=case.category_id, subdistrict=subdistrict.code,
                                since=Case.created_at.db_value(now - SURGE_WINDOW)).fetchone()[0]
    if count < SURGE_SIZE:
        return False
    prefix = f"surge:{case.category_id}:{subdistrict.code}:"
    recent = Notice.select().where(Notice.key.startswith(prefix) & (Notice.sent_at >= now - SURGE_WINDOW))
    if recent.exists():  # the surge's alert went: the rest of a flood's cases need no lock
        return False
    # one check at a time per subdistrict: two workers routing its cases at once see each
    # other's alert (under PostgreSQL's row lock; SQLite's write lock already serialises them)
    work.locked(Subdistrict.select(Subdistrict.code).where(Subdistrict.code == subdistrict.code)).get()
    if recent.exists() or not send_once(f"{prefix}{case.id}", case):
        return False
    Notice.update(sent_at=now).where(Notice.key == f"{prefix}{case.id}").execute()
    for phone in notify.province_phones():  # names the district: subdistrict names repeat
        queue_sms(phone, lifecycle_texts.SURGE, count=count, category=CATALOG.category(case.category_id),
                  subdistrict=subdistrict, district=subdistrict.district)
    return True
