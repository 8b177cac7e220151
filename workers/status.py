"""What `/healthz` and `rongrian status` show: the database, Redis, the queues, the SMS
waiting by priority, each gateway's state, and what needs a look."""
from __future__ import annotations

from rq import Queue

from cases.messages import outbox
from cases.store.models import database
from flows import inbound

from . import queue
from .context import Services


def report(services: Services) -> dict:
    """The whole picture; ``status`` is "ok" unless the database or Redis is unreachable."""
    found: dict = {"database": "ok", "redis": "ok", "queue_depth": None}
    try:
        database.execute_sql("SELECT 1")
        waiting = outbox.waiting()
        found.update(
            waiting_sms=waiting,
            oldest_waiting_sms_seconds=max((each["oldest_seconds"] for each in waiting.values()), default=0),
            inbound_failed=inbound.failed_count(),
            inbound_left_to_workers=inbound.left_to_workers_count(),
            sms_unknown=outbox.needing_a_look(),
        )
    except Exception as error:  # any driver error means the database is not usable
        found["database"] = f"error: {type(error).__name__}"
    try:
        depths = {name: Queue(name, connection=services.connection).count for name in queue.ORDER}
        found.update(queue_depth=sum(depths.values()), queues=depths)
    except Exception as error:
        found["redis"] = f"error: {type(error).__name__}"
    found["gateways"] = services.sender.state() if found["redis"] == "ok" else {}
    found["status"] = "ok" if found["database"] == "ok" and found["redis"] == "ok" else "degraded"
    return found
