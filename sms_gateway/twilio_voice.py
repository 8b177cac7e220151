"""Twilio voice adapter: signed webhooks in, TwiML (<Gather>, <Say>, <Record>) out."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request, url_for
from twilio.twiml.voice_response import VoiceResponse

from cases.language import texts
from cases.messages.outbox import language_of
from cases.province.phones import try_e164
from flows import voice
from web import phone as phone_turns
from web import unit_of_work

from .signatures import require_twilio_signature

log = logging.getLogger(__name__)

bp = Blueprint("twilio_voice", __name__, url_prefix="/twilio/voice")

TWIML = "application/xml"
SAY_LANGUAGES = {"th": "th-TH", "en": "en-US"}
MAX_RECORDING = 60
"""Seconds of a spoken description."""
GATHER_TIMEOUT = 8
"""Seconds of silence before the question is asked again."""


def _caller() -> tuple[str, str]:
    call_sid, phone = request.form.get("CallSid", "").strip(), try_e164(request.form.get("From", ""))
    if not call_sid or phone is None:
        abort(400, description="CallSid and From are required")
    return call_sid, phone


def _say(node, text: str, language: str) -> None:
    if language == "th":
        node.say(text, language=SAY_LANGUAGES["th"], voice=current_app.config["VOICE_NAME"])
    else:
        node.say(text, language=SAY_LANGUAGES.get(language, "en-US"))


def twiml(turn: voice.Turn) -> Response:
    """The TwiML that says ``turn`` and collects its answer."""
    response = VoiceResponse()
    step_url = url_for("twilio_voice.step")
    if turn.end:
        _say(response, turn.text, turn.language)
        response.hangup()
    elif turn.expects == "text":
        _say(response, turn.text, turn.language)
        response.record(action=step_url, method="POST", max_length=MAX_RECORDING, finish_on_key="#", play_beep=True)
        response.redirect(url_for("twilio_voice.step", silent=1), method="POST")  # nothing was recorded
    else:
        keys = {"num_digits": turn.keys} if turn.expects == "choice" else {"finish_on_key": "#"}
        gather = response.gather(
            input="dtmf", action=step_url, method="POST", timeout=GATHER_TIMEOUT, action_on_empty_result=True, **keys
        )
        _say(gather, turn.text, turn.language)
    return Response(str(response), mimetype=TWIML)


def _run(call) -> Response:
    try:
        with unit_of_work():
            turn = call()
    except Exception:  # never a 500 to Twilio: apologise and hang up
        log.exception("voice call failed")
        phone = try_e164(request.form.get("From", "")) or ""
        language = language_of(phone) if phone else "th"
        turn = voice.Turn(texts.render(language, texts.SORRY), language, "choice", True)
    return twiml(turn)


@bp.post("")
@require_twilio_signature
def incoming():
    call_sid, phone = _caller()
    return _run(lambda: phone_turns.call_start(call_sid, phone))


@bp.post("/step")
@require_twilio_signature
def step():
    call_sid, phone = _caller()
    form = request.form
    recording = form.get("RecordingUrl", "").strip() or None
    if recording and not recording.startswith("https://"):
        abort(400, description="RecordingUrl must be https")
    keys = phone_turns.voice_keys(form.get("Digits", ""), silent=request.args.get("silent") == "1")
    return _run(lambda: phone_turns.call_step(call_sid, phone, keys, recording_url=recording))
