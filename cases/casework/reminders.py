"""Reminders and escalation of cases that wait too long, and the agency heads' daily digest.

Each step is sent once per case (a ``Notice`` row with a unique key), so a job that runs
twice sends nothing twice.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable
from zoneinfo import ZoneInfo

from peewee import fn

from cases.casework import notify
from cases.language import lifecycle_texts
from cases.messages.notices import send_once
from cases.messages.outbox import queue_sms
from cases.province.catalog import CATALOG
from cases.store.models import OPEN_STATUSES, Case, CaseStatus, Category, Notice, Staff, StaffRole, utcnow

REMIND_AFTER = dt.timedelta(hours=24)
ESCALATE_AFTER = dt.timedelta(hours=72)
"""Waiting this long (to be accepted, or past the deadline + 48 h) reaches the heads."""
DEFAULT_DAYS = 15
"""Days to finish an accepted case when its type sets none."""
BANGKOK = ZoneInfo("Asia/Bangkok")
DIGEST_HOUR = 8
"""The digest goes out at this hour, Bangkok time."""


def deadline(case: Case) -> dt.datetime:
    """When an accepted case should be done."""
    return case.accepted_at + dt.timedelta(days=case.category.days or DEFAULT_DAYS)


def escalation_phones(agency) -> list[str]:
    """The agency's heads and the province office staff."""
    heads = [s.phone for s in Staff.select().where((Staff.agency == agency) & (Staff.role == StaffRole.HEAD))]
    return list(dict.fromkeys(heads + notify.province_phones()))


def _step(case: Case, step: str, since: dt.datetime, key: str, phones: Callable[[], list[str]],
          sent: set[str] = frozenset()) -> int:
    """Send ``step`` of ``case`` to ``phones()`` (asked for only when the step was not sent yet:
    not among the notices ``sent``, and recorded now)."""
    notice = f"{step}:{case.id}:{since:%Y%m%d%H%M%S}"
    if notice in sent or not send_once(notice, case):
        return 0
    summary = notify.case_summary(case)
    for phone in phones():
        queue_sms(phone, key, case=case, ref=summary["ref"], category=summary["category"], village=summary["village"])
    return 1


def send_due(now: dt.datetime | None = None) -> int:
    """Send every reminder and escalation that is due at ``now``; returns how many steps."""
    now = now or utcnow()
    sent = 0
    waiting = Case.select(Case.id).where(Case.status.in_((CaseStatus.ASSIGNED, CaseStatus.ACCEPTED)))
    done = {notice.key for notice in Notice.select(Notice.key).where(Notice.case.in_(waiting))}  # one read, not a try each
    for case in Case.select().where(Case.status == CaseStatus.ASSIGNED):
        since = case.assigned_at or case.created_at
        if now - since >= REMIND_AFTER:
            sent += _step(case, "accept", since, lifecycle_texts.REMIND_ACCEPT,
                          lambda: notify.staff_phones(case.agency), done)
        if now - since >= ESCALATE_AFTER:
            sent += _step(case, "accept_esc", since, lifecycle_texts.ESCALATE_ACCEPT,
                          lambda: escalation_phones(case.agency), done)
    for case in Case.select().where((Case.status == CaseStatus.ACCEPTED) & Case.accepted_at.is_null(False)):
        case.category = CATALOG.category(case.category_id) or case.category  # its deadline, no query
        due = deadline(case)
        if now >= due:
            sent += _step(case, "late", case.accepted_at, lifecycle_texts.REMIND_DEADLINE,
                          lambda: notify.staff_phones(case.agency), done)
        if now >= due + ESCALATE_AFTER - REMIND_AFTER:
            sent += _step(case, "late_esc", case.accepted_at, lifecycle_texts.ESCALATE_DEADLINE,
                          lambda: escalation_phones(case.agency), done)
    return sent


def is_overdue(case: Case, now: dt.datetime) -> bool:
    """Not accepted within 24 h, or accepted and past its deadline."""
    if case.status == CaseStatus.ACCEPTED and case.accepted_at:
        return now >= deadline(case)
    return now - (case.assigned_at or case.created_at) >= REMIND_AFTER


def overdue_condition(now: dt.datetime):
    """``is_overdue`` as a condition on ``Case`` for a query (open cases only; each type's own
    deadline), portable across SQLite and PostgreSQL."""
    overdue = Case.status.in_((CaseStatus.NEW, CaseStatus.ASSIGNED)) & (
        fn.COALESCE(Case.assigned_at, Case.created_at) <= now - REMIND_AFTER
    )
    for category in Category.select(Category.code, Category.days):
        past_deadline = now - dt.timedelta(days=category.days or DEFAULT_DAYS)
        overdue |= (Case.status == CaseStatus.ACCEPTED) & (Case.category == category.code) & (
            Case.accepted_at <= past_deadline
        )
    return overdue


def next_digest_at(now: dt.datetime | None = None) -> dt.datetime:
    """The next 08:00 Bangkok time after ``now`` (naive UTC in, aware UTC out)."""
    now = (now or utcnow()).replace(tzinfo=dt.timezone.utc).astimezone(BANGKOK)
    at = now.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if at <= now:
        at += dt.timedelta(days=1)
    return at.astimezone(dt.timezone.utc)


def send_digest(now: dt.datetime | None = None) -> int:
    """Each agency head gets open / overdue / done yesterday, once per Bangkok day; none when
    the agency has no open case and closed none yesterday."""
    now = now or utcnow()
    local_today = now.replace(tzinfo=dt.timezone.utc).astimezone(BANGKOK).date()
    midnight = dt.datetime.combine(local_today, dt.time(), BANGKOK).astimezone(dt.timezone.utc).replace(tzinfo=None)
    sent = 0
    heads = Staff.select().where(Staff.role == StaffRole.HEAD).order_by(Staff.phone)
    for agency in {head.agency_id: head.agency for head in heads}.values():
        open_cases = list(Case.select().where((Case.agency == agency) & Case.status.in_(OPEN_STATUSES)))
        done = Case.select().where(
            (Case.agency == agency) & (Case.status == CaseStatus.DONE)
            & (Case.closed_at >= midnight - dt.timedelta(days=1)) & (Case.closed_at < midnight)
        ).count()
        if not open_cases and not done:
            continue  # a digest of zeros is not sent (nor counted as sent: a later run today may have news)
        if not send_once(f"digest:{agency.code}:{local_today.isoformat()}"):
            continue
        overdue = sum(1 for case in open_cases if is_overdue(case, now))
        for head in heads.where(Staff.agency == agency):
            queue_sms(head.phone, lifecycle_texts.DIGEST, open=len(open_cases), overdue=overdue, done=done)
        sent += 1
    return sent
