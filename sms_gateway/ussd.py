"""USSD adapter (Africa's Talking style): form in, ``CON …`` / ``END …`` text out."""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, abort, current_app, request

from cases.language import texts
from cases.messages.outbox import language_of
from cases.province.phones import try_e164
from flows import sessions, ussd
from flows.inbound import without_nul
from web import services, unit_of_work

log = logging.getLogger(__name__)

bp = Blueprint("ussd", __name__)

MAX_TEXT = 2000
"""Longer ``text`` than any session gives: refused."""
KEY_HEADER = "X-Ussd-Key"
"""Where a USSD gateway that can set headers sends USSD_SECRET (kept out of access logs)."""


def store() -> sessions.RedisStore:
    """USSD sessions, voice calls and unfinished reports, in the app's Redis."""
    connection = services().connection
    return sessions.RedisStore(lambda: connection)


def answer(session_id: str, phone: str, text: str) -> tuple[str, bool]:
    """One USSD request through the menu; the work it caused goes to the queue."""
    try:  # the unit of work is opened by the step that files a report (the others only read)
        return ussd.respond(session_id, phone, text, store(), unit=unit_of_work)
    except Exception:  # never a 500 to the gateway; the citizen may dial again
        log.exception("USSD session %s failed", session_id)
        return texts.render(language_of(phone), texts.SORRY), True


def caller_key() -> str:
    """The key the caller gave: the header, else ``?key=`` (for gateways that only take a URL)."""
    return request.headers.get(KEY_HEADER) or request.args.get("key", "")


@bp.post("/ussd")
def incoming():
    secret = current_app.config.get("USSD_SECRET")  # production never starts without one
    if secret and not hmac.compare_digest(caller_key().encode(), secret.encode()):
        abort(403, description="wrong or missing key")
    form = request.form
    session_id, text = form.get("sessionId", "").strip(), without_nul(form.get("text", ""))
    phone = try_e164(form.get("phoneNumber", ""))
    if not session_id or phone is None:
        abort(400, description="sessionId and phoneNumber are required")
    if len(session_id) > 100 or len(text) > MAX_TEXT:
        abort(400, description="sessionId or text too long")
    shown, end = answer(session_id, phone, text)
    return Response(("END " if end else "CON ") + shown, mimetype="text/plain")
