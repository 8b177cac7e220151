"""Hand committed follow-up work (``cases.store.work``) to the rq queues, by the jobs' dotted
names; with Redis down, leave it where the sweep finds it."""
from __future__ import annotations

import datetime as dt
import logging
import time

import redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from cases.store.models import Outbox, Priority
from cases.store.work import FollowUp, Kind
from outbound import pacing

from . import queue

log = logging.getLogger(__name__)

JOBS = {
    Kind.SEND_SMS: "workers.jobs.send_sms",
    Kind.SEND_SMS_LATER: "workers.jobs.send_sms",
    Kind.ROUTE_CASE: "workers.jobs.route_case",
    Kind.HANDLE_INBOUND: "workers.jobs.handle_inbound",
}
"""Kind of work → the dotted name of its rq job."""
WAKE_JOB = "workers.jobs.wake_phone"
"""The wake-up of one gateway phone (``Dispatcher.wake_later``)."""
WAITING_STATUSES = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
"""A job in one of these will still run: do not enqueue it again."""
ABANDONED_AFTER = dt.timedelta(seconds=120)
"""A started job whose worker has not been heard of for this long died with its worker."""
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def job_id(kind: Kind, object_id: int) -> str:
    """One job id per piece of work, so the same work is never queued twice."""
    name = Kind.SEND_SMS if kind == Kind.SEND_SMS_LATER else kind
    return f"{name.value}-{object_id}"


def queue_name(item: FollowUp) -> str:
    """The queue of a piece of work: an SMS by its priority."""
    if item.kind in (Kind.SEND_SMS, Kind.SEND_SMS_LATER):
        return queue.SMS[Priority(item.priority)]
    return queue.INBOUND if item.kind == Kind.HANDLE_INBOUND else queue.ROUTE


def is_live(job: Job) -> bool:
    """True when ``job`` waits, or runs on a worker that is still alive."""
    status = job.get_status(refresh=False)
    if status in WAITING_STATUSES:
        return True
    if status != JobStatus.STARTED:
        return False
    heard = job.last_heartbeat or job.started_at
    now = dt.datetime.now(dt.timezone.utc)
    return heard is not None and now - heard.replace(tzinfo=dt.timezone.utc) < ABANDONED_AFTER


class Dispatcher:
    """Enqueues follow-up work on one Redis connection."""

    def __init__(self, connection: redis.Redis, retry_intervals: list[int] | None = None):
        self.connection = connection
        self.retry_intervals = queue.DEFAULT_RETRY_INTERVALS if retry_intervals is None else list(retry_intervals)

    def enqueue(self, items: list[FollowUp]) -> int:
        """Enqueue each piece of work unless its job already waits or runs (the job of a dead
        worker is dropped and queued anew), all in one round trip to Redis (two when some
        work is not new); returns how many were enqueued (0 with Redis down: the rows stay
        where the sweep finds them)."""
        if not items:
            return 0
        try:
            waiting = self._waiting([item for item in items if not item.new])
            pipe = self.connection.pipeline()
            done = 0
            for item in items:
                ident = job_id(item.kind, item.object_id)
                if ident not in waiting:
                    self._add(item, pipe)
                    waiting.add(ident)  # asked for twice in one unit: queued once
                    done += 1
            pipe.execute()
            return done
        except REDIS_DOWN as error:
            log.warning("Redis unavailable, %d pieces of work left for the sweep (%s, ...): %s",
                        len(items), job_id(items[0].kind, items[0].object_id), error)
            return 0

    def _waiting(self, items: list[FollowUp]) -> set[str]:
        """The ids of the jobs of ``items`` that still wait or run; a dead worker's is deleted."""
        if not items:
            return set()
        ids = list(dict.fromkeys(job_id(item.kind, item.object_id) for item in items))
        waiting = set()
        for ident, existing in zip(ids, Job.fetch_many(ids, connection=self.connection)):
            if existing is None:
                continue
            if is_live(existing):
                waiting.add(ident)
            else:
                existing.delete()
        return waiting

    def _add(self, item: FollowUp, pipe) -> None:
        target = Queue(queue_name(item), connection=self.connection)
        options = {"job_id": job_id(item.kind, item.object_id), "retry": queue.retry(self.retry_intervals),
                   "result_ttl": 60, "failure_ttl": 86400, "pipeline": pipe}
        if item.kind == Kind.SEND_SMS_LATER:
            send_after = Outbox.get_by_id(item.object_id).send_after
            target.enqueue_at(send_after.replace(tzinfo=dt.timezone.utc), JOBS[item.kind], item.object_id, **options)
        else:
            target.enqueue(JOBS[item.kind], item.object_id, **options)

    def wake_later(self, lane: str, seconds: float) -> None:
        """Book the one wake-up job of gateway phone ``lane`` (``outbound.pacing``) in
        ``seconds``; kept when one is booked sooner, and replacing one booked later."""
        try:
            booking = pacing.book(self.connection, lane, time.time() + max(0.0, seconds))
            if booking is None:
                return
            target = Queue(queue.SMS[Priority.REPLY], connection=self.connection)
            options = {"job_id": booking.job_id, "result_ttl": 60, "failure_ttl": 86400}
            if seconds <= pacing.NOW:
                target.enqueue(WAKE_JOB, lane, booking.at_ms, **options)
            else:
                target.enqueue_at(booking.when, WAKE_JOB, lane, booking.at_ms, **options)
            if booking.replaces:
                try:
                    Job.fetch(booking.replaces, connection=self.connection).delete()
                except NoSuchJobError:
                    pass  # it ran, or lapsed
        except REDIS_DOWN as error:  # the rows stay parked and untouched: the sweep finds them
            log.warning("Redis unavailable, wake-up of %s not booked: %s", lane, error)
