"""Hand the work the domain asked for (``cases.pending``) to the rq queue."""
from __future__ import annotations

import datetime as dt
import logging
import time

from rq.job import Job, JobStatus
from rq.exceptions import NoSuchJobError

from cases import outbox, pending, routing
from cases.models import Outbox

from . import queue

log = logging.getLogger(__name__)

LIVE_STATUSES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
"""A job in one of these will still run: do not enqueue it again."""


def job_id(kind: str, object_id: int) -> str:
    """One job id per piece of work, so the same work is never queued twice."""
    return f"{kind}-{object_id}"


def enqueue_work(kind: str, object_id: int):
    """Enqueue one piece of work unless its job is already waiting or running."""
    from . import jobs

    ident = job_id(kind, object_id)
    try:
        existing = Job.fetch(ident, connection=queue.connection())
        if existing.get_status(refresh=False) in LIVE_STATUSES:
            return existing
    except NoSuchJobError:
        pass
    except Exception as error:  # Redis down: leave it to the sweep
        log.warning("Redis unavailable, %s left for the sweep: %s", ident, error)
        return None
    if kind == pending.SEND_SMS:
        return queue.enqueue(jobs.send_sms, object_id, job_id=ident, retry=queue.sms_retry())
    if kind == pending.SEND_SMS_LATER:
        at = Outbox.get_by_id(object_id).send_after.replace(tzinfo=dt.timezone.utc)
        return queue.get_queue().enqueue_at(at, jobs.send_sms, object_id, job_id=ident)
    return queue.enqueue(jobs.route_case, object_id, job_id=ident)


def send_later(outbox_id: int, seconds: float):
    """Schedule another try of an outbox row on rq's scheduler (a rate limit said wait).

    Its own job id: the job that asks is still running under the usual one."""
    from . import jobs

    delay = dt.timedelta(seconds=max(1.0, seconds))
    ident = f"{job_id(pending.SEND_SMS, outbox_id)}-at-{time.time_ns()}"
    try:
        return queue.get_queue().enqueue_in(delay, jobs.send_sms, outbox_id, job_id=ident, retry=queue.sms_retry())
    except Exception as error:  # Redis down: the row is still queued, the sweep finds it
        log.warning("Redis unavailable, %s left for the sweep: %s", ident, error)
        return None


def flush() -> int:
    """Enqueue everything this thread's committed transaction asked for; returns how many."""
    return sum(1 for kind, object_id in pending.take() if enqueue_work(kind, object_id))


def requeue_stale(now=None) -> dict:
    """Enqueue outbox rows and cases that have waited too long without a job."""
    sms = [enqueue_work(pending.SEND_SMS, row_id) for row_id in outbox.stale_ids(now)]
    cases = [enqueue_work(pending.ROUTE_CASE, case_id) for case_id in routing.stale_case_ids(now)]
    return {"sms": sum(1 for job in sms if job), "cases": sum(1 for job in cases if job)}
