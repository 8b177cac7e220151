"""Webhook signatures: Twilio's (RequestValidator: the Auth Token's HMAC-SHA1, or a Webhook
Setting's SharedKey and algorithm) and SMS Gateway for Android's (HMAC-SHA256)."""
from __future__ import annotations

import functools
import hashlib
import hmac
import time

from flask import abort, current_app, request
from twilio.request_validator import (
    SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER, RequestValidator, get_signature_algorithm,
)

from web import is_production


def public_url() -> str:
    """The URL the provider called: PUBLIC_BASE_URL + path when behind a proxy."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def twilio_secret(config, headers) -> tuple[str | None, str | None]:
    """The secret a Twilio webhook was signed with, or why it cannot be checked: the Auth
    Token (HMAC-SHA1), or, when a Webhook Rule applied a Setting (its header names the
    algorithm), that Setting's SharedKey (``TWILIO_WEBHOOK_SHARED_KEY``)."""
    if headers.get(SIGNATURE_SETTINGS_HEADER) is None:
        return config.get("TWILIO_AUTH_TOKEN"), None
    key = config.get("TWILIO_WEBHOOK_SHARED_KEY")
    return key, None if key else "signed with a Webhook Setting's SharedKey, and TWILIO_WEBHOOK_SHARED_KEY is not set"


def require_twilio_signature(view):
    """403 unless X-Twilio-Signature is right (skipped in development only, with a start-up
    warning, when neither the Auth Token nor a SharedKey is set)."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        config = current_app.config
        if config.get("TWILIO_AUTH_TOKEN") or config.get("TWILIO_WEBHOOK_SHARED_KEY") or is_production(config):
            secret, problem = twilio_secret(config, request.headers)
            if problem:
                current_app.logger.error("Twilio webhook refused: %s", problem)
                abort(403, description=problem)
            algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
            signature = request.headers.get(SIGNATURE_HEADER, "")
            if not secret or not RequestValidator(secret).validate(public_url(), request.form, signature, algorithm):
                abort(403, description="bad Twilio signature")
        return view(*args, **kwargs)

    return checked


SMSGATE_MAX_AGE = 300
"""Seconds an SMS Gateway for Android webhook may be old (or early) before it is a replay."""


def smsgate_signature(key: str, body: bytes, timestamp: str) -> str:
    """The app's X-Signature: hex HMAC-SHA256 of the raw body followed by X-Timestamp."""
    return hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def smsgate_problem(key: str | None, body: bytes, timestamp: str, signature: str, now: float | None = None) -> str | None:
    """Why a webhook from the app must be refused (None when it is genuine and fresh)."""
    if not key:
        return "SMSGATE_SIGNING_KEY is not set"
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "bad X-Timestamp"
    if abs((time.time() if now is None else now) - sent_at) > SMSGATE_MAX_AGE:
        return "stale X-Timestamp"
    expected = smsgate_signature(key, body, timestamp).encode()
    if not hmac.compare_digest(expected, signature.strip().lower().encode("utf-8", "replace")):
        return "bad X-Signature"
    return None


def require_smsgate_signature(view):
    """403 (nothing read, nothing stored) unless X-Signature and X-Timestamp are right and fresh."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        problem = smsgate_problem(
            current_app.config.get("SMSGATE_SIGNING_KEY"), request.get_data(cache=True),
            request.headers.get("X-Timestamp", ""), request.headers.get("X-Signature", ""),
        )
        if problem:
            abort(403, description=problem)
        return view(*args, **kwargs)

    return checked
