"""Sending SMS: one backend module per provider, chosen per recipient at send time.

A ``Sender`` is built from the settings and an explicit Redis connection (rate limits), by
the web app and by the worker alike. Each backend takes one outbox row and returns the
provider's message id, or raises a retryable / permanent send error; it knows nothing of
cases. Staff phones use SMS_BACKEND_STAFF, everyone else SMS_BACKEND_CITIZENS (both default
to SMS_BACKEND).
"""
from __future__ import annotations

import logging
from typing import Mapping, NamedTuple

import redis

from cases.messages import outbox
from cases.province.catalog import CATALOG
from cases.store.models import Outbox, OutboxStatus

from . import pacing, sending
from .console import ConsoleBackend
from .smsgate import SmsGateBackend
from .twilio_rest import TwilioBackend

log = logging.getLogger(__name__)

BACKENDS = {"console": ConsoleBackend, "twilio": TwilioBackend, "smsgate": SmsGateBackend}
"""SMS_BACKEND name → backend class."""
GROUP_SETTINGS = {"staff": "SMS_BACKEND_STAFF", "citizens": "SMS_BACKEND_CITIZENS"}
"""Recipient group → the setting that names its backend."""


class Deferred(NamedTuple):
    """The backend's phone is over its pace: the row waits (parked) for that phone's wake-up
    (``lane``, see ``outbound.pacing``) in ``seconds``."""

    seconds: float
    priority: int
    lane: str


class Sender:
    """Sends outbox rows through the backend configured for each recipient."""

    def __init__(self, settings: Mapping, connection: redis.Redis):
        self.settings, self.connection = settings, connection
        self._backends: dict = {}
        for setting in ("SMS_BACKEND", *GROUP_SETTINGS.values()):
            name = settings.get(setting) or settings["SMS_BACKEND"]
            if name not in BACKENDS:
                raise RuntimeError(f"{setting}={name!r}: choose one of {sorted(BACKENDS)}")

    def backend_name(self, group: str | None = None) -> str:
        """The backend configured for ``group`` ("staff" or "citizens"), else SMS_BACKEND."""
        return (self.settings.get(GROUP_SETTINGS[group]) if group else None) or self.settings["SMS_BACKEND"]

    def names(self) -> set[str]:
        """Every backend some recipient may be sent through."""
        return {self.backend_name(group) for group in (None, *GROUP_SETTINGS)}

    def backend(self, name: str | None = None):
        """The backend called ``name`` (SMS_BACKEND by default), built once per Sender."""
        name = name or self.backend_name()
        if name not in self._backends:
            self._backends[name] = BACKENDS[name](self.settings, self.connection)
        return self._backends[name]

    def backend_for(self, phone: str):
        """The backend that sends to ``phone``."""
        staff = CATALOG.staff(phone) is not None
        return self.backend(self.backend_name("staff" if staff else "citizens"))

    def send_now(self, outbox_id: int) -> OutboxStatus | Deferred | None:
        """Send one queued outbox row, unless its backend's phone is over its pace: then the
        row stays queued (parked) and ``Deferred`` says which phone to wake up, and when."""
        row = sending.read(outbox_id)
        if row is None or row.status != OutboxStatus.QUEUED:
            return None
        if sending.expire(row):
            return OutboxStatus.EXPIRED
        backend = self.backend_for(row.phone)
        if row.attempts and backend.can_look_up:  # an earlier try may have got through unanswered
            provider_id = backend.find_sent(row)
            if provider_id:
                return sending.mark_sent(row, backend.name, provider_id)
        wait = backend.admit(row)  # a backend that may say wait parks the row and has ``phone_of``
        if wait > 0:
            return Deferred(wait, row.priority, pacing.lane(backend.name, backend.phone_of(row)))
        return sending.send(row, backend)

    def wake(self, lane: str, booked_ms: int) -> dict[str, float]:
        """The wake-up of one gateway phone: send what is parked for it as its pace allows;
        lane → seconds until it should wake up again (empty when nothing waits, or when another
        wake-up of that phone was booked instead of this one)."""
        if not pacing.start(self.connection, lane, booked_ms):
            return {}
        name, phone = pacing.parse_lane(lane)
        return {pacing.lane(name, other): seconds for other, seconds in self.backend(name).wake(phone).items()}

    def take_back_abandoned(self, claimed_before) -> list[tuple[Outbox, OutboxStatus]]:
        """Settle rows a dead sender left mid-send (claimed before ``claimed_before``): SENT
        when the provider has the message, queued again where it would refuse a repeat (or
        says it has none), else UNKNOWN for a look."""
        settled = []
        for row in outbox.abandoned(claimed_before):
            backend = self.backend(row.provider) if row.provider in BACKENDS else None
            provider_id = backend.find_sent(row) if backend else None
            resend = backend is not None and (backend.tells_repeats or backend.can_look_up)
            status = sending.take_back(row, provider_id, resend=resend)
            if status is not None:
                settled.append((row, status))
        return settled

    def state(self) -> dict:
        """Per backend (and phone): what waits, since when, the recent pace, the last success."""
        return {name: self.backend(name).state() for name in sorted(self.names())}
