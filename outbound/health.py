"""How a gateway (or one phone of it) is doing, kept in Redis so every process sees it:
sends of the last minutes, the last success, failures in a row, replies dropped as stale."""
from __future__ import annotations

import time

import redis

PACE_WINDOW = 300
"""Seconds over which the recent pace is counted."""
HOUR = 3600
"""Seconds over which sends are kept (the sent in the last hour)."""
DOWN_AFTER = 3
"""Failures in a row after which a phone is skipped for a while."""
DOWN_FOR = 300
"""Seconds a phone that kept failing is skipped before it is tried again."""


class GatewayHealth:
    """Counters of one gateway or phone under ``rongrian:gateway:<name>``."""

    def __init__(self, connection: redis.Redis, name: str):
        self.connection, self.key = connection, f"rongrian:gateway:{name}"

    def sent(self, at: float | None = None) -> None:
        """Record a success (now, or at Unix time ``at``): the failure streak ends."""
        now = time.time() if at is None else at
        try:
            with self.connection.pipeline() as pipe:
                pipe.zadd(f"{self.key}:sent", {f"{now:.6f}": now})
                pipe.zremrangebyscore(f"{self.key}:sent", "-inf", now - HOUR)
                pipe.hset(self.key, mapping={"last_success": now, "failures": 0})
                pipe.execute()
        except redis.RedisError:
            pass  # the counters are for people looking; the send itself is recorded in the outbox

    def failed(self, error: str = "") -> None:
        """Record a failure (and what went wrong: no number, no text); the streak grows."""
        try:
            with self.connection.pipeline() as pipe:
                pipe.hincrby(self.key, "failures", 1)
                pipe.hset(self.key, mapping={"last_failure": time.time(), "last_error": error[:120] or "failed"})
                pipe.execute()
        except redis.RedisError:
            pass

    def expired(self) -> None:
        """Count a reply dropped as stale instead of sent late."""
        try:
            self.connection.hincrby(self.key, "expired", 1)
        except redis.RedisError:
            pass

    def down_for(self) -> float:
        """Seconds this phone stays skipped: the last DOWN_AFTER sends failed, the last one less
        than DOWN_FOR seconds ago (0 when it is up)."""
        try:
            failures, last = self.connection.hmget(self.key, "failures", "last_failure")
        except redis.RedisError:
            return 0.0
        if int(failures or 0) < DOWN_AFTER:
            return 0.0
        return max(0.0, float(last or 0) + DOWN_FOR - time.time())

    def is_down(self) -> bool:
        """True when the last DOWN_AFTER sends failed, less than DOWN_FOR seconds ago."""
        return self.down_for() > 0

    def first_sent_since(self, since: float) -> float | None:
        """When the first send after ``since`` was accepted (within the last PACE_WINDOW s)."""
        try:
            found = self.connection.zrangebyscore(f"{self.key}:sent", f"({since}", "+inf", start=0, num=1, withscores=True)
        except redis.RedisError:
            return None
        return found[0][1] if found else None

    def report(self) -> dict:
        """Pace (SMS a minute over the last minutes, and in the last minute), sent in the last
        hour, last success (seconds ago), failures in a row and the last error (and how long
        ago), stale replies dropped, up or down."""
        now = time.time()
        try:
            recent = self.connection.zcount(f"{self.key}:sent", now - PACE_WINDOW, "+inf")
            last_minute = self.connection.zcount(f"{self.key}:sent", now - 60, "+inf")
            last_hour = self.connection.zcount(f"{self.key}:sent", now - HOUR, "+inf")
            last, failures, expired, error, failed_at = self.connection.hmget(
                self.key, "last_success", "failures", "expired", "last_error", "last_failure")
        except redis.RedisError as error:
            return {"error": type(error).__name__}
        return {
            "up": not self.is_down(),
            "sent_per_minute": round(recent * 60 / PACE_WINDOW, 1),
            "sent_last_minute": last_minute,
            "sent_last_hour": last_hour,
            "last_success_seconds_ago": round(now - float(last)) if last else None,
            "failures_in_a_row": int(failures or 0),
            "last_error": error.decode() if error else None,
            "last_error_seconds_ago": round(now - float(failed_at)) if failed_at else None,
            "replies_expired": int(expired or 0),
        }
