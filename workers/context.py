"""What a job needs besides its ids: the settings, Redis, the sender and the dispatcher —
made once per process from the settings (by the app factory, or by ``rongrian worker``)
and handed to each job by the worker that runs it."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Mapping

import redis

from cases.casework import limits
from cases.store.models import OutboxStatus
from cases.store.work import FollowUp, Kind, unit_of_work
from outbound import Deferred, Sender

from . import queue
from .admission import INLINE_PER_SECOND, Admission
from .dispatch import Dispatcher

log = logging.getLogger(__name__)

_current: ContextVar["Services | None"] = ContextVar("rongrian_services", default=None)


class Services:
    """One process's connections and helpers, built from the settings."""

    def __init__(self, settings: Mapping, connection: redis.Redis | None = None):
        self.settings = settings
        self.connection = connection or queue.connect(settings["REDIS_URL"])
        self.dispatcher = Dispatcher(self.connection, settings.get("SMS_RETRY_INTERVALS"))
        self.sender = Sender(settings, self.connection)
        self.admission = Admission(self.connection, settings.get("INLINE_MAX_PER_SECOND", INLINE_PER_SECOND),
                                   settings.get("INBOUND_DRAINS"))
        self.limits = limits.Limits.from_settings(settings)

    def work(self, send_here: bool = False):
        """A unit of work whose follow-ups go to the queue after the commit; with
        ``send_here`` its SMS are sent by this process at once where the pace allows (a job
        that caused them saves a job per SMS)."""
        return unit_of_work(self.send_here if send_here else self.dispatcher.enqueue)

    def send_here(self, items: list[FollowUp]) -> None:
        """Hand on committed follow-ups, sending their SMS from this process at once where
        the pace allows (the rest, and any SMS not sent here, go to the queue)."""
        rest = []
        for item in items:
            if item.kind != Kind.SEND_SMS:
                rest.append(item)
                continue
            try:
                self.send(item.object_id)
            except Exception:  # a retryable error or a crash: a job with retries takes it on
                log.warning("SMS %s not sent here: left to a send job", item.object_id, exc_info=True)
                rest.append(item)
        self.dispatcher.enqueue(rest)

    def send(self, outbox_id: int) -> OutboxStatus | Deferred | None:
        """Send one outbox row now; over its phone's pace the row is parked and that phone's
        one wake-up booked (the only place a deferred send is handled)."""
        result = self.sender.send_now(outbox_id)
        if isinstance(result, Deferred):
            self.dispatcher.wake_later(result.lane, result.seconds)
        return result

    @contextmanager
    def current(self) -> Iterator["Services"]:
        """Make these the services (and their limits) of the job that runs inside."""
        token = _current.set(self)
        try:
            with limits.applied(self.limits):
                yield self
        finally:
            _current.reset(token)


def services() -> Services:
    """The services of the running job (set by the worker)."""
    found = _current.get()
    if found is None:
        raise RuntimeError("no services: jobs run under workers.worker.Worker")
    return found
