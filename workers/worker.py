"""`rongrian worker`: one rq worker with the scheduler, and the periodic jobs it runs."""
from __future__ import annotations

import datetime as dt
import logging

from rq import Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job

from . import queue
from .dispatch import LIVE_STATUSES

log = logging.getLogger(__name__)

PERIODIC = {"sweep": 60, "remind": 3600}
"""Periodic job name → seconds between runs; each run schedules the next on rq's scheduler."""


def schedule_next(name: str, seconds: int | None = None) -> None:
    """Put the next run of periodic job ``name`` on rq's scheduler unless one is waiting."""
    from . import jobs

    ident = f"periodic-{name}"
    if _waiting(ident):
        return
    delay = dt.timedelta(seconds=PERIODIC[name] if seconds is None else seconds)
    queue.get_queue().enqueue_in(delay, getattr(jobs, name), job_id=ident)


DIGEST_JOB = "periodic-digest"


def schedule_digest() -> None:
    """Put the next daily digest (08:00 Bangkok) on rq's scheduler unless one is waiting."""
    from cases.reminders import next_digest_at

    from . import jobs

    if _waiting(DIGEST_JOB):
        return
    queue.get_queue().enqueue_at(next_digest_at(), jobs.digest, job_id=DIGEST_JOB)


def _waiting(ident: str) -> bool:
    """True when job ``ident`` will still run (and is not the job asking)."""
    try:
        job = Job.fetch(ident, connection=queue.connection())
    except NoSuchJobError:
        return False
    return job.get_status(refresh=False) in LIVE_STATUSES and job.id != _current_job_id()


def _current_job_id() -> str | None:
    from rq import get_current_job

    job = get_current_job()
    return job.id if job else None


def run(burst: bool = False) -> None:
    """Work the queue until stopped (or until empty with ``burst``)."""
    for name in PERIODIC:
        schedule_next(name, seconds=0)
    schedule_digest()
    worker = Worker([queue.get_queue()], connection=queue.connection())
    worker.work(burst=burst, with_scheduler=True)
