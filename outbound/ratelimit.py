"""A sliding-window rate limit shared by every worker through Redis."""
from __future__ import annotations

import time
import uuid
from typing import Callable

import redis

_ADMIT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""
"""Atomically: drop entries older than the window; admit (and record) when under the
limit, else return the milliseconds until the oldest entry leaves the window."""


class RateLimit:
    """At most ``per_minute`` admissions in any 60 seconds, counted in Redis under ``name``."""

    WINDOW_MS = 60_000

    def __init__(self, connection: redis.Redis, name: str, per_minute: int, clock: Callable[[], float] = time.time):
        self.connection = connection
        self.key = f"ratelimit:{name}"
        self.per_minute = per_minute
        self.clock = clock  # injectable for tests

    def admit(self) -> float:
        """0 when one more send may go now (and count it), else the seconds to wait."""
        if self.per_minute <= 0:
            return 0.0
        now_ms = int(self.clock() * 1000)
        script = self.connection.register_script(_ADMIT)
        wait_ms = script(keys=[self.key], args=[now_ms, self.WINDOW_MS, self.per_minute, f"{now_ms}-{uuid.uuid4().hex}"])
        return int(wait_ms) / 1000.0
