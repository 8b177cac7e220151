"""Twilio's Messages API through the official client (base URL from TWILIO_API_BASE)."""
from __future__ import annotations

from cases.outbox import PermanentSendError, RetryableSendError

TWILIO_PERMANENT_CODES = {21211, 21212, 21214, 21217, 21219, 21408, 21610, 21612, 21614, 30003, 30005, 30006}
"""Twilio error codes that no retry can fix (invalid, unreachable or opted-out numbers)."""


class TwilioBackend:
    """Twilio's Messages API through the official client (base URL from TWILIO_API_BASE)."""

    name = "twilio"

    def __init__(self, settings: dict):
        from twilio.rest import Client

        self.client = Client(settings["TWILIO_ACCOUNT_SID"], settings["TWILIO_AUTH_TOKEN"])
        self.client.api.base_url = settings["TWILIO_API_BASE"].rstrip("/")
        self.sender = {}
        if settings.get("TWILIO_MESSAGING_SERVICE_SID"):
            self.sender["messaging_service_sid"] = settings["TWILIO_MESSAGING_SERVICE_SID"]
        else:
            self.sender["from_"] = settings.get("TWILIO_FROM_NUMBER")
        base = settings.get("PUBLIC_BASE_URL")
        self.status_callback = f"{base}/twilio/sms/status" if base else None

    def admit(self) -> float:
        """Twilio queues and paces messages itself: always send now."""
        return 0.0

    def send(self, phone: str, body: str, outbox_id: int) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            message = self.client.messages.create(to=phone, body=body, **self.sender, **extra)
        except TwilioRestException as error:
            if error.status == 429 or error.status >= 500:
                raise RetryableSendError(f"twilio {error.status} {error.code}") from error
            if error.code in TWILIO_PERMANENT_CODES or 400 <= error.status < 500:
                raise PermanentSendError(f"twilio {error.status} {error.code}") from error
            raise RetryableSendError(f"twilio {error.status} {error.code}") from error
        except (TwilioException, OSError) as error:
            raise RetryableSendError(f"twilio unreachable: {error}") from error
        return message.sid
