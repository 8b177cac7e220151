"""SMS Gateway for Android adapter: the app's signed webhook events in.

``sms:received`` goes the one inbound path (the reply leaves through the outbox: the app
cannot answer in the webhook response); ``sms:sent`` / ``sms:delivered`` / ``sms:failed``
update the outbox row the app sent. Other events are acknowledged and ignored.
"""
from __future__ import annotations

import hashlib

from android_sms_gateway import SmsReceivedPayload, WebhookEvent
from flask import Blueprint, abort, current_app, request

from cases.messages import redelivery
from flows import inbound
from web import enqueue, services, unit_of_work

from . import metrics
from .signatures import require_smsgate_signature

bp = Blueprint("smsgate", __name__, url_prefix="/smsgate")

PROVIDER = "smsgate"
DELIVERY_REPORTS = {
    WebhookEvent.SMS_SENT.value: "sent",
    WebhookEvent.SMS_DELIVERED.value: "delivered",
    WebhookEvent.SMS_FAILED.value: "failed",
}
"""Webhook event → the delivery report ``cases.messages.outbox.record_delivery`` understands."""


def message_key(sms: SmsReceivedPayload) -> str:
    """One received SMS, whichever event delivered it: sender + text + time received.

    The app retries an event with the same id and payload, and may report one SMS again
    under a new event id (its ``messageId`` is not unique), so this is what we dedupe on."""
    raw = "\x1f".join([sms.phone_number, sms.message, sms.received_at.isoformat()])
    return "sms-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:56]


def _event() -> tuple[str, dict]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="the body must be a JSON object")
    kind, payload = data.get("event"), data.get("payload")
    if not isinstance(kind, str) or not isinstance(data.get("id"), (str, int)) or not isinstance(payload, dict):
        abort(400, description="event, id and payload are required")
    return kind, payload


def _device() -> str | None:
    """The gateway phone that sent the event (it received the SMS)."""
    device = (request.get_json(silent=True) or {}).get("deviceId")
    return device[:64] if isinstance(device, str) and device else None


def _received(payload: dict) -> SmsReceivedPayload:
    try:
        sms = SmsReceivedPayload.from_dict({"sender": payload.get("phoneNumber"), **payload})
    except (KeyError, TypeError, ValueError, AttributeError):
        abort(400, description="payload needs messageId, message, phoneNumber and receivedAt")
    if not isinstance(sms.message, str) or not isinstance(sms.phone_number, str):
        abort(400, description="message and phoneNumber must be strings")
    return sms


@bp.post("/events")
@require_smsgate_signature
def events():
    kind, payload = _event()
    if kind == WebhookEvent.SMS_RECEIVED.value:
        sms = _received(payload)
        try:
            inbound.receive(
                PROVIDER, message_key(sms), sms.phone_number, sms.message, enqueue(), reply_inline=False,
                device=_device(), sim=sms.sim_number, admission=services().admission,
            )
        except inbound.BadMessage as error:
            abort(400, description=str(error))
        metrics.count_inbound(PROVIDER)
    elif kind in DELIVERY_REPORTS:
        message_id = payload.get("messageId")
        if not isinstance(message_id, str) or not message_id:
            abort(400, description="payload needs messageId")
        reason = payload.get("reason") if isinstance(payload.get("reason"), str) else None
        with unit_of_work():  # a failure may cause a retry or a word to the village head
            known = redelivery.on_report(PROVIDER, message_id, DELIVERY_REPORTS[kind], reason)
        if not known:
            current_app.logger.info("%s for unknown message %s", kind, message_id)
    return "", 204
