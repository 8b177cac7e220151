"""Development backend: each outbound SMS is noted in the log (number masked, no text: a
citizen's words and a login code never reach a log line) and stays in the outbox table."""
from __future__ import annotations

import logging

from cases.province.phones import masked

log = logging.getLogger(__name__)


class ConsoleBackend:
    """Development: nothing leaves the machine; the log says which SMS "left"."""

    name = "console"
    tells_repeats = True  # nothing leaves the machine: sending again harms no one
    can_look_up = False

    def __init__(self, settings=None, connection=None):
        pass

    def admit(self, row) -> float:
        """No pace: always send now."""
        return 0.0

    def send(self, row) -> str:
        log.warning("SMS %s to %s [%s], %d characters: the text is in the outbox row, never in a log",
                    row.id, masked(row.phone), row.kind, len(row.body))
        return f"console-{row.id}"

    def find_sent(self, row) -> str | None:
        """The log cannot be asked."""
        return None

    def state(self) -> dict:
        """Nothing to report beyond the outbox itself."""
        return {"up": True}
