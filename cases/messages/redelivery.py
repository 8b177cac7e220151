"""A status SMS the provider could not deliver is tried once more later; when that fails
too, the village head is asked to pass the message on."""
from __future__ import annotations

import datetime as dt

from cases.language import lifecycle_texts
from cases.messages import outbox
from cases.messages.notices import send_once
from cases.messages.outbox import queue_sms
from cases.province.phones import masked
from cases.store import work
from cases.store.models import Outbox, VillageHead, utcnow

REDELIVERY_DELAY = dt.timedelta(minutes=30)
"""How long to wait before sending an undelivered status SMS again."""


def on_report(provider: str, provider_id: str, report: str, error_code: str | None = None) -> bool:
    """Record a provider's delivery report and react to a new failure; False when the
    message is unknown."""
    row = outbox.record_delivery(provider, provider_id, report, error_code)
    if row is None:
        return False
    if outbox.newly_failed(row, report):
        after_failure(row)
    return True


def after_failure(row: Outbox, now: dt.datetime | None = None) -> Outbox | None:
    """React to a failed delivery of ``row``: a delayed retry, or a word to the village head."""
    if row.case_id is None or row.kind not in lifecycle_texts.CITIZEN_STATUS:
        return None
    now = now or utcnow()
    if row.retry_of_id is None:
        if Outbox.select().where(Outbox.retry_of == row).exists():
            return None
        retry = Outbox.create(
            phone=row.phone, body=row.body, kind=row.kind, case=row.case_id, retry_of=row, priority=row.priority,
            send_after=now + REDELIVERY_DELAY, created_at=now, updated_at=now,
        )
        work.later(work.Kind.SEND_SMS_LATER, retry.id, retry.priority, new=True)
        return retry
    head = village_head_of(row.case, row.phone)
    if head is None or not send_once(f"tell_head:{row.retry_of_id}", row.case):
        return None
    return queue_sms(head, lifecycle_texts.TELL_RESIDENT, case=row.case, phone=masked(row.phone), body=row.body)


def village_head_of(case, phone: str) -> str | None:
    """The head who filed ``case``, else a head of its village (never ``phone`` itself)."""
    if case.submitter_phone and case.submitter_phone != phone:
        return case.submitter_phone
    head = VillageHead.select().where(VillageHead.village == case.village_id).order_by(VillageHead.phone).first()
    return head.phone if head and head.phone != phone else None
