"""Webhook signatures: Twilio's (RequestValidator)."""
from __future__ import annotations

import functools

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator


def public_url() -> str:
    """The URL the provider called: PUBLIC_BASE_URL + path when behind a proxy."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def require_twilio_signature(view):
    """403 unless X-Twilio-Signature is right (skipped, with a start-up warning, without a token)."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        token = current_app.config.get("TWILIO_AUTH_TOKEN")
        if token:
            signature = request.headers.get("X-Twilio-Signature", "")
            if not RequestValidator(token).validate(public_url(), request.form.to_dict(flat=True), signature):
                abort(403, description="bad Twilio signature")
        return view(*args, **kwargs)

    return checked
