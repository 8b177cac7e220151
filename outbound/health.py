"""How a gateway (or one phone of it) is doing, kept in Redis so every process sees it:
sends of the last minutes, the last success, failures in a row."""
from __future__ import annotations

import time

import redis

PACE_WINDOW = 300
"""Seconds over which the recent pace is counted."""
DOWN_AFTER = 3
"""Failures in a row after which a phone is skipped for a while."""
DOWN_FOR = 300
"""Seconds a phone that kept failing is skipped before it is tried again."""


class GatewayHealth:
    """Counters of one gateway or phone under ``rongrian:gateway:<name>``."""

    def __init__(self, connection: redis.Redis, name: str):
        self.connection, self.key = connection, f"rongrian:gateway:{name}"

    def sent(self) -> None:
        """Record a success: the failure streak ends."""
        now = time.time()
        try:
            with self.connection.pipeline() as pipe:
                pipe.zadd(f"{self.key}:sent", {f"{now:.6f}": now})
                pipe.zremrangebyscore(f"{self.key}:sent", "-inf", now - PACE_WINDOW)
                pipe.hset(self.key, mapping={"last_success": now, "failures": 0})
                pipe.execute()
        except redis.RedisError:
            pass  # the counters are for people looking; the send itself is recorded in the outbox

    def failed(self) -> None:
        """Record a failure; the streak grows."""
        try:
            with self.connection.pipeline() as pipe:
                pipe.hincrby(self.key, "failures", 1)
                pipe.hset(self.key, "last_failure", time.time())
                pipe.execute()
        except redis.RedisError:
            pass

    def is_down(self) -> bool:
        """True when the last DOWN_AFTER sends failed, less than DOWN_FOR seconds ago."""
        try:
            failures, last = self.connection.hmget(self.key, "failures", "last_failure")
        except redis.RedisError:
            return False
        return int(failures or 0) >= DOWN_AFTER and time.time() - float(last or 0) < DOWN_FOR

    def report(self) -> dict:
        """Pace (SMS a minute over the last minutes), last success (seconds ago), up or down."""
        now = time.time()
        try:
            recent = self.connection.zcount(f"{self.key}:sent", now - PACE_WINDOW, "+inf")
            last = self.connection.hget(self.key, "last_success")
        except redis.RedisError as error:
            return {"error": type(error).__name__}
        return {
            "up": not self.is_down(),
            "sent_per_minute": round(recent * 60 / PACE_WINDOW, 1),
            "last_success_seconds_ago": round(now - float(last)) if last else None,
        }
