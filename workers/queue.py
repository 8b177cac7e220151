"""The rq queue and its Redis connection, shared by the web app, the jobs and the CLI."""
from __future__ import annotations

import logging

import redis
from rq import Queue, Retry

log = logging.getLogger(__name__)

QUEUE_NAME = "rongrian"
"""The one rq queue every job goes to."""

_state: dict = {"url": None, "connection": None, "retry_intervals": [10, 60, 300, 900]}


def configure(redis_url: str, retry_intervals: list[int] | None = None) -> None:
    """Point the queue at ``redis_url`` (called by the app factory)."""
    if _state["url"] != redis_url:
        _state["url"] = redis_url
        _state["connection"] = None
    if retry_intervals is not None:
        _state["retry_intervals"] = list(retry_intervals)


def connection() -> redis.Redis:
    """The Redis connection (short timeouts: a web request must not hang on a dead Redis)."""
    if _state["connection"] is None:
        _state["connection"] = redis.Redis.from_url(
            _state["url"], socket_connect_timeout=1, socket_timeout=5, health_check_interval=30
        )
    return _state["connection"]


def get_queue() -> Queue:
    """The rq queue."""
    return Queue(QUEUE_NAME, connection=connection())


def sms_retry() -> Retry:
    """rq's Retry for a failed send: one attempt per configured interval (backoff)."""
    intervals = _state["retry_intervals"]
    return Retry(max=len(intervals), interval=intervals)


def enqueue(func, *args, job_id: str | None = None, retry: Retry | None = None, **kwargs):
    """Enqueue a job; with Redis down log and return None (the sweep catches up later)."""
    try:
        return get_queue().enqueue(func, *args, job_id=job_id, retry=retry, **kwargs)
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        log.warning("Redis unavailable, %s left for the sweep: %s", func.__name__, error)
        return None
