"""Admission of inbound SMS at the webhook: answered in the webhook's response while the web
keeps up; in a flood, stored and answered by a worker, by SMS, each phone's messages in
their order. A villager's phone never waits on a backlog of other villagers' reports.

A message left to the workers costs the webhook one round trip to Redis and no rq job: its
id goes on one list, which at most DRAINS drain jobs at a time empty (``ANSWER_WAITING_JOB``). Lost on
the way (Redis gone, a worker killed), it is still stored unanswered, and the sweep finds it.
"""
from __future__ import annotations

import time
from typing import Iterator

import redis
from rq import Queue

from . import queue
from .dispatch import REDIS_DOWN

INLINE_PER_SECOND = 100
"""Default of ``INLINE_MAX_PER_SECOND``: while fewer inbound SMS than this came in the last
second (all web processes together), each is answered in the webhook's response; past it
(a flood) none is, and the workers answer them all, so that the web only stores them at
the speed of the database and no villager's webhook queues behind answers to others."""
WAITING_FOR = 3600
"""Seconds a phone's "a message of yours waits for a worker" mark lives at most (a message
whose id was lost is found by the sweep; its phone is answered in its turn then)."""
DRAINS = 2
"""Drain jobs at most at once (a flood's answers on two workers, each phone's still in order)."""
DRAIN_MARK_FOR = 30
"""Seconds a "this drain job runs" mark lives unless the drain renews it (a killed drain's
mark lapses, and the next message left to the workers starts a new one)."""
DRAIN_SECONDS = 20
"""Seconds one drain job answers before it hands the rest to a fresh job (rq's job timeout
never catches a long flood)."""
DRAIN_JOB_TIMEOUT = 300
"""rq's timeout of a drain job: far past DRAIN_SECONDS and one more batch."""
TAKE = 20
"""Message ids a drain takes off the list at a time."""
ANSWER_WAITING_JOB = "workers.jobs.answer_waiting"
KEY_PREFIX = "rongrian:admission"
WAITING_IDS = f"{KEY_PREFIX}:ids"
DRAINING = [f"{KEY_PREFIX}:draining:{slot}" for slot in range(DRAINS)]
"""Each drain slot's mark."""

ADMIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], 3) end
local rate = (tonumber(redis.call('GET', KEYS[2])) or 0) * (1 - tonumber(ARGV[6])) + count
if rate <= tonumber(ARGV[1]) and redis.call('EXISTS', KEYS[3]) == 0 then return 1 end
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('RPUSH', KEYS[4], ARGV[4])
for slot = 5, #KEYS do
  if redis.call('SET', KEYS[slot], 1, 'NX', 'EX', ARGV[5]) then return 4 - slot end
end
return 0
"""
"""Count the message in its second and weigh in the last second's count by how much of it is
still within one second (a sliding window): within INLINE_MAX_PER_SECOND, answer it now
(1); past it, a flood, mark its phone waiting and put its id on the list (0), starting a
drain in a free slot S (-1 - S)."""
TAKE_IDS = """
local ids = redis.call('LRANGE', KEYS[1], 0, ARGV[1] - 1)
redis.call('LTRIM', KEYS[1], #ids, -1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
return ids
"""
"""The next ids off the list; the drain's mark renewed."""
FINISH = """
if redis.call('LLEN', KEYS[1]) > 0 then
  redis.call('SET', KEYS[2], 1, 'EX', ARGV[1])
  return 1
end
redis.call('DEL', KEYS[2])
return 0
"""
"""The drain ends only with the list empty, at once with its mark (no id ever waits with
no drain to take it)."""


class Admission:
    """Decides, per inbound SMS, whether the webhook answers it or a worker does."""

    def __init__(self, connection: redis.Redis, per_second: int = INLINE_PER_SECOND):
        self.connection = connection
        self.per_second = per_second
        self._admit = connection.register_script(ADMIT)
        self._take = connection.register_script(TAKE_IDS)
        self._finish = connection.register_script(FINISH)

    def answer_now(self, phone: str, key: str, message_id: int) -> bool:
        """True: answer stored message ``message_id`` (``key``) of ``phone`` in the webhook's
        response. False: a flood (more than ``per_second`` in the last second), or an earlier
        message of this phone still waits for a worker; the message then waits for one too.
        With Redis down, True (a worker could not be asked anyway)."""
        second, fraction = divmod(time.time(), 1)
        counted = [f"{KEY_PREFIX}:second:{int(second)}", f"{KEY_PREFIX}:second:{int(second) - 1}"]
        try:
            decision = self._admit(
                keys=[*counted, self._waiting(phone), WAITING_IDS, *DRAINING],
                args=[self.per_second, key, WAITING_FOR, message_id, DRAIN_MARK_FOR, fraction],
            )
            if decision < 0:
                self._start_drain(-1 - decision)
        except REDIS_DOWN:
            return True
        return decision == 1

    def waiting_ids(self, slot: int = 0, seconds: float | None = None) -> Iterator[int]:
        """The drain in ``slot``: ids of the messages left to the workers, oldest first, until
        there are none (or ``seconds``, DRAIN_SECONDS by default, passed: then a fresh drain
        job goes on in the same slot)."""
        deadline = time.monotonic() + (DRAIN_SECONDS if seconds is None else seconds)
        keys = [WAITING_IDS, DRAINING[slot]]
        while True:
            ids = self._take(keys=keys, args=[TAKE, DRAIN_MARK_FOR])
            if not ids:
                if self._finish(keys=keys, args=[DRAIN_MARK_FOR]):
                    continue
                return
            yield from (int(message_id) for message_id in ids)
            if time.monotonic() > deadline:
                if self._finish(keys=keys, args=[DRAIN_MARK_FOR]):
                    self._start_drain(slot)  # more are waiting: a fresh job goes on
                return

    def backlog(self) -> int:
        """Messages a flood left to the workers that no drain has taken yet."""
        return self.connection.llen(WAITING_IDS)

    def settled(self, phone: str, key: str) -> None:
        """Message ``key`` of ``phone`` was answered (or given up on); the phone's mark goes
        with its last waiting message (Redis drops an empty set)."""
        try:
            self.connection.srem(self._waiting(phone), key)
        except REDIS_DOWN:
            pass  # the mark expires by itself

    def _start_drain(self, slot: int) -> None:
        Queue(queue.INBOUND, connection=self.connection).enqueue(
            ANSWER_WAITING_JOB, slot, result_ttl=60, failure_ttl=86400, job_timeout=DRAIN_JOB_TIMEOUT,
        )

    @staticmethod
    def _waiting(phone: str) -> str:
        return f"{KEY_PREFIX}:waiting:{phone}"
