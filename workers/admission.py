"""Admission of inbound SMS at the webhook: answered in the webhook's response while the web
keeps up; in a flood, stored and answered by a worker, by SMS, each phone's messages in
their order. A villager's phone never waits on a backlog of other villagers' reports.

In a flood a message costs the webhook its INSERT and nothing else: it is stored marked
``left_to_workers``, and at most DRAINS drain jobs (``ANSWER_WAITING_JOB``) answer such
messages from the database, oldest first. Each web process counts its messages itself and
tells Redis every SYNC_EVERY seconds, getting back the rate of all web processes together;
it makes sure the drains run at most every TRUST seconds. A drain ends only after nothing
of its share has waited for LINGER (> TRUST) seconds since its mark went, so no message can
be left with no drain to take it. A message whose drain was killed is found by the sweep.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Iterable

import redis
from rq import Queue

from . import queue
from .dispatch import REDIS_DOWN

INLINE_PER_SECOND = 100
"""Default of ``INLINE_MAX_PER_SECOND``: while fewer inbound SMS than this came in the last
second (all web processes together), each is answered in the webhook's response; past it
(a flood) none is, and the workers answer them all, so that the web only stores them at
the speed of the database and no villager's webhook queues behind answers to others."""
SYNC_EVERY = 0.1
"""Seconds between a web process's reports of its count to Redis (and reads of the rate)."""
TRUST = 1.0
"""Seconds a web process trusts that the drains it saw running will take what it leaves."""
LINGER = 1.5
"""Seconds a drain that found nothing waits, its mark gone, before its last look (> TRUST)."""
LOOK_EVERY = 0.1
"""Seconds between a lingering drain's looks (what comes meanwhile is answered at once)."""
DRAINS = 2
"""Default of ``INBOUND_DRAINS``: drain jobs at most at once (a flood's answers on two workers,
each phone's still in order). More worker hosts: as many drains as worker processes."""
DRAIN_MARK_FOR = 30
"""Seconds a "this drain job runs" mark lives unless the drain renews it (a killed drain's
mark lapses, and the next message left to the workers starts a new one)."""
DRAIN_SECONDS = 20
"""Seconds one drain job answers before it hands the rest to a fresh job (rq's job timeout
never catches a long flood)."""
DRAIN_JOB_TIMEOUT = 300
"""rq's timeout of a drain job: far past DRAIN_SECONDS and one more batch."""
TAKE = 20
"""Messages a drain reads from the database at a time."""
ANSWER_WAITING_JOB = "workers.jobs.answer_waiting"
KEY_PREFIX = "rongrian:admission"


def marks(drains: int) -> list[str]:
    """The marks of ``drains`` drain slots."""
    return [f"{KEY_PREFIX}:draining:{slot}" for slot in range(drains)]


DRAINING = marks(DRAINS)
"""Each drain slot's mark (with the default number of drains)."""
LEFT = f"{KEY_PREFIX}:left"
"""Set while messages may still wait for a worker (a quiet message then checks its phone's turn)."""
LEFT_FOR = 300
"""Seconds the LEFT mark outlives the last message left to the workers (by then a drain or the
sweep took every one)."""

COUNT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], 3)
local rate = (tonumber(redis.call('GET', KEYS[2])) or 0) * (1 - tonumber(ARGV[2])) + count
return {math.floor(rate), redis.call('EXISTS', KEYS[3])}
"""
"""Add a process's messages to their second, and weigh in the last second's count by how
much of it is still within one second (a sliding window): the rate of all web processes,
and whether messages may still wait for a worker."""
ENSURE = """
redis.call('SET', KEYS[1], 1, 'EX', ARGV[2])
local started = {}
for slot = 2, #KEYS do
  if redis.call('SET', KEYS[slot], 1, 'NX', 'EX', ARGV[1]) then table.insert(started, slot - 2) end
end
return started
"""
"""Note that messages wait, and claim every drain slot that is free: the slots whose drain job
the caller starts."""


class Admission:
    """Decides, per inbound SMS, whether the webhook answers it or a worker does; runs the
    drains that answer what it left to the workers."""

    def __init__(self, connection: redis.Redis, per_second: int = INLINE_PER_SECOND, drains: int | None = None):
        self.connection = connection
        self.per_second = per_second
        self.drains = drains  # None: DRAINS
        self._count = connection.register_script(COUNT)
        self._ensure = connection.register_script(ENSURE)
        self._lock = threading.Lock()
        self._uncounted = 0
        self._rate = 0
        self._some_may_wait = False
        self._redis_down = False
        self._synced_at = float("-inf")
        self._drains_seen_at = float("-inf")

    def flooded(self) -> bool:
        """Count one more inbound SMS; True when more than ``per_second`` came in the last
        second (all web processes), so that it is left to the workers. With Redis down, False
        (a worker could not be asked anyway)."""
        with self._lock:
            self._uncounted += 1
            now = time.monotonic()
            if now - self._synced_at >= SYNC_EVERY:
                self._sync(now)
            return not self._redis_down and self._rate + self._uncounted > self.per_second

    def some_may_wait(self) -> bool:
        """Messages may still wait for a worker, as of the last count (a quiet message then
        checks whether an older one of its phone waits, and waits its turn)."""
        return self._some_may_wait

    @property
    def draining(self) -> list[str]:
        """The marks of this deployment's drain slots."""
        return marks(self.drains) if self.drains else DRAINING

    def left(self) -> None:
        """A message was left to the workers (stored, committed): make sure drains run."""
        started_at = time.monotonic()
        if started_at - self._drains_seen_at < TRUST:
            return
        try:
            draining = self.draining
            for slot in self._ensure(keys=[LEFT, *draining], args=[DRAIN_MARK_FOR, LEFT_FOR]):
                self._start_drain(int(slot), len(draining))
        except REDIS_DOWN:
            return  # the sweep finds the message
        self._drains_seen_at = started_at
        self._some_may_wait = True

    def drains_running(self) -> bool:
        """A drain job runs (or is about to): what waits for it is its to answer."""
        return bool(self.connection.exists(*self.draining))

    def drain(self, slot: int, waiting: Callable[[int, int, int, set[int]], list[int]],
              answer: Callable[[int], bool], seconds: float | None = None, slots: int | None = None) -> int:
        """The drain in ``slot`` of ``slots`` (the web process's count when it started the job;
        by default this process's): ``answer`` (True: settled) each message that
        ``waiting(slot, slots, at_most, but)`` gives (the oldest ids of this slot's share, not
        those in ``but``) until there are none; after ``seconds`` (DRAIN_SECONDS) a fresh job
        goes on in this slot. How many it answered."""
        deadline = time.monotonic() + (DRAIN_SECONDS if seconds is None else seconds)
        slots = slots or len(self.draining)
        mark, unsettled, answered, batches = marks(slots)[slot], set(), 0, 0
        while True:
            self.connection.set(mark, 1, ex=DRAIN_MARK_FOR)
            ids = waiting(slot, slots, TAKE, unsettled)
            if not ids:
                if self._last_look(mark, lambda: waiting(slot, slots, TAKE, unsettled)):
                    continue
                return answered
            if batches and time.monotonic() > deadline:  # more wait: a fresh job goes on with them
                self._start_drain(slot, slots)
                return answered
            for message_id in ids:
                if answer(message_id):
                    answered += 1
                else:  # tried again by its own job and by the sweep
                    unsettled.add(message_id)
            batches += 1

    def _last_look(self, mark: str, waiting: Callable[[], Iterable[int]]) -> bool:
        """With nothing waiting: drop the mark and look again every LOOK_EVERY seconds for
        LINGER (a web process trusts a mark it saw for up to TRUST). True: more came and the
        mark is this drain's again; False: done (nothing came, or another drain of the slot
        took it)."""
        self.connection.delete(mark)
        until = time.monotonic() + LINGER
        while True:
            time.sleep(min(LOOK_EVERY, max(0.0, until - time.monotonic())))
            if waiting():
                return bool(self.connection.set(mark, 1, nx=True, ex=DRAIN_MARK_FOR))
            if time.monotonic() >= until:
                return False

    def _sync(self, now: float) -> None:
        second, fraction = divmod(time.time(), 1)
        counted = [f"{KEY_PREFIX}:second:{int(second)}", f"{KEY_PREFIX}:second:{int(second) - 1}"]
        try:
            self._rate, left = self._count(keys=[*counted, LEFT], args=[self._uncounted, fraction])
            self._redis_down = False
        except REDIS_DOWN:  # never flooded while Redis is away (no drain could be started)
            self._rate, left, self._redis_down = 0, 0, True
        self._some_may_wait = left > 0
        self._uncounted = 0
        self._synced_at = now

    def _start_drain(self, slot: int, slots: int) -> None:
        Queue(queue.INBOUND, connection=self.connection).enqueue(
            ANSWER_WAITING_JOB, slot, slots, result_ttl=60, failure_ttl=86400, job_timeout=DRAIN_JOB_TIMEOUT,
        )
