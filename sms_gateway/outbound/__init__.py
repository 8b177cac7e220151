"""Outbound SMS backends, one module per provider: each takes one outbox row's phone and
body and returns the provider's message id, or raises a retryable / permanent send error.

Which backend sends a row is decided here at send time from the recipient's group: staff
phones use SMS_BACKEND_STAFF, everyone else SMS_BACKEND_CITIZENS (both default to SMS_BACKEND).
"""
from __future__ import annotations

import logging
from typing import NamedTuple

from cases import outbox
from cases.models import Outbox, OutboxStatus, Staff, utcnow

from .console import ConsoleBackend
from .smsgate import SmsGateBackend
from .twilio_rest import TwilioBackend

log = logging.getLogger(__name__)

BACKENDS = {"console": ConsoleBackend, "twilio": TwilioBackend, "smsgate": SmsGateBackend}
"""SMS_BACKEND name → backend class."""
GROUP_SETTINGS = {"staff": "SMS_BACKEND_STAFF", "citizens": "SMS_BACKEND_CITIZENS"}
"""Recipient group → the setting that names its backend."""

_settings: dict = {}
_backend_cache: dict = {}


class Deferred(NamedTuple):
    """The backend is over its rate: try this row again in ``seconds``."""

    seconds: float


def init_app(app) -> None:
    """Remember the settings the backends are built from (the worker runs under the app)."""
    _settings.clear()
    _settings.update(app.config)
    _backend_cache.clear()
    for setting in ("SMS_BACKEND", *GROUP_SETTINGS.values()):
        name = app.config.get(setting) or app.config["SMS_BACKEND"]
        if name not in BACKENDS:
            raise RuntimeError(f"{setting}={name!r}: choose one of {sorted(BACKENDS)}")


def backend_name(group: str | None = None) -> str:
    """The backend configured for ``group`` ("staff" or "citizens"), else SMS_BACKEND."""
    default = _settings.get("SMS_BACKEND", "console")
    return (_settings.get(GROUP_SETTINGS[group]) if group else None) or default


def get_backend(name: str | None = None):
    """The backend called ``name`` (SMS_BACKEND by default), built once per process."""
    name = name or backend_name()
    if name not in _backend_cache:
        _backend_cache[name] = BACKENDS[name](_settings)
    return _backend_cache[name]


def group_of(phone: str) -> str:
    """"staff" when ``phone`` is registered to an agency, else "citizens"."""
    return "staff" if Staff.get_or_none(Staff.phone == phone) is not None else "citizens"


def backend_for(phone: str):
    """The backend that sends to ``phone``."""
    return get_backend(backend_name(group_of(phone)))


def send_now(outbox_id: int) -> OutboxStatus | Deferred | None:
    """Send one queued outbox row through its recipient's backend, unless that backend is
    over its rate: then the row stays queued and ``Deferred`` says when to try again."""
    row = Outbox.get_or_none(Outbox.id == outbox_id)
    if row is None or row.status != OutboxStatus.QUEUED:
        return None
    backend = backend_for(row.phone)
    wait = backend.admit()
    if wait > 0:
        # touched, so that the sweep does not pile up jobs for a row that has one scheduled
        Outbox.update(updated_at=utcnow()).where(
            (Outbox.id == outbox_id) & (Outbox.status == OutboxStatus.QUEUED)
        ).execute()
        return Deferred(wait)
    return outbox.send(outbox_id, backend)
