"""SMS Gateway for Android (capcom6/android-sms-gateway): a phone with a Thai SIM sends our
SMS through its REST API, via the official ``android-sms-gateway`` client."""
from __future__ import annotations

import requests
from android_sms_gateway import APIClient, Message, TextMessage
from android_sms_gateway.enums import MessagePriority
from android_sms_gateway.errors import APIError
from android_sms_gateway.http import RequestsHttpClient

from cases.models import Priority, utcnow
from cases.outbox import PermanentSendError, RetryableSendError

from .health import GatewayHealth
from .ratelimit import RateLimit

TIMEOUT = 15
"""Seconds to wait for the phone's API before calling the send retryable."""


class _TimeoutSession(requests.Session):
    """A requests session that never waits forever (the client sets no timeout)."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


REPLY_PRIORITY = MessagePriority.BYPASS_THRESHOLD
"""The app's priority for a conversation reply: 100 and above skips its own limits and delays."""


def message_id(outbox_id: int) -> str:
    """The id we give the app for an outbox row: a repeated send is the same message to it."""
    return f"rongrian-{outbox_id}"


class SmsGateBackend:
    """Outbound SMS through the Android phone, at most SMSGATE_MAX_PER_MINUTE a minute."""

    name = "smsgate"
    tells_repeats = True  # the app refuses a second message with the same id (409)
    can_look_up = False

    def __init__(self, settings, connection):
        if not settings.get("SMSGATE_URL"):
            raise RuntimeError("SMS backend smsgate needs SMSGATE_URL, SMSGATE_USERNAME and SMSGATE_PASSWORD")
        self.client = APIClient(
            settings.get("SMSGATE_USERNAME"),
            settings.get("SMSGATE_PASSWORD") or "",
            base_url=settings["SMSGATE_URL"],
            http=RequestsHttpClient(_TimeoutSession()),
        )
        self.limit = RateLimit(connection, self.name, int(settings.get("SMSGATE_MAX_PER_MINUTE") or 0))
        self.health = GatewayHealth(connection, self.name)

    def admit(self, row) -> float:
        """0 when the phone may send one more SMS now, else the seconds to wait."""
        return self.limit.admit()

    def send(self, row) -> str:
        outbox_id = row.id
        extra = {}
        if row.priority == Priority.REPLY.value:
            extra["priority"] = REPLY_PRIORITY
        if row.expires_at is not None:
            extra["ttl"] = max(1, int((row.expires_at - utcnow()).total_seconds()))
        message = Message(
            phone_numbers=[row.phone], text_message=TextMessage(text=row.body),
            id=message_id(outbox_id), with_delivery_report=True, device_id=row.device, sim_number=row.sim, **extra,
        )
        try:
            state = self.client.send(message)
        except APIError as error:
            status = error.status_code or 0
            if status == 409:  # the app already has this id: an earlier attempt got through
                return message_id(outbox_id)
            self.health.failed()
            if status == 429 or status >= 500 or status == 0:
                raise RetryableSendError(f"smsgate {status}") from error
            raise PermanentSendError(f"smsgate {status}") from error
        except (requests.RequestException, OSError, ValueError, KeyError) as error:
            self.health.failed()
            raise RetryableSendError(f"smsgate unreachable: {type(error).__name__}") from error
        self.health.sent()
        return state.id

    def find_sent(self, row) -> str | None:
        """Not asked: a row sent again under its id is refused by the app if it has it."""
        return None

    def state(self) -> dict:
        """Last success and the pace of the last minutes."""
        return self.health.report()
