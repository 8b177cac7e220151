"""Development backend: outbound SMS go to the log (and stay in the outbox table)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class ConsoleBackend:
    """Development: the SMS goes to the log (and stays in the outbox table)."""

    name = "console"

    def __init__(self, settings: dict | None = None):
        pass

    def admit(self) -> float:
        """No rate limit: always send now."""
        return 0.0

    def send(self, phone: str, body: str, outbox_id: int) -> str:
        log.warning("SMS to %s: %s", phone, body)
        return f"console-{outbox_id}"
