"""Twilio's Messages API through the official client (base URL from TWILIO_API_BASE)."""
from __future__ import annotations

import datetime as dt
import logging

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from cases.messages import outbox

from .health import GatewayHealth
from .sending import PermanentSendError, RetryableSendError

TWILIO_PERMANENT_CODES = {21211, 21212, 21214, 21217, 21219, 21408, 21610, 21612, 21614, 30003, 30005, 30006}
"""Twilio error codes that no retry can fix (invalid, unreachable or opted-out numbers)."""
DEFAULT_TIMEOUT = 15
"""Seconds to wait for Twilio before calling the send retryable (the client waits forever);
SEND_TIMEOUT overrides."""
LOOKBACK = dt.timedelta(minutes=1)
"""How far before a row was claimed to look for it among Twilio's sent messages."""
REQUEST_LOG = logging.getLogger(__name__ + ".requests")
"""The twilio client's own request log: at INFO it writes each request's numbers (``To=``)."""
REQUEST_LOG.setLevel(logging.WARNING)


class TwilioBackend:
    """Twilio's Messages API through the official client (base URL from TWILIO_API_BASE)."""

    name = "twilio"
    tells_repeats = False  # Twilio takes no client id: a repeated create is a second SMS
    can_look_up = True  # but its sent messages can be listed (``find_sent``)

    def __init__(self, settings, connection):
        self.client = Client(
            settings["TWILIO_ACCOUNT_SID"], settings["TWILIO_AUTH_TOKEN"], http_client=TwilioHttpClient(
                timeout=settings.get("SEND_TIMEOUT") or DEFAULT_TIMEOUT, logger=REQUEST_LOG),
        )
        self.client.api.base_url = settings["TWILIO_API_BASE"].rstrip("/")
        self.sender = {}
        if settings.get("TWILIO_MESSAGING_SERVICE_SID"):
            self.sender["messaging_service_sid"] = settings["TWILIO_MESSAGING_SERVICE_SID"]
        else:
            self.sender["from_"] = settings.get("TWILIO_FROM_NUMBER")
        base = settings.get("PUBLIC_BASE_URL")
        self.status_callback = f"{base}/twilio/sms/status" if base else None
        self.health = GatewayHealth(connection, self.name)

    def admit(self, row) -> float:
        """Twilio queues and paces messages itself: always send now."""
        return 0.0

    def send(self, row) -> str:
        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            message = self.client.messages.create(to=row.phone, body=row.body, **self.sender, **extra)
        except TwilioRestException as error:
            self.health.failed(f"twilio {error.status} {error.code}")
            if error.status == 429 or error.status >= 500:
                raise RetryableSendError(f"twilio {error.status} {error.code}") from error
            if error.code in TWILIO_PERMANENT_CODES or 400 <= error.status < 500:
                raise PermanentSendError(f"twilio {error.status} {error.code}") from error
            raise RetryableSendError(f"twilio {error.status} {error.code}") from error
        except (TwilioException, OSError) as error:
            self.health.failed(f"twilio unreachable: {type(error).__name__}")
            raise RetryableSendError(f"twilio unreachable: {error}") from error
        self.health.sent()
        return message.sid

    def find_sent(self, row) -> str | None:
        """The sid of the message Twilio took for ``row`` (same recipient and text, sent since
        shortly before it was claimed, not already another row's), or None; a row whose sender
        died is settled by this."""
        since = row.updated_at - LOOKBACK
        try:
            sent = self.client.messages.list(to=row.phone, date_sent_after=since, limit=50)
        except (TwilioException, OSError):
            return None
        return next((message.sid for message in sent
                     if message.body == row.body and not outbox.provider_id_taken(self.name, message.sid)), None)

    def state(self) -> dict:
        """Last success and the pace of the last minutes."""
        return self.health.report()
