"""Admission of inbound SMS at the webhook: answered in the webhook's response while the web
keeps within its latency budget (``workers/budget.py``); past it, stored and answered by a
worker, by SMS, each phone's messages in their order. A villager's phone never waits on a
backlog of other villagers' reports.

A message left to the workers costs the webhook its INSERT and nothing else: it is stored
marked ``left_to_workers``, and at most DRAINS drain jobs (``ANSWER_WAITING_JOB``) answer such
messages from the database, oldest first. Each web process reports its timings to Redis
every SYNC_EVERY seconds and gets back everyone's, which set the share it answers inline; it
makes sure the drains run at most every TRUST seconds. A drain ends only after nothing of its
share has waited for LINGER (> TRUST) seconds since its mark went, so no message can be left
with no drain to take it. A message whose drain was killed is found by the sweep.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Iterable

import redis
from rq import Queue, Worker

from . import queue
from .budget import INLINE_LATENCY_BUDGET, SYNC_EVERY, LatencyBudget
from .dispatch import REDIS_DOWN

TRUST = 1.0
"""Seconds a web process trusts that the drains it saw running will take what it leaves."""
LINGER = 1.5
"""Seconds a drain that found nothing waits, its mark gone, before its last look (> TRUST)."""
LOOK_EVERY = 0.1
"""Seconds between a lingering drain's looks (what comes meanwhile is answered at once)."""
DRAINS = 8
"""Drain jobs at most at once: one per rq worker up to this many (each phone's still in order)."""
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
DRAINING = [f"{KEY_PREFIX}:draining:{slot}" for slot in range(DRAINS)]
"""Each drain slot's mark."""
SLOTS = f"{KEY_PREFIX}:slots"
"""How many drain slots share the waiting messages now (as many as rq workers, up to DRAINS)."""
LEFT = f"{KEY_PREFIX}:left"
"""Set while messages may still wait for a worker (a quiet message then checks its phone's turn)."""
LEFT_FOR = 300
"""Seconds the LEFT mark outlives the last message left to the workers (by then a drain or the
sweep took every one)."""

ENSURE = """
redis.call('SET', KEYS[1], 1, 'EX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[2])
local started = {}
for slot = 3, 2 + tonumber(ARGV[3]) do
  if redis.call('SET', KEYS[slot], 1, 'NX', 'EX', ARGV[1]) then table.insert(started, slot - 3) end
end
return started
"""
"""Note that messages wait and how many slots share them, and claim every drain slot of those
that is free: the slots whose drain job the caller starts."""


class Admission:
    """Decides, per inbound SMS, whether the webhook answers it or a worker does; runs the
    drains that answer what it left to the workers."""

    def __init__(self, connection: redis.Redis, budget: float = INLINE_LATENCY_BUDGET):
        self.connection = connection
        self.load = LatencyBudget(connection, budget, LEFT)
        self._ensure = connection.register_script(ENSURE)
        self._lock = threading.Lock()
        self._decided = threading.local()  # this thread's request: answered inline or not
        self._credit = 0.0
        self._some_may_wait = False
        self._redis_down = False
        self._synced_at = float("-inf")
        self._drains_seen_at = float("-inf")

    @property
    def budget(self) -> float:
        """Seconds: ``INLINE_LATENCY_BUDGET`` (0: every message is left to the workers)."""
        return self.load.budget

    @budget.setter
    def budget(self, seconds: float) -> None:
        self.load.budget = seconds
        self.load.share = 1.0 if seconds > 0 else 0.0

    def flooded(self) -> bool:
        """Whether this inbound SMS is left to the workers: the web answers inline the share
        of messages its latency budget allows (every one while it keeps well within), spread
        evenly. With Redis down, False (a worker could not be asked anyway)."""
        with self._lock:
            now = time.monotonic()
            if now - self._synced_at >= SYNC_EVERY:
                self._sync(now)
            if self._redis_down:
                later = False
            else:
                self._credit = min(1.0, self._credit + self.load.share)
                later = self._credit < 1.0 - 1e-9
                if not later:
                    self._credit -= 1.0
        self._decided.inline = not later
        return later

    def began(self) -> None:
        """A request of this process began (the web's clock around each webhook)."""
        with self._lock:
            self.load.began()

    def took(self, seconds: float) -> None:
        """This thread's request took ``seconds`` (the web's clock around each webhook)."""
        inline = getattr(self._decided, "inline", None)
        self._decided.inline = None
        with self._lock:
            self.load.took(seconds, inline)

    def some_may_wait(self) -> bool:
        """Messages may still wait for a worker, as of the last count (a quiet message then
        checks whether an older one of its phone waits, and waits its turn)."""
        return self._some_may_wait

    def left(self) -> None:
        """A message was left to the workers (stored, committed): make sure drains run."""
        started_at = time.monotonic()
        if started_at - self._drains_seen_at < TRUST:
            return
        try:
            slots = max(1, min(DRAINS, Worker.count(self.connection, queue=Queue(queue.INBOUND, connection=self.connection))))
            for slot in self._ensure(keys=[LEFT, SLOTS, *DRAINING], args=[DRAIN_MARK_FOR, LEFT_FOR, slots]):
                self._start_drain(int(slot))
        except REDIS_DOWN:
            return  # the sweep finds the message
        self._drains_seen_at = started_at
        self._some_may_wait = True

    def drains_running(self) -> bool:
        """A drain job runs (or is about to): what waits for it is its to answer."""
        return bool(self.connection.exists(*DRAINING))

    def drain(self, slot: int, waiting: Callable[[int, int, int, set[int]], list[int]],
              answer: Callable[[int], bool], seconds: float | None = None) -> int:
        """The drain in ``slot``: ``answer`` (True: settled) each message that
        ``waiting(slot, slots, at_most, but)`` gives (the oldest ids of this slot's share, not
        those in ``but``) until there are none; after ``seconds`` (DRAIN_SECONDS) a fresh job
        goes on in this slot. How many it answered."""
        deadline = time.monotonic() + (DRAIN_SECONDS if seconds is None else seconds)
        mark, unsettled, answered, batches, slots = DRAINING[slot], set(), 0, 0, slot + 1
        while True:
            slots = int(self.connection.get(SLOTS) or slots)
            if slot >= slots:  # fewer workers now: the other slots share this one's messages
                self.connection.delete(mark)
                return answered
            self.connection.set(mark, 1, ex=DRAIN_MARK_FOR)
            ids = waiting(slot, slots, TAKE, unsettled)
            if not ids:
                if self._last_look(mark, lambda: waiting(slot, slots, TAKE, unsettled)):
                    continue
                return answered
            if batches and time.monotonic() > deadline:  # more wait: a fresh job goes on with them
                self._start_drain(slot)
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
        try:
            left = self.load.sync()
            self._redis_down = False
        except REDIS_DOWN:  # never flooded while Redis is away (no drain could be started)
            left, self._redis_down = False, True
        self._some_may_wait = left
        self._synced_at = now

    def _start_drain(self, slot: int) -> None:
        Queue(queue.INBOUND, connection=self.connection).enqueue(
            ANSWER_WAITING_JOB, slot, result_ttl=60, failure_ttl=86400, job_timeout=DRAIN_JOB_TIMEOUT,
        )
