"""`rongrian worker`: an rq worker over every queue (in priority order), with rq's scheduler
for delayed retries, and the periodic jobs (sweep, reminders, digest) run once per period
however many workers there are.

The worker runs jobs in its own process (``SimpleWorker``): a fork per job costs more than
most jobs here (``make bench`` measures both).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from zoneinfo import ZoneInfo

import redis
from rq import Queue, SimpleWorker

from cases.store.models import database

from . import queue
from .context import Services

log = logging.getLogger(__name__)

JOB_LOG_LEVEL = "WARNING"
"""rq's own log level: no three lines per job (thousands an hour in a flood, and CPU the web
needs), but every failure."""

REMIND_EVERY = 3600
"""Seconds between looks for reminders and escalations due."""
DIGEST_AT = (ZoneInfo("Asia/Bangkok"), 8)
"""The daily digest: time zone and hour."""
TICK = 5
"""Seconds between a worker's looks at the clock for periodic jobs."""
RESTART_AFTER = 2
"""Seconds before a worker that lost Redis starts again."""
SCHEDULER_CHECK = 30
"""Seconds between a worker's checks that rq's scheduler runs somewhere (it dies with Redis)."""


class Worker(SimpleWorker):
    """A SimpleWorker that hands each job the process's services and a database connection
    (taken from the pool for the job, given back after it)."""

    def __init__(self, *args, services: Services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = services
        self.maintenance_interval = SCHEDULER_CHECK

    def perform_job(self, job, queue, *args, **kwargs):
        database.connect(reuse_if_open=True)
        with self.services.current():
            try:
                return super().perform_job(job, queue, *args, **kwargs)
            finally:
                if database.in_transaction():  # never carry a broken transaction to the next job
                    database.rollback()
                database.close()  # back to the pool: one connection per job, as per request


def periods(settings) -> dict[str, int]:
    """Periodic job name → seconds between runs."""
    return {"sweep": settings["SWEEP_EVERY"], "remind": REMIND_EVERY}


def period_slots(every: dict[str, int], now: float) -> dict[str, str]:
    """Periodic job name → the period ``now`` falls in (one run per slot; the digest's is
    the Bangkok day, from its hour on)."""
    slots = {name: str(int(now // seconds)) for name, seconds in every.items()}
    zone, hour = DIGEST_AT
    local = dt.datetime.fromtimestamp(now, zone)
    if local.hour >= hour:
        slots["digest"] = local.date().isoformat()
    return slots


def claim_periodic(connection: redis.Redis, every: dict[str, int], now: float) -> list[str]:
    """The periodic jobs this worker should enqueue now: each slot is claimed by one worker."""
    claimed = []
    for name, slot in period_slots(every, now).items():
        ttl = max(every.get(name, 86400) * 2, 60)
        if connection.set(f"rongrian:periodic:{name}:{slot}", "1", nx=True, ex=ttl):
            claimed.append(name)
    return claimed


def enqueue_periodic(connection: redis.Redis, every: dict[str, int], now: float | None = None) -> list[str]:
    """Enqueue the periodic jobs whose period began, once among all workers."""
    names = claim_periodic(connection, every, now or time.time())
    system = Queue(queue.SYSTEM, connection=connection)
    for name in names:
        system.enqueue(f"workers.jobs.{name}", result_ttl=600, failure_ttl=86400)
    return names


def _clock(connection: redis.Redis, every: dict[str, int], stop: threading.Event) -> None:
    tick = min(TICK, *every.values())
    while not stop.wait(tick):
        try:
            enqueue_periodic(connection, every)
        except redis.RedisError as error:  # Redis away: the next tick tries again
            log.warning("periodic jobs not scheduled: %s", error)


def run(services: Services, burst: bool = False) -> None:
    """Work the queues until stopped (or until empty with ``burst``); a worker that rq stopped
    because Redis went away is started again."""
    stop = threading.Event()
    every = periods(services.settings)
    clock = threading.Thread(target=_clock, args=(services.connection, every, stop), name="rongrian-clock", daemon=True)
    if not burst:
        clock.start()
    try:
        while True:
            # rq widens its connection's socket timeout for blocking reads: its own connection
            connection = queue.connect(services.settings["REDIS_URL"])
            worker = Worker(queue.queues(connection), connection=connection, services=services)
            try:
                worker.work(burst=burst, with_scheduler=True, logging_level=JOB_LOG_LEVEL)
            except redis.RedisError as error:
                log.warning("worker stopped by Redis: %s", error)
            if burst or worker._stop_requested or worker._shutdown_requested_date is not None:
                return  # asked to stop (SIGTERM, Ctrl-C), not stopped by Redis
            log.warning("worker stopped (Redis away?): starting again in %d s", RESTART_AFTER)
            time.sleep(RESTART_AFTER)
    finally:
        stop.set()
