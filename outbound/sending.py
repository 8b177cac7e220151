"""The send loop of one outbox row: claim it, send it through its provider's backend, mark
it sent or failed (or queue it again for rq's Retry), and forget a secret's text once done.

``cases.messages.outbox`` only queues rows; every send of a row passes here, whichever
process sends it (a send job, a phone's wake-up, a drain, the web answering a flood).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from cases.language import texts
from cases.province.phones import masked
from cases.store.models import Outbox, OutboxStatus, utcnow
from cases.store.prepared import Prepared, slot

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
"""After this many retryable failures a row is marked failed instead of tried again."""


SECRET_KEYS = frozenset({texts.STAFF_LOGIN_CODE})
"""Templates whose text is a secret (a login code): never logged, and kept only until the row is sent, failed or
expired."""
FORGOTTEN_BODY = "(login code: removed once sent)"
"""What a secret row's body becomes once it is done with."""


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
