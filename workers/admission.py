"""Admission of inbound SMS at the webhook: answered in the webhook's response while the web
keeps up; in a flood, stored at once and answered by a worker, by SMS, each phone's messages
in their order. A villager's phone never waits on a backlog of other villagers' reports."""
from __future__ import annotations

import logging
import time

import redis

from .dispatch import REDIS_DOWN

log = logging.getLogger(__name__)

INLINE_PER_SECOND = 100
"""Default of ``INLINE_MAX_PER_SECOND``: inbound SMS a second answered in the webhook's
response, all web processes together; the rest of that second goes to the workers."""
WAITING_FOR = 3600
"""Seconds a phone's "a message of yours waits for a worker" mark lives at most (a message
whose job was lost is found by the sweep; its phone is answered in its turn then)."""
KEY_PREFIX = "rongrian:admission"

class Admission:
    """Decides, per inbound SMS, whether the webhook answers it or a worker does."""

    def __init__(self, connection: redis.Redis, per_second: int = INLINE_PER_SECOND):
        self.connection = connection
        self.per_second = per_second

    def answer_now(self, phone: str) -> bool:
        """True: answer in the webhook's response. False: too many this second, or an earlier
        message of this phone still waits for a worker. With Redis down, True (a worker could
        not be asked anyway)."""
        second = f"{KEY_PREFIX}:second:{int(time.time())}"
        try:
            pipe = self.connection.pipeline(transaction=False)
            pipe.incr(second)
            pipe.expire(second, 5)
            pipe.exists(self._waiting(phone))
            count, _, waiting = pipe.execute()
        except REDIS_DOWN:
            return True
        return count <= self.per_second and not waiting

    def deferred(self, phone: str, key: str) -> None:
        """Message ``key`` of ``phone`` is left to a worker: the phone's next ones wait their
        turn too (a copy of the webhook adds nothing)."""
        try:
            pipe = self.connection.pipeline(transaction=False)
            pipe.sadd(self._waiting(phone), key)
            pipe.expire(self._waiting(phone), WAITING_FOR)
            pipe.execute()
        except REDIS_DOWN:
            log.warning("Redis down: the order of %s's next messages is not kept", phone)

    def settled(self, phone: str, key: str) -> None:
        """Message ``key`` of ``phone`` was answered (or given up on); the phone's mark goes
        with its last waiting message (Redis drops an empty set)."""
        try:
            self.connection.srem(self._waiting(phone), key)
        except REDIS_DOWN:
            pass  # the mark expires by itself

    @staticmethod
    def _waiting(phone: str) -> str:
        return f"{KEY_PREFIX}:waiting:{phone}"
