"""Work the domain asks for once its transaction commits (send an SMS, route a case).

Domain functions only record it here; whoever owns the transaction (a web request, a job)
hands it to the queue afterwards with ``workers.dispatch.flush()``. If that fails (Redis
down), the periodic sweep finds the rows by their status instead, so nothing is lost.
"""
from __future__ import annotations

import threading

SEND_SMS = "send_sms"
"""An outbox row id to send."""
ROUTE_CASE = "route_case"
"""A case id to route to an agency."""
SEND_SMS_LATER = "send_sms_later"
"""An outbox row id to send at its ``send_after`` time."""

_local = threading.local()


def later(kind: str, object_id: int) -> None:
    """Ask for ``kind`` work on ``object_id`` after the commit."""
    if not hasattr(_local, "items"):
        _local.items = []
    _local.items.append((kind, object_id))


def take() -> list[tuple[str, int]]:
    """Everything asked for by this thread since the last call, in order."""
    items = getattr(_local, "items", [])
    _local.items = []
    return items


def discard() -> None:
    """Forget what was asked (the transaction rolled back)."""
    _local.items = []
