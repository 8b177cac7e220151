"""The outbox: every SMS to send is a row written with the change that causes it.

This module only queues messages (and reads the queue for the sweep and /healthz); sending a
row — claim, the provider, mark sent or failed — is ``outbound.sending``'s.
Each row has a ``Priority``: a reply the phone waits for in a conversation leaves before a
receipt, before a citizen's status SMS, before a staff notice, before reminders and digests.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import peewee as pw

from cases.language import lifecycle_texts, texts
from cases.store import work
from cases.store.models import Contact, Outbox, OutboxStatus, Priority, database, utcnow
from cases.store.prepared import Prepared, slot

REPLY_TTL = dt.timedelta(minutes=15)
"""A conversation reply that could not leave within this is dropped as stale, not sent late."""

BULK_KEYS = frozenset({
    lifecycle_texts.REMIND_ACCEPT, lifecycle_texts.ESCALATE_ACCEPT, lifecycle_texts.REMIND_DEADLINE,
    lifecycle_texts.ESCALATE_DEADLINE, lifecycle_texts.DIGEST, lifecycle_texts.SURGE,
})
"""Templates sent in bulk, on a schedule: they wait for everything else."""
STAFF_NOTICE_KEYS = frozenset({
    texts.STAFF_NEW_CASE, texts.STAFF_NEW_UNROUTED, texts.STAFF_FORWARDED_IN,
    lifecycle_texts.STAFF_REOPENED, lifecycle_texts.STAFF_MORE_REPORTS, lifecycle_texts.TELL_RESIDENT,
})
"""Templates that tell staff (or a village head) of work: after the citizens' SMS."""
CITIZEN_KEYS = lifecycle_texts.CITIZEN_STATUS | {lifecycle_texts.FOR_RESIDENT, lifecycle_texts.PROXY_RECEIVED}
"""A case's news to the citizen who reported it, sent when the case changes."""
RECEIPT_KEYS = frozenset({
    texts.RECEIVED, texts.RECEIVED_ELSEWHERE, lifecycle_texts.ALREADY_RECEIVED, lifecycle_texts.ALREADY_RECEIVED_ELSEWHERE,
})
"""The reference of a report just filed: the citizen keeps it, but waits for nothing more."""


def priority_of(key: str) -> Priority:
    """How soon template ``key`` must leave; anything not listed answers what the phone sent
    and is waited for (the next question, a confirmation, a status answer, a staff word's)."""
    if key in BULK_KEYS:
        return Priority.BULK
    if key in STAFF_NOTICE_KEYS:
        return Priority.STAFF
    if key in CITIZEN_KEYS:
        return Priority.CITIZEN
    if key in RECEIPT_KEYS:
        return Priority.RECEIPT
    return Priority.REPLY


_answering: ContextVar[tuple[str, str | None, int | None] | None] = ContextVar("rongrian_answering", default=None)


@contextmanager
def answering(phone: str, device: str | None, sim: int | None) -> Iterator[None]:
    """While answering an SMS from ``phone``: replies to it leave from the gateway phone and
    SIM that received it."""
    token = _answering.set((phone, device, sim))
    try:
        yield
    finally:
        _answering.reset(token)


def _write(phone: str, body: str, kind: str, case=None, priority: Priority = Priority.REPLY,
           send_after: dt.datetime | None = None) -> Outbox:
    now = utcnow()
    fields = {"send_after": send_after} if send_after else {}
    if priority == Priority.REPLY:  # a receipt is never stale: it holds the reference
        fields["expires_at"] = now + REPLY_TTL
    if priority.answers:
        answering_now = _answering.get()
        if answering_now and answering_now[0] == phone:
            fields.update(device=answering_now[1], sim=answering_now[2])
    row = Outbox.create(
        phone=phone, body=body, kind=kind, case=case, priority=priority.value, created_at=now, updated_at=now, **fields
    )
    work.later(work.Kind.SEND_SMS_LATER if send_after else work.Kind.SEND_SMS, row.id, priority.value, new=True)
    return row


CONTACT = Prepared(lambda: Contact.select().where(Contact.phone == slot("phone")))


def contact_of(phone: str) -> Contact:
    """The phone's contact row (one prepared SELECT); when it has none, an unsaved one with the
    defaults (written when something must be remembered)."""
    return CONTACT.first(Contact, phone=phone) or Contact(phone=phone)


def language_of(phone: str) -> str:
    """The language a phone chose (Thai unless it said EN)."""
    return contact_of(phone).language


def queue_sms(phone: str, key: str, /, case=None, language: str | None = None, send_after: dt.datetime | None = None,
              **params) -> Outbox | None:
    """Render template ``key`` for ``phone`` and write it to the outbox (to leave at
    ``send_after``, when given).

    Status notifications to a phone that said STOP are not written (None is returned);
    ``texts.ALWAYS_SENT`` templates (direct answers) always are.
    """
    contact = Contact.get_or_none(Contact.phone == phone)
    if contact and contact.opted_out and key not in texts.ALWAYS_SENT:
        return None
    language = language or (contact.language if contact else "th")
    body = texts.render(language, key, **params)
    return _write(phone, body, key, case, priority_of(key), send_after)


def queue_sms_to_all(phones: list[str], key: str, /, case=None, **params) -> None:
    """``queue_sms`` to each of ``phones`` (a notice to an agency's staff) with one read of
    their contacts and one INSERT."""
    priority, now = priority_of(key), utcnow()
    if priority.answers:  # a reply carries its phone's expiry and gateway: one by one
        for phone in phones:
            queue_sms(phone, key, case=case, **params)
        return
    contacts = {contact.phone: contact for contact in Contact.select().where(Contact.phone.in_(phones))}
    rows = []
    for phone in phones:
        contact = contacts.get(phone)
        if contact and contact.opted_out and key not in texts.ALWAYS_SENT:
            continue
        body = texts.render(contact.language if contact else "th", key, **params)
        rows.append({"phone": phone, "body": body, "kind": key, "case": case, "priority": priority.value,
                     "created_at": now, "updated_at": now})
    if not rows:
        return
    for (row_id,) in database.execute(Outbox.insert_many(rows).returning(Outbox.id)).fetchall():
        work.later(work.Kind.SEND_SMS, row_id, priority.value, new=True)


def rewrite(row: Outbox, **params) -> None:
    """Render a row that has not left yet again with new ``params`` (same template)."""
    body = texts.render(language_of(row.phone), row.kind, **params)
    Outbox.update(body=body, updated_at=utcnow()).where(
        (Outbox.id == row.id) & (Outbox.status == OutboxStatus.QUEUED)
    ).execute()


def queue_text(phone: str, body: str, kind: str = "reply", case=None) -> Outbox:
    """Write an already rendered text (a flow's reply, from template ``kind``) to the outbox."""
    return _write(phone, body, kind, case, priority_of(kind))


DELIVERY_STATUSES = {
    "delivered": OutboxStatus.DELIVERED,
    "undelivered": OutboxStatus.FAILED,
    "failed": OutboxStatus.FAILED,
}
"""Provider delivery reports that change a row; others (queued, sent…) are only logged."""


def provider_id_taken(provider: str, provider_id: str) -> bool:
    """Whether an outbox row already holds ``provider_id`` (one row per provider id)."""
    return Outbox.select().where((Outbox.provider == provider) & (Outbox.provider_id == provider_id)).exists()


def record_delivery(provider: str, provider_id: str, report: str, error_code: str | None = None) -> Outbox | None:
    """Record a provider's delivery report for the row it sent; the row as it was before, or
    None when unknown. A newly failed row is the caller's to react to (``redelivery``)."""
    status = DELIVERY_STATUSES.get((report or "").lower())
    row = Outbox.get_or_none((Outbox.provider == provider) & (Outbox.provider_id == provider_id))
    if row is None:
        return None
    if status is not None:
        fields = {"status": status, "updated_at": utcnow()}
        if error_code:
            fields["error"] = f"{report} {error_code}"[:255]
        Outbox.update(**fields).where(Outbox.id == row.id).execute()
    return row


def newly_failed(row: Outbox, report: str) -> bool:
    """True when ``report`` turned ``row`` (as it was before) into a failure."""
    return DELIVERY_STATUSES.get((report or "").lower()) == OutboxStatus.FAILED and row.status != OutboxStatus.FAILED


def stale_ids(older_than: dt.datetime, now: dt.datetime | None = None, limit: int = 1000) -> list[tuple[int, int]]:
    """(id, priority) of rows queued, untouched since ``older_than`` and due: the sweep
    enqueues them again (the most urgent first)."""
    now = now or utcnow()
    query = Outbox.select(Outbox.id, Outbox.priority).where(
        (Outbox.status == OutboxStatus.QUEUED) & (Outbox.updated_at < older_than)
        & (Outbox.send_after.is_null() | (Outbox.send_after <= now))
    ).order_by(Outbox.priority, Outbox.id).limit(limit)
    return [(row.id, row.priority) for row in query]


def abandoned(claimed_before: dt.datetime) -> list[Outbox]:
    """Rows claimed for sending before ``claimed_before``: their sender died mid-send."""
    return list(Outbox.select().where(
        (Outbox.status == OutboxStatus.SENDING) & (Outbox.updated_at < claimed_before)
    ))


def waiting(now: dt.datetime | None = None) -> dict[str, dict]:
    """Queued SMS by priority: how many, and the age in seconds of the oldest."""
    now = now or utcnow()
    query = (
        Outbox.select(Outbox.priority, pw.fn.COUNT(Outbox.id).alias("count"), pw.fn.MIN(Outbox.created_at).alias("oldest"))
        .where(Outbox.status == OutboxStatus.QUEUED).group_by(Outbox.priority).order_by(Outbox.priority)
    )
    found = {}
    for row in query.dicts():
        oldest = row["oldest"]
        if isinstance(oldest, str):  # SQLite gives aggregates back as text
            oldest = dt.datetime.fromisoformat(oldest)
        found[Priority(row["priority"]).name.lower()] = {"count": row["count"], "oldest_seconds": round((now - oldest).total_seconds())}
    return found


def sent_and_failed(since: dt.datetime) -> dict[str, dict[str, int]]:
    """Per provider ("none" for a row failed before any provider took it): the SMS handed to
    it since ``since`` (``sent_at``, whatever became of them after) and those marked failed
    since then (``updated_at``)."""
    found: dict[str, dict[str, int]] = {}
    counted = pw.fn.COUNT(Outbox.id).alias("n")
    sent = Outbox.select(Outbox.provider, counted).where(Outbox.sent_at >= since).group_by(Outbox.provider)
    failed = (Outbox.select(Outbox.provider, counted)
              .where(Outbox.status == OutboxStatus.FAILED, Outbox.updated_at >= since).group_by(Outbox.provider))
    for outcome, query in (("sent", sent), ("failed", failed)):
        for row in query.dicts():
            found.setdefault(row["provider"] or "none", {"sent": 0, "failed": 0})[outcome] = row["n"]
    return found


def needing_a_look() -> int:
    """SMS whose fate is unknown (their sender died mid-send with a provider that cannot say)."""
    return Outbox.select().where(Outbox.status == OutboxStatus.UNKNOWN).count()
