"""Development backend: outbound SMS go to the log (and stay in the outbox table)."""
from __future__ import annotations

import logging

from cases.outbox import SECRET_KEYS
from cases.phones import masked

log = logging.getLogger(__name__)


class ConsoleBackend:
    """Development: the SMS goes to the log, the number masked and a secret (a login code)
    withheld (it stays in the outbox table until it is sent)."""

    name = "console"
    tells_repeats = True  # nothing leaves the machine: sending again harms no one
    can_look_up = False

    def __init__(self, settings=None, connection=None):
        pass

    def admit(self, row) -> float:
        """No pace: always send now."""
        return 0.0

    def send(self, row) -> str:
        body = "(withheld: a secret)" if row.kind in SECRET_KEYS else row.body
        log.warning("SMS %s to %s [%s]: %s", row.id, masked(row.phone), row.kind, body)
        return f"console-{row.id}"

    def find_sent(self, row) -> str | None:
        """The log cannot be asked."""
        return None

    def state(self) -> dict:
        """Nothing to report beyond the outbox itself."""
        return {"up": True}
