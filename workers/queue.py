"""The rq queues, in the order a worker serves them, and what goes to which."""
from __future__ import annotations

import redis
from rq import Queue, Retry

from cases.store.models import Priority

SYSTEM = "rongrian-system"
"""The sweep, reminders and the digest: never behind a backlog."""
INBOUND = "rongrian-inbound"
"""Inbound messages that could not be answered at once (tried again until answered)."""
ROUTE = "rongrian-route"
"""New cases to route, with their staff notices."""
SMS = {priority: f"rongrian-sms-{priority.name.lower()}" for priority in Priority}
"""Outbox priority → the queue of its send jobs."""

ORDER = [SYSTEM, SMS[Priority.REPLY], SMS[Priority.RECEIPT], INBOUND, ROUTE, SMS[Priority.CITIZEN], SMS[Priority.STAFF],
         SMS[Priority.BULK]]
"""The queues a worker listens to, the first served first: a citizen's reply before anything
that may pile up (the answer they wait for before their receipt)."""

DEFAULT_RETRY_INTERVALS = [10, 60, 300, 900]
"""Seconds between the tries of a failed send (rq's Retry)."""


def connect(url: str) -> redis.Redis:
    """A Redis connection with short timeouts: a web request must not hang on a dead Redis."""
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5, health_check_interval=30)


def queues(connection: redis.Redis) -> list[Queue]:
    """Every queue, in ORDER."""
    return [Queue(name, connection=connection) for name in ORDER]


def retry(intervals: list[int]) -> Retry | None:
    """rq's Retry for a failed job: one attempt per interval (backoff)."""
    return Retry(max=len(intervals), interval=list(intervals)) if intervals else None
