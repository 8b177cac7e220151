"""Twilio SMS adapter: signed webhook in, TwiML reply out; delivery status callbacks."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from cases.messages import redelivery
from flows import inbound
from web import enqueue, services, unit_of_work

from . import metrics
from .signatures import require_twilio_signature

bp = Blueprint("twilio_sms", __name__, url_prefix="/twilio/sms")

TWIML = "application/xml"
NO_REPLY = str(MessagingResponse())
"""The TwiML of a webhook answered later by SMS (the same for every one of a flood)."""


@bp.post("")
@require_twilio_signature
def incoming():
    form = request.form
    try:
        reply = inbound.receive(
            "twilio", form.get("MessageSid", ""), form.get("From", ""), form.get("Body", ""), enqueue(),
            admission=services().admission,
        )
    except inbound.BadMessage as error:
        abort(400, description=str(error))
    metrics.count_inbound("twilio")
    if not reply:
        return Response(NO_REPLY, mimetype=TWIML)
    response = MessagingResponse()
    response.message(reply)
    return Response(str(response), mimetype=TWIML)


@bp.post("/status")
@require_twilio_signature
def status():
    form = request.form
    sid, report = form.get("MessageSid", ""), form.get("MessageStatus", "")
    if not sid or not report:
        abort(400, description="MessageSid and MessageStatus are required")
    with unit_of_work():  # a failure may cause a retry or a word to the village head
        known = redelivery.on_report("twilio", sid, report, form.get("ErrorCode"))
    if not known:
        current_app.logger.info("status %s for unknown message %s", report, sid)
    return "", 204
