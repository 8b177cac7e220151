"""The outbox: every SMS to send is a row written with the change that causes it.

A sender job claims a row, hands it to a backend (``outbound``) and records the result.
Backends raise ``RetryableSendError`` or ``PermanentSendError`` and know nothing of cases.
Each row has a ``Priority``: a reply in a conversation leaves before a citizen's status SMS,
before a staff notice, before reminders and digests.
"""
from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Protocol

import peewee as pw

from cases.language import lifecycle_texts, texts
from cases.store import work
from cases.store.models import Contact, Outbox, OutboxStatus, Priority, database, utcnow
from cases.province.phones import masked
from cases.store.prepared import Prepared, slot

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
"""After this many retryable failures a row is marked failed instead of tried again."""
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
SECRET_KEYS = frozenset({texts.STAFF_LOGIN_CODE})
"""Templates whose text is a secret (a login code): never logged, and kept only until the row is sent, failed or
expired."""
FORGOTTEN_BODY = "(login code: removed once sent)"
"""What a secret row's body becomes once it is done with."""


def priority_of(key: str) -> Priority:
    """How soon template ``key`` must leave; anything not listed answers what the phone sent."""
    if key in BULK_KEYS:
        return Priority.BULK
    if key in STAFF_NOTICE_KEYS:
        return Priority.STAFF
    if key in CITIZEN_KEYS:
        return Priority.CITIZEN
    return Priority.REPLY


class SendError(Exception):
    """A backend could not hand the SMS to the provider."""


class RetryableSendError(SendError):
    """Try again later (429, 5xx, network)."""


class PermanentSendError(SendError):
    """Never try again (invalid number, blocked recipient)."""


class Backend(Protocol):
    name: str

    def send(self, row: Outbox) -> str:
        """Send one outbox row; return the provider's message id."""


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
    if priority == Priority.REPLY:
        fields["expires_at"] = now + REPLY_TTL
        answering_now = _answering.get()
        if answering_now and answering_now[0] == phone:
            fields.update(device=answering_now[1], sim=answering_now[2])
    row = Outbox.create(
        phone=phone, body=body, kind=kind, case=case, priority=priority.value, created_at=now, updated_at=now, **fields
    )
    work.later(work.Kind.SEND_SMS_LATER if send_after else work.Kind.SEND_SMS, row.id, priority.value, new=True)
    return row


def language_of(phone: str) -> str:
    """The language a phone chose (Thai unless it said EN)."""
    contact = Contact.get_or_none(Contact.phone == phone)
    return contact.language if contact else "th"


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
    if priority == Priority.REPLY:  # a reply carries its phone's expiry and gateway: one by one
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


def queue_text(phone: str, body: str, kind: str = "reply") -> Outbox:
    """Write an already rendered text (a flow's reply) to the outbox."""
    return _write(phone, body, kind)


READ = Prepared(lambda: Outbox.select().where(Outbox.id == slot("id")))
"""One outbox row by id (every send starts with it: built once, issue 8)."""
CLAIM = Prepared(lambda: Outbox.update(
    attempts=Outbox.attempts + 1, status=slot("sending"), updated_at=slot("now"), provider=slot("provider"),
).where(
    (Outbox.id == slot("id")) & (Outbox.status == slot("queued"))
    & (Outbox.send_after.is_null() | (Outbox.send_after <= slot("now")))
))
"""A queued row taken for sending, unless another sender has it or it waits for later."""
SENT = Prepared(lambda: Outbox.update(
    status=slot("sent"), provider=slot("provider"), provider_id=slot("provider_id"), sent_at=slot("now"),
    updated_at=slot("now"), error=None,
).where(Outbox.id == slot("id")))
"""A row the provider accepted, marked sent with the provider's id."""
_STATUS, _AT = Outbox.status.db_value, Outbox.updated_at.db_value


def read(outbox_id: int) -> Outbox | None:
    """The outbox row ``outbox_id`` (None when there is none)."""
    return READ.first(Outbox, id=outbox_id)


def claim(row: Outbox, provider: str) -> Outbox | None:
    """Take a queued row for sending by ``provider`` with one conditional UPDATE (no lock held
    while sending); the row as claimed, or None when another sender has it, it is done, or
    it waits for later."""
    now = utcnow()
    claimed = CLAIM.execute(
        sending=_STATUS(OutboxStatus.SENDING), queued=_STATUS(OutboxStatus.QUEUED), now=_AT(now), provider=provider,
        id=row.id,
    ).rowcount
    if not claimed:
        return None
    row.status, row.updated_at, row.provider = OutboxStatus.SENDING, now, provider
    row.attempts += 1  # read before the claim: the only sender since, so one more
    return row


def expire(row: Outbox, now: dt.datetime | None = None) -> bool:
    """Drop a queued conversation reply that is too old to be of use; True when dropped."""
    now = now or utcnow()
    if row.expires_at is None or row.expires_at > now:
        return False
    dropped = Outbox.update(status=OutboxStatus.EXPIRED, updated_at=now, error="stale reply").where(
        (Outbox.id == row.id) & (Outbox.status == OutboxStatus.QUEUED)
    ).execute()
    if dropped:
        forget_secret(row)
        log.warning("reply %s to %s dropped: %s old", row.id, masked(row.phone), now - row.created_at)
    return bool(dropped)


def forget_secret(row: Outbox) -> None:
    """Replace the body of a secret row (``SECRET_KEYS``) that will not be sent again with a
    placeholder: a sent login code stays in no table (one UPDATE, for those kinds only)."""
    if row.kind in SECRET_KEYS:
        Outbox.update(body=FORGOTTEN_BODY).where(Outbox.id == row.id).execute()


def send(row: Outbox, backend: Backend) -> OutboxStatus | None:
    """Send one outbox row (as read) through ``backend``; safe to call twice for the same row.

    Raises RetryableSendError (after putting the row back in the queue) so that rq's
    Retry tries again later.
    """
    row = claim(row, backend.name)
    if row is None:
        return None
    if expire(row):
        return OutboxStatus.EXPIRED
    try:
        provider_id = backend.send(row)
    except PermanentSendError as error:
        _finish(row, OutboxStatus.FAILED, backend.name, error=str(error))
        log.warning("SMS %s to %s failed for good: %s", row.id, masked(row.phone), error)
        forget_secret(row)
        return OutboxStatus.FAILED
    except RetryableSendError as error:
        if row.attempts >= MAX_ATTEMPTS:
            _finish(row, OutboxStatus.FAILED, backend.name, error=str(error))
            forget_secret(row)
            return OutboxStatus.FAILED
        _finish(row, OutboxStatus.QUEUED, backend.name, error=str(error))
        raise
    SENT.execute(sent=_STATUS(OutboxStatus.SENT), provider=backend.name, provider_id=provider_id, now=_AT(utcnow()),
                 id=row.id)
    forget_secret(row)
    return OutboxStatus.SENT


def mark_sent(row: Outbox, provider: str, provider_id: str) -> OutboxStatus | None:
    """Record that the provider has a queued row already (an earlier try got through)."""
    now = utcnow()
    marked = Outbox.update(status=OutboxStatus.SENT, provider=provider, provider_id=provider_id, sent_at=now,
                           updated_at=now, error=None).where(
        (Outbox.id == row.id) & (Outbox.status == OutboxStatus.QUEUED)
    ).execute()
    if marked:
        forget_secret(row)
    return OutboxStatus.SENT if marked else None


def _finish(row: Outbox, status: OutboxStatus, provider: str, error: str) -> None:
    """A try that did not send: failed for good, or queued again."""
    Outbox.update(status=status, provider=provider, updated_at=utcnow(), error=error[:255] or None).where(
        Outbox.id == row.id
    ).execute()


DELIVERY_STATUSES = {
    "delivered": OutboxStatus.DELIVERED,
    "undelivered": OutboxStatus.FAILED,
    "failed": OutboxStatus.FAILED,
}
"""Provider delivery reports that change a row; others (queued, sent…) are only logged."""


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


def take_back(row: Outbox, provider_id: str | None, resend: bool) -> OutboxStatus | None:
    """Settle a row its sender abandoned: SENT when the provider has it (``provider_id``),
    else queued again when ``resend`` (the provider tells a repeat), else UNKNOWN for a look."""
    now = utcnow()
    if provider_id:
        status, fields = OutboxStatus.SENT, {"provider_id": provider_id, "sent_at": now}
    elif resend:
        status, fields = OutboxStatus.QUEUED, {}
    else:
        status, fields = OutboxStatus.UNKNOWN, {"error": "sender died mid-send; maybe sent"}
    taken = Outbox.update(status=status, updated_at=now, **fields).where(
        (Outbox.id == row.id) & (Outbox.status == OutboxStatus.SENDING) & (Outbox.updated_at == row.updated_at)
    ).execute()
    if not taken:
        return None
    if status != OutboxStatus.QUEUED:
        forget_secret(row)
    log.warning("SMS %s to %s abandoned mid-send by its sender: now %s", row.id, masked(row.phone), status.value)
    return status


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


def needing_a_look() -> int:
    """SMS whose fate is unknown (their sender died mid-send with a provider that cannot say)."""
    return Outbox.select().where(Outbox.status == OutboxStatus.UNKNOWN).count()
