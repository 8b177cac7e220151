"""The outbox: every SMS to send is a row written with the change that causes it.

A sender job claims a row, hands it to the configured backend and records the result.
Backends live in ``sms_gateway.outbound``; they raise ``RetryableSendError`` or
``PermanentSendError`` and know nothing of cases.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from . import pending, texts
from .models import Contact, Outbox, OutboxStatus, database, utcnow

log = logging.getLogger(__name__)

STALE_QUEUED = dt.timedelta(seconds=60)
"""A queued row older than this with no job in sight is re-enqueued by the sweep."""
STALE_SENDING = dt.timedelta(minutes=10)
"""A row claimed this long ago whose sender died is tried again."""
MAX_ATTEMPTS = 6
"""After this many retryable failures a row is marked failed instead of tried again."""

class SendError(Exception):
    """A backend could not hand the SMS to the provider."""


class RetryableSendError(SendError):
    """Try again later (429, 5xx, network)."""


class PermanentSendError(SendError):
    """Never try again (invalid number, blocked recipient)."""


class Backend(Protocol):
    name: str

    def send(self, phone: str, body: str, outbox_id: int) -> str:
        """Send one SMS; return the provider's message id."""


def language_of(phone: str) -> str:
    """The language a phone chose (Thai unless it said EN)."""
    contact = Contact.get_or_none(Contact.phone == phone)
    return contact.language if contact else "th"


def queue_sms(phone: str, key: str, /, case=None, language: str | None = None, **params) -> Outbox | None:
    """Render template ``key`` for ``phone`` and write it to the outbox.

    Status notifications to a phone that said STOP are not written (None is returned);
    ``texts.ALWAYS_SENT`` templates (direct answers) always are.
    """
    contact = Contact.get_or_none(Contact.phone == phone)
    if contact and contact.opted_out and key not in texts.ALWAYS_SENT:
        return None
    language = language or (contact.language if contact else "th")
    body = texts.render(language, key, **params)
    row = Outbox.create(phone=phone, body=body, kind=key, case=case)
    pending.later(pending.SEND_SMS, row.id)
    return row


def queue_text(phone: str, body: str, kind: str = "reply") -> Outbox:
    """Write an already rendered text (a flow's reply) to the outbox."""
    row = Outbox.create(phone=phone, body=body, kind=kind)
    pending.later(pending.SEND_SMS, row.id)
    return row


def claim(outbox_id: int) -> Outbox | None:
    """Atomically take a queued row for sending; None when someone else has it or it is done."""
    now = utcnow()
    updated = (
        Outbox.update(status=OutboxStatus.SENDING, attempts=Outbox.attempts + 1, updated_at=now)
        .where((Outbox.id == outbox_id) & (Outbox.status == OutboxStatus.QUEUED))
        .execute()
    )
    return Outbox.get_by_id(outbox_id) if updated else None


def send(outbox_id: int, backend: Backend) -> OutboxStatus | None:
    """Send one outbox row through ``backend``; safe to call twice for the same row.

    Raises RetryableSendError (after putting the row back in the queue) so that rq's
    Retry tries again later.
    """
    row = claim(outbox_id)
    if row is None:
        return None
    try:
        provider_id = backend.send(row.phone, row.body, row.id)
    except PermanentSendError as error:
        _finish(row, OutboxStatus.FAILED, backend.name, error=str(error))
        log.warning("SMS %s to %s failed for good: %s", row.id, row.phone, error)
        return OutboxStatus.FAILED
    except RetryableSendError as error:
        if row.attempts >= MAX_ATTEMPTS:
            _finish(row, OutboxStatus.FAILED, backend.name, error=str(error))
            return OutboxStatus.FAILED
        _finish(row, OutboxStatus.QUEUED, backend.name, error=str(error))
        raise
    _finish(row, OutboxStatus.SENT, backend.name, provider_id=provider_id)
    return OutboxStatus.SENT


def _finish(row: Outbox, status: OutboxStatus, provider: str, provider_id=None, error=None) -> None:
    now = utcnow()
    fields = {"status": status, "provider": provider, "updated_at": now, "error": (error or "")[:255] or None}
    if provider_id:
        fields.update(provider_id=provider_id, sent_at=now)
    Outbox.update(**fields).where(Outbox.id == row.id).execute()


DELIVERY_STATUSES = {
    "delivered": OutboxStatus.DELIVERED,
    "undelivered": OutboxStatus.FAILED,
    "failed": OutboxStatus.FAILED,
}
"""Provider delivery reports that change a row; others (queued, sent…) are only logged."""


def record_delivery(provider: str, provider_id: str, report: str, error_code: str | None = None) -> bool:
    """Record a provider's delivery report for the row it sent; False when unknown."""
    status = DELIVERY_STATUSES.get((report or "").lower())
    row = Outbox.get_or_none((Outbox.provider == provider) & (Outbox.provider_id == provider_id))
    if row is None:
        return False
    if status is not None:
        fields = {"status": status, "updated_at": utcnow()}
        if error_code:
            fields["error"] = f"{report} {error_code}"[:255]
        Outbox.update(**fields).where(Outbox.id == row.id).execute()
        if status == OutboxStatus.FAILED and row.status != OutboxStatus.FAILED:
            from . import redelivery

            redelivery.after_failure(row)
    return True


def stale_ids(now: dt.datetime | None = None) -> list[int]:
    """Rows the sweep should enqueue again: queued for a while, or stuck in sending."""
    now = now or utcnow()
    with database.atomic():
        (
            Outbox.update(status=OutboxStatus.QUEUED, updated_at=now)
            .where((Outbox.status == OutboxStatus.SENDING) & (Outbox.updated_at < now - STALE_SENDING))
            .execute()
        )
        query = Outbox.select(Outbox.id).where(
            (Outbox.status == OutboxStatus.QUEUED) & (Outbox.updated_at < now - STALE_QUEUED)
            & (Outbox.send_after.is_null() | (Outbox.send_after <= now))
        )
        return [row.id for row in query]
