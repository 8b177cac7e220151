"""The settings: read once from the environment by the composition root (see the README's table)."""
from __future__ import annotations

import os

from cases.casework.limits import MAX_REPORTS_PER_DAY
from web import PRODUCTION, is_production  # noqa: F401  (the settings' own words, re-exported)

DEFAULT_DATABASE_URL = "sqlite:///instance/rongrian.db"
"""SQLite in the instance folder unless DATABASE_URL says otherwise."""
DEFAULT_VOICE_NAME = "Google.th-TH-Standard-A"
"""The text-to-speech voice of <Say> on voice calls."""
DEFAULT_REDIS_URL = "redis://127.0.0.1:6391/0"
"""The local Redis that `make run` starts when REDIS_URL is unset."""
DEVELOPMENT = "development"
"""RONGRIAN_ENV of a developer's machine: open doors are allowed, and said loudly at start-up."""
ENVIRONMENTS = (DEVELOPMENT, PRODUCTION)


def _intervals(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _keys(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def from_env(environ=None) -> dict:
    """The app's settings as Flask config keys, read from ``environ`` (os.environ by default)."""
    env = os.environ if environ is None else environ
    token = env.get("TWILIO_AUTH_TOKEN") or None
    sid = env.get("TWILIO_ACCOUNT_SID") or None
    backend = env.get("SMS_BACKEND") or ("twilio" if sid and token else "console")
    return {
        "RONGRIAN_ENV": (env.get("RONGRIAN_ENV") or DEVELOPMENT).strip().lower(),
        "DATABASE_URL": env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        "REDIS_URL": env.get("REDIS_URL", DEFAULT_REDIS_URL),
        "SECRET_KEY": env.get("SECRET_KEY") or None,  # console sessions; see console.init_app
        "TWILIO_ACCOUNT_SID": sid,
        "TWILIO_AUTH_TOKEN": token,
        "TWILIO_WEBHOOK_SHARED_KEY": env.get("TWILIO_WEBHOOK_SHARED_KEY") or None,  # a Webhook Setting's
        "TWILIO_FROM_NUMBER": env.get("TWILIO_FROM_NUMBER") or None,
        "TWILIO_MESSAGING_SERVICE_SID": env.get("TWILIO_MESSAGING_SERVICE_SID") or None,
        "TWILIO_API_BASE": env.get("TWILIO_API_BASE", "https://api.twilio.com"),
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
        "SMS_BACKEND": backend,
        "SMS_BACKEND_STAFF": env.get("SMS_BACKEND_STAFF") or None,  # None: SMS_BACKEND
        "SMS_BACKEND_CITIZENS": env.get("SMS_BACKEND_CITIZENS") or None,
        "SMSGATE_URL": env.get("SMSGATE_URL") or None,
        "SMSGATE_USERNAME": env.get("SMSGATE_USERNAME") or None,
        "SMSGATE_PASSWORD": env.get("SMSGATE_PASSWORD") or None,
        "SMSGATE_SIGNING_KEY": env.get("SMSGATE_SIGNING_KEY") or None,
        "SMSGATE_MAX_PER_MINUTE": int(env.get("SMSGATE_MAX_PER_MINUTE") or 20),  # pace of each phone
        "SMSGATE_DEVICES": [part.strip() for part in env.get("SMSGATE_DEVICES", "").split(",") if part.strip()],
        "USSD_SECRET": env.get("USSD_SECRET") or None,
        "OPEN311_API_KEYS": _keys(env.get("OPEN311_API_KEYS", "")),  # none: POST to Open311 refused
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,
        "PROMETHEUS_MULTIPROC_DIR": env.get("PROMETHEUS_MULTIPROC_DIR") or None,  # /metrics over every web process  # /healthz detail (and /metrics) behind it
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES") or 0),  # proxies whose X-Forwarded-* to believe
        "VOICE_NAME": env.get("VOICE_NAME") or DEFAULT_VOICE_NAME,
        "SMS_RETRY_INTERVALS": _intervals(env.get("SMS_RETRY_INTERVALS", "10,60,300,900")),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", 64 * 1024)),
        "MAX_REPORTS_PER_DAY": int(env.get("MAX_REPORTS_PER_DAY") or MAX_REPORTS_PER_DAY),
        # inbound SMS a second answered in the webhook's response; in a flood the rest by a worker
        "INLINE_MAX_PER_SECOND": int(env.get("INLINE_MAX_PER_SECOND") or 100),
        # drain jobs answering a flood's SMS at once (default 2): with more worker processes, that many
        "INBOUND_DRAINS": int(env.get("INBOUND_DRAINS") or 0) or None,
        "SWEEP_EVERY": int(env.get("SWEEP_EVERY") or 20),  # seconds between sweeps
        "STALE_AFTER": int(env.get("STALE_AFTER") or 60),  # seconds before waiting work is swept
        "SENDING_TIMEOUT": int(env.get("SENDING_TIMEOUT") or 90),  # seconds before a claimed send is abandoned
        "SEND_TIMEOUT": int(env.get("SEND_TIMEOUT") or 15),  # seconds to wait for a provider's API
    }
