"""The one path of every inbound SMS, whichever provider brought it: store it first, then
let the flows answer, then hand the work it caused to the queue."""
from __future__ import annotations

import logging

import peewee as pw

from cases import pending, texts
from cases.models import InboundMessage, database
from cases.outbox import language_of, queue_text
from cases.phones import try_e164
from flows import sms
from workers import dispatch

log = logging.getLogger(__name__)

MAX_BODY = 1600
"""Longest SMS text we keep (ten concatenated segments); the rest is cut."""


class BadMessage(ValueError):
    """The request does not carry an SMS we can read."""


def receive(provider: str, provider_id: str, sender: str, body: str, reply_inline: bool = True) -> str:
    """Store, answer and dispatch one inbound SMS; a repeated ``provider_id`` gets the same reply.

    With ``reply_inline`` False the reply is queued in the outbox instead (gateways that
    cannot answer in the webhook response).
    """
    phone = try_e164(sender or "")
    if not provider_id or phone is None:
        raise BadMessage("missing message id or sender")
    body = (body or "")[:MAX_BODY]
    message = _store(provider, provider_id, phone, body)
    if message.processed:
        return message.reply or ""
    try:
        reply = sms.handle(phone, body)
    except Exception:  # the message is stored; answer politely and keep it for a look
        pending.discard()
        log.exception("inbound %s %s could not be handled", provider, provider_id)
        sorry = texts.render(language_of(phone), texts.SORRY)
        if not reply_inline:  # the gateway cannot answer inline: the apology goes by the outbox
            with database.atomic():
                queue_text(phone, sorry, kind=texts.SORRY)
            dispatch.flush()
        return sorry
    with database.atomic():
        if reply and not reply_inline:
            queue_text(phone, reply)
        InboundMessage.update(reply=reply, processed=True).where(InboundMessage.id == message.id).execute()
    dispatch.flush()
    return reply


def _store(provider: str, provider_id: str, phone: str, body: str) -> InboundMessage:
    try:
        with database.atomic():
            return InboundMessage.create(provider=provider, provider_id=provider_id, phone=phone, body=body)
    except pw.IntegrityError:
        return InboundMessage.get((InboundMessage.provider == provider) & (InboundMessage.provider_id == provider_id))
