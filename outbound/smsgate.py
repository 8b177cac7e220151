"""SMS Gateway for Android (capcom6/android-sms-gateway): phones with Thai SIMs send our SMS
through the app's REST API, via the official ``android-sms-gateway`` client.

One account may have several phones (SMSGATE_DEVICES, each ``deviceId[=operator[/operator]]``):
a reply leaves from the phone and SIM that received the citizen's SMS unless it would wait
there longer than SMSGATE_OVERFLOW_AFTER seconds (then from the phone that can send it
soonest), anything else from the least-loaded phone; each phone keeps its own pace
(SMSGATE_MAX_PER_MINUTE) and is skipped while it is down (``phones``). Rows a
phone cannot send now wait for its wake-up (``pacing``).
"""
from __future__ import annotations

import datetime as dt

import peewee as pw
import requests
from android_sms_gateway import APIClient, Message, TextMessage
from android_sms_gateway.enums import MessagePriority
from android_sms_gateway.errors import APIError
from android_sms_gateway.http import RequestsHttpClient

from cases.province.phones import operator_name
from cases.store.models import Outbox, Priority, utcnow

from . import pacing
from .phones import ANDROID_PER_MINUTE, OVERFLOW_AFTER, Phones
from .sending import PermanentSendError, RetryableSendError

DEFAULT_TIMEOUT = 15
"""Seconds to wait for the phone's API before calling the send retryable; SEND_TIMEOUT overrides."""
LOOKUP_TIMEOUT = 3
"""Seconds to wait for the gateway's device list (asked from /healthz too)."""
CLIENT_ERRORS = (APIError, requests.RequestException, OSError, ValueError, KeyError, TypeError, AttributeError)
"""What a call through the client may raise when the gateway is away or answers oddly."""


class _TimeoutSession(requests.Session):
    """A requests session that never waits forever (the client sets no timeout)."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


REPLY_PRIORITY = MessagePriority.BYPASS_THRESHOLD
"""The app's priority for a conversation reply: 100 and above skips its own limits and delays."""


def message_id(outbox_id: int) -> str:
    """The id we give the app for an outbox row: a repeated send is the same message to it."""
    return f"rongrian-{outbox_id}"


def _entries(setting) -> list[str]:
    parts = setting.split(",") if isinstance(setting, str) else (setting or [])
    return [part.strip() for part in parts if part and part.strip()]


def devices_of(setting) -> list[str]:
    """SMSGATE_DEVICES as a list of deviceIds (a comma-separated text, or a list); each entry
    ``deviceId`` or ``deviceId=operator`` or ``deviceId=operator/operator`` (SIM 1, SIM 2)."""
    return [entry.partition("=")[0].strip() for entry in _entries(setting) if entry.partition("=")[0].strip()]


def operators_of(setting) -> dict[str, tuple[str | None, ...]]:
    """deviceId → the operator of its SIM 1, SIM 2… as SMSGATE_DEVICES says (``ais/dtac``)."""
    found = {}
    for entry in _entries(setting):
        device, _, sims = entry.partition("=")
        if device.strip() and sims.strip():
            found[device.strip()] = tuple(operator_name(sim) for sim in sims.split("/"))
    return found


class SmsGateBackend:
    """Outbound SMS through the Android phones, each at most SMSGATE_MAX_PER_MINUTE a minute."""

    name = "smsgate"
    tells_repeats = True  # the app refuses a second message with the same id (409)
    can_look_up = False

    def __init__(self, settings, connection):
        if not settings.get("SMSGATE_URL"):
            raise RuntimeError("SMS backend smsgate needs SMSGATE_URL, SMSGATE_USERNAME and SMSGATE_PASSWORD")
        self.client, self.lookups = (
            APIClient(settings.get("SMSGATE_USERNAME"), settings.get("SMSGATE_PASSWORD") or "",
                      base_url=settings["SMSGATE_URL"], http=RequestsHttpClient(_TimeoutSession(timeout)))
            for timeout in (settings.get("SEND_TIMEOUT") or DEFAULT_TIMEOUT, LOOKUP_TIMEOUT)
        )
        self.connection = connection
        self.pace = int(settings.get("SMSGATE_MAX_PER_MINUTE") or 0)
        devices = settings.get("SMSGATE_DEVICES")
        overflow_after = settings.get("SMSGATE_OVERFLOW_AFTER")
        self.phones = Phones(connection, devices_of(devices), self.pace, self._last_seen, operators_of(devices),
                             OVERFLOW_AFTER if overflow_after is None else float(overflow_after))
        self.pacer = pacing.Pacer(self.phones, self, float(settings.get("STALE_AFTER") or 60))

    def admit(self, row) -> float:
        """0 when the phone chosen for ``row`` may send it now, else the seconds until that
        phone wakes up (the row is parked for it)."""
        return self.pacer.admit(row)

    def phone_of(self, row) -> str | None:
        """The phone whose wake-up sends ``row`` once parked (None: the only phone)."""
        return row.device if self.phones.several else None

    def wake(self, phone: str | None) -> dict[str | None, float]:
        """Send what is parked for ``phone`` as its pace allows; phone → seconds to its next wake-up."""
        return self.pacer.wake(phone)

    def send(self, row) -> str:
        outbox_id = row.id
        extra = {}
        if Priority(row.priority).answers:
            extra["priority"] = REPLY_PRIORITY
        if row.expires_at is not None:
            extra["ttl"] = max(1, int((row.expires_at - utcnow()).total_seconds()))
        message = Message(
            phone_numbers=[row.phone], text_message=TextMessage(text=row.body),
            id=message_id(outbox_id), with_delivery_report=True, device_id=row.device, sim_number=row.sim, **extra,
        )
        health = (self.phones.get(row.device) or self.phones.all[0]).health
        try:
            state = self.client.send(message)
        except APIError as error:
            status = error.status_code or 0
            if status == 409:  # the app already has this id: an earlier attempt got through
                return message_id(outbox_id)
            health.failed(f"smsgate {status}")
            if status == 429 or status >= 500 or status == 0:
                raise RetryableSendError(f"smsgate {status}") from error
            raise PermanentSendError(f"smsgate {status}") from error
        except (requests.RequestException, OSError, ValueError, KeyError) as error:
            health.failed(f"smsgate unreachable: {type(error).__name__}")
            raise RetryableSendError(f"smsgate unreachable: {type(error).__name__}") from error
        health.sent()
        return state.id

    def find_sent(self, row) -> str | None:
        """Not asked: a row sent again under its id is refused by the app if it has it."""
        return None

    def _last_seen(self) -> dict[str, float] | None:
        """deviceId → the gateway's ``lastSeen`` of each phone; None when it cannot say."""
        try:
            return {device.id: device.last_seen.timestamp() for device in self.lookups.list_devices() if device.last_seen}
        except CLIENT_ERRORS:
            return None

    def state(self) -> dict:
        """Per phone: SMS waiting by priority and the age of the oldest, the pace of the last
        minutes, the last success, up or down (and why), the next wake-up."""
        waiting = self._waiting()
        phones = {}
        for phone in self.phones.all:
            report = phone.health.report()
            down = self.phones.down_because(phone)
            report.update(
                up=down is None, down_because=down, waiting=waiting.get(phone.device, {}),
                next_wake_seconds=pacing.booked_in(self.connection, pacing.lane(self.name, phone.device)),
                operators=list(phone.operators),
            )
            phones[phone.label] = report
        return {
            "up": any(report["up"] for report in phones.values()),
            "pace_per_minute": self.pace, "replies_up_to_per_minute": max(self.pace, ANDROID_PER_MINUTE),
            "overflow_after_seconds": self.phones.overflow_after,
            "phones": phones,
        }

    def _waiting(self) -> dict[str | None, dict[str, dict]]:
        """Device → priority name → {count, oldest_seconds} of the rows parked for it."""
        now = utcnow()
        query = (
            Outbox.select(Outbox.device, Outbox.priority, pw.fn.COUNT(Outbox.id).alias("n"),
                          pw.fn.MIN(Outbox.created_at).alias("oldest"))
            .where(self.phones.waiting()).group_by(Outbox.device, Outbox.priority).dicts()
        )
        found: dict[str | None, dict[str, dict]] = {}
        for row in query:
            device = row["device"] if self.phones.several else None
            oldest = row["oldest"]
            if isinstance(oldest, str):  # SQLite gives aggregates back as text
                oldest = dt.datetime.fromisoformat(oldest)
            name = Priority(row["priority"]).name.lower()
            entry = found.setdefault(device, {}).setdefault(name, {"count": 0, "oldest_seconds": 0})
            entry["count"] += row["n"]
            entry["oldest_seconds"] = max(entry["oldest_seconds"], round((now - oldest).total_seconds()))
        return found
