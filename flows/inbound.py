"""The one path of every inbound SMS, whichever provider brought it: store it first, then
answer it in one transaction with marking it handled, so that a crash between the two can
never replay an answer into the next question.

A message that could not be answered (a lock, a lost connection, a bug) stays unhandled and
is tried again by a job and by the sweep; the citizen then gets the real answer by SMS. After
MAX_ATTEMPTS it is marked failed (``/healthz`` counts it), and the citizen gets the apology.
"""
from __future__ import annotations

import logging
from typing import Protocol

import peewee as pw

from cases.language import texts
from cases.messages.outbox import answering, language_of, queue_text
from cases.province.phones import try_e164
from cases.store import work
from cases.store.models import InboundMessage, utcnow
from cases.store.prepared import Prepared, slot

from . import sms

log = logging.getLogger(__name__)

MAX_BODY = 1600
"""Longest SMS text we keep (ten concatenated segments); the rest is cut."""
MAX_ATTEMPTS = 5
"""Failed tries after which a message is given up on (and the citizen told so)."""


class BadMessage(ValueError):
    """The request does not carry an SMS we can read."""


class Admission(Protocol):
    """Whether the webhook answers a message itself or leaves it to a worker (in a flood)."""

    def flooded(self) -> bool: ...

    def some_may_wait(self) -> bool: ...

    def left(self) -> None: ...


def receive(provider: str, provider_id: str, sender: str, body: str, enqueue: work.Enqueue | None,
            reply_inline: bool = True, device: str | None = None, sim: int | None = None,
            admission: Admission | None = None) -> str:
    """Store and answer one inbound SMS; the reply text ("" when it goes by the outbox, or
    when it could not be answered yet). A repeated ``provider_id`` gets the same reply, also
    while the first copy is still being answered (it waits for it).

    With ``reply_inline`` False the reply is queued in the outbox instead (gateways that
    cannot answer in the webhook response). When ``admission`` says not now, the message is
    only stored, and a worker answers it by SMS."""
    phone = try_e164(sender or "")
    if not provider_id or len(provider_id) > 64 or "\x00" in provider_id or phone is None:
        raise BadMessage("missing message id or sender")
    later = admission is not None and (admission.flooded() or (admission.some_may_wait() and waits_its_turn(phone)))
    message, new = store(provider, provider_id, phone, without_nul(body)[:MAX_BODY], device, sim, left_to_workers=later)
    if message.left_to_workers:  # so is a copy of one left to the workers
        if admission is not None:
            admission.left()
        return ""
    reply = answer(message.id, enqueue, reply_inline, fresh=message if new else None)
    return (reply or "") if reply_inline else ""


def without_nul(body: str | None) -> str:
    """The text without NUL characters: no SMS means one, and PostgreSQL refuses them in text."""
    return (body or "").replace("\x00", "")


def waits_its_turn(phone: str) -> bool:
    """An earlier message of ``phone`` still waits for a worker (then so does the next)."""
    return WAITING.where(InboundMessage.phone == phone).exists()


def store(provider: str, provider_id: str, phone: str, body: str, device=None, sim=None,
          left_to_workers: bool = False) -> tuple[InboundMessage, bool]:
    """The stored message, and True when it is new (False: an earlier copy of the webhook
    stored it, and only its id and whether it was left to the workers were read). One
    statement, committed at once: stored before anything else is tried, the message is
    never lost."""
    key = (InboundMessage.provider == provider) & (InboundMessage.provider_id == provider_id)
    message = InboundMessage(provider=provider, provider_id=provider_id, phone=phone, body=body, device=device, sim=sim,
                             left_to_workers=left_to_workers)
    try:
        with work.statement():
            message.id = STORE.execute(
                provider=provider, provider_id=provider_id, phone=phone, body=body, device=device, sim=sim,
                left_to_workers=left_to_workers, received_at=InboundMessage.received_at.db_value(message.received_at),
            ).fetchone()[0]
        return message, True
    except pw.IntegrityError:
        return InboundMessage.select(InboundMessage.id, InboundMessage.left_to_workers).where(key).get(), False


STORE = Prepared(lambda: InboundMessage.insert(
    provider=slot("provider"), provider_id=slot("provider_id"), phone=slot("phone"), body=slot("body"),
    device=slot("device"), sim=slot("sim"), left_to_workers=slot("left_to_workers"), received_at=slot("received_at"),
).returning(InboundMessage.id))
"""The message stored: the first statement of every inbound SMS (built once, issue 8)."""
MARK = Prepared(lambda: InboundMessage.update(reply=slot("reply"), processed=True).where(
    (InboundMessage.id == slot("id")) & (InboundMessage.processed == False)  # noqa: E712
))
"""The message marked answered, unless a copy was meanwhile: the last statement."""


class _AnsweredMeanwhile(Exception):
    """Another copy of the message was answered while this one was: drop this answer."""


def answer(message_id: int, enqueue: work.Enqueue | None, reply_inline: bool,
           fresh: InboundMessage | None = None) -> str | None:
    """Answer a stored message unless that was done; its reply, or None when it could not be
    answered now (then it is tried again later, and the answer goes by SMS).

    ``fresh``: the message as just stored, so not yet read again; marking it handled is then
    conditional, and loses to a copy that was answered meanwhile."""
    try:
        with work.unit_of_work(enqueue):
            this = InboundMessage.select().where(InboundMessage.id == message_id)
            if fresh is not None:
                work.lock(this.select(InboundMessage.id))  # a copy of the webhook waits for this one
            message = fresh or work.locked(this).get()
            if message.processed or message.failed_at is not None:
                return message.reply
            with answering(message.phone, message.device, message.sim):
                said = sms.respond(message.phone, message.body)
                reply = said.text
                if reply and not reply_inline:
                    queue_text(message.phone, reply, kind=said.kind, case=said.case)
            if not MARK.execute(reply=reply, id=message_id).rowcount:
                raise _AnsweredMeanwhile()
        return reply
    except _AnsweredMeanwhile:  # rolled back: the copy that won gave the answer
        return InboundMessage.get_by_id(message_id).reply
    except Exception as error:  # stored, so not lost: recorded, and tried again later
        log.exception("inbound message %s could not be answered", message_id)
        _failed(message_id, error, enqueue)
        return None


def answer_in_turn(message_id: int, enqueue: work.Enqueue | None) -> InboundMessage | None:
    """Answer by SMS a message that waited for a worker, after any older one of its phone
    still waiting (two workers may take them in either order); the message once settled
    (answered, or given up on), else None (it is tried again later)."""
    message = InboundMessage.get_or_none(InboundMessage.id == message_id)
    if message is None:
        return None
    if not _settled(message):
        older = InboundMessage.select(InboundMessage.id).where(
            (InboundMessage.phone == message.phone) & (InboundMessage.id < message_id)
            & (InboundMessage.processed == False) & InboundMessage.failed_at.is_null()  # noqa: E712
        ).order_by(InboundMessage.id)
        for earlier in [row.id for row in older]:
            answer(earlier, enqueue, reply_inline=False)
        answer(message_id, enqueue, reply_inline=False)
        message = InboundMessage.get_by_id(message_id)
    return message if _settled(message) else None


def _settled(message: InboundMessage) -> bool:
    return message.processed or message.failed_at is not None


def _failed(message_id: int, error: Exception, enqueue: work.Enqueue | None) -> None:
    try:
        with work.unit_of_work(enqueue):
            message = InboundMessage.get_by_id(message_id)
            if message.processed:
                return
            attempts = message.attempts + 1
            given_up = attempts >= MAX_ATTEMPTS
            InboundMessage.update(
                attempts=attempts, error=f"{type(error).__name__}: {error}"[:255],
                failed_at=utcnow() if given_up else None,
            ).where(InboundMessage.id == message_id).execute()
            if given_up:
                log.error("inbound message %s given up after %d tries", message_id, attempts)
                queue_text(message.phone, texts.render(language_of(message.phone), texts.SORRY), kind=texts.SORRY)
            else:
                work.later(work.Kind.HANDLE_INBOUND, message_id)
    except Exception:  # the database itself is gone: the sweep finds the message later
        log.exception("inbound message %s: failure not recorded", message_id)


WAITING = InboundMessage.select(InboundMessage.id).where(
    InboundMessage.left_to_workers & (InboundMessage.processed == False) & InboundMessage.failed_at.is_null()  # noqa: E712
)
"""Messages a flood left to the workers, not answered yet (nor given up on)."""


def left_to_workers(slot: int, slots: int, limit: int, skip: set[int] = frozenset()) -> list[int]:
    """The oldest messages left to the workers that drain ``slot`` (of ``slots``) answers, but
    not those in ``skip``."""
    share = InboundMessage.id - InboundMessage.id / slots * slots  # id modulo slots, in any SQL
    query = WAITING.where(share == slot)
    if skip:
        query = query.where(InboundMessage.id.not_in(list(skip)))
    return [row.id for row in query.order_by(InboundMessage.id).limit(limit)]


def left_to_workers_count() -> int:
    """Messages a flood left to the workers that are not answered yet."""
    return WAITING.count()


def unanswered_ids(older_than, limit: int = 500, but_left_to_workers: bool = False) -> list[int]:
    """Messages stored before ``older_than`` that are neither answered nor given up on (with
    ``but_left_to_workers``: not those a flood left to the drains)."""
    query = InboundMessage.select(InboundMessage.id).where(
        (InboundMessage.processed == False) & InboundMessage.failed_at.is_null()  # noqa: E712
        & (InboundMessage.received_at < older_than)
    ).order_by(InboundMessage.id).limit(limit)
    if but_left_to_workers:
        query = query.where(InboundMessage.left_to_workers == False)  # noqa: E712
    return [row.id for row in query]


def failed_count() -> int:
    """Messages given up on: each needs a look."""
    return InboundMessage.select().where(InboundMessage.failed_at.is_null(False)).count()
