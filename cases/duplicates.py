"""Repeated and linked reports, surges, and the daily limit of reports per phone."""
from __future__ import annotations

import datetime as dt

from . import lifecycle_texts, notify
from .models import OPEN_STATUSES, Case, Notice, Village
from .notices import send_once
from .outbox import queue_sms

REPEAT_WINDOW = dt.timedelta(hours=48)
"""Reports of one type in one village this close together are about the same problem."""
SURGE_WINDOW = dt.timedelta(hours=6)
SURGE_SIZE = 5
"""This many cases of one type in one subdistrict within SURGE_WINDOW alert the province."""
MAX_REPORTS_PER_DAY = 10
"""New cases one phone may file in 24 h (the app config ``MAX_REPORTS_PER_DAY`` overrides)."""
DAY = dt.timedelta(hours=24)


def _same_problem(category, village, now: dt.datetime):
    return (
        (Case.category == category) & (Case.village == village) & (Case.status.in_(OPEN_STATUSES))
        & (Case.created_at >= now - REPEAT_WINDOW)
    )


def _is(field, value):
    return field.is_null() if value is None else field == value


def own_repeat(category, village, reporter_phone: str | None, submitter_phone: str | None, now: dt.datetime) -> Case | None:
    """An open case the same phone(s) filed about the same problem lately, or None."""
    if reporter_phone is None and submitter_phone is None:
        return None
    query = Case.select().where(
        _same_problem(category, village, now) & _is(Case.reporter_phone, reporter_phone)
        & _is(Case.submitter_phone, submitter_phone)
    )
    return query.order_by(Case.created_at).first()


def first_similar(category, village, now: dt.datetime) -> Case | None:
    """The first open case of someone else about the same problem (new ones link to it)."""
    query = Case.select().where(_same_problem(category, village, now) & Case.duplicate_of.is_null())
    return query.order_by(Case.created_at, Case.id).first()


def filed_today(phone: str, now: dt.datetime) -> int:
    """New cases ``phone`` filed (for itself or as a village head) in the last 24 h."""
    mine = (Case.submitter_phone == phone) | ((Case.reporter_phone == phone) & Case.submitter_phone.is_null())
    return Case.select().where(mine & (Case.created_at >= now - DAY)).count()


def over_limit(phone: str | None, now: dt.datetime) -> bool:
    """True when ``phone`` may file no more reports today."""
    return phone is not None and filed_today(phone, now) >= MAX_REPORTS_PER_DAY


def check_surge(case: Case, now: dt.datetime) -> bool:
    """Alert the province once when a surge of ``case``'s type starts around it."""
    subdistrict = case.village.subdistrict
    villages = Village.select(Village.code).where(Village.subdistrict == subdistrict)
    count = Case.select().where(
        (Case.category == case.category_id) & (Case.village.in_(villages)) & (Case.created_at >= now - SURGE_WINDOW)
    ).count()
    if count < SURGE_SIZE:
        return False
    prefix = f"surge:{case.category_id}:{subdistrict.code}:"
    recent = Notice.select().where(Notice.key.startswith(prefix) & (Notice.sent_at >= now - SURGE_WINDOW)).exists()
    if recent or not send_once(f"{prefix}{case.id}", case):
        return False
    Notice.update(sent_at=now).where(Notice.key == f"{prefix}{case.id}").execute()
    for phone in notify.province_phones():  # names the district: subdistrict names repeat
        queue_sms(phone, lifecycle_texts.SURGE, count=count, category=case.category, subdistrict=subdistrict,
                  district=subdistrict.district)
    return True
