"""Development backend: outbound SMS go to the log (and stay in the outbox table)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class ConsoleBackend:
    """Development: the SMS goes to the log (and stays in the outbox table)."""

    name = "console"
    tells_repeats = True  # nothing leaves the machine: sending again harms no one
    can_look_up = False

    def __init__(self, settings=None, connection=None):
        pass

    def admit(self, row) -> float:
        """No pace: always send now."""
        return 0.0

    def send(self, row) -> str:
        log.warning("SMS to %s: %s", row.phone, row.body)
        return f"console-{row.id}"

    def find_sent(self, row) -> str | None:
        """The log cannot be asked."""
        return None

    def state(self) -> dict:
        """Nothing to report beyond the outbox itself."""
        return {"up": True}
