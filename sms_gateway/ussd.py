"""USSD adapter (Africa's Talking style): form in, ``CON …`` / ``END …`` text out."""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, abort, current_app, request

from cases.province.phones import try_e164
from flows.inbound import without_nul
from web.phone import ussd_answer

log = logging.getLogger(__name__)

bp = Blueprint("ussd", __name__)

MAX_TEXT = 2000
"""Longer ``text`` than any session gives: refused."""
KEY_HEADER = "X-Ussd-Key"
"""Where a USSD gateway that can set headers sends USSD_SECRET (kept out of access logs)."""


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
    shown, end = ussd_answer(session_id, phone, text)
    return Response(("END " if end else "CON ") + shown, mimetype="text/plain")
