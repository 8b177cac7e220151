"""A sliding-window rate limit shared by every worker through Redis: the pace of one sender
(every send of the last 60 s counts), a higher ceiling for urgent sends, and an even spread
for sends that come in hundreds."""
from __future__ import annotations

import time
import uuid
from typing import Callable

import redis

_ADMIT = """
local now, window, limit, spacing = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local wait = 0
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local nth = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  wait = tonumber(nth[2]) + window - now
end
if spacing > 0 then
  local last = redis.call('GET', KEYS[2])
  if last and tonumber(last) + spacing - now > wait then wait = tonumber(last) + spacing - now end
end
if wait > 0 then return math.max(1, math.ceil(wait)) end
if ARGV[6] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], window)
  if spacing > 0 then redis.call('SET', KEYS[2], now, 'PX', window) end
end
return 0
"""
"""Atomically: drop entries older than the window; admit (and record, when ARGV[6] is 1) when
fewer than ``limit`` are left and, for a spread send, ``spacing`` ms passed since the last
spread one; else return the milliseconds until both hold."""


class RateLimit:
    """At most ``per_minute`` admissions in any 60 seconds, counted in Redis under ``name``.

    ``admit(ceiling=N)`` admits an urgent send while the window holds fewer than N (above the
    pace), ``admit(cap=N)`` a send only while it holds fewer than N (below the pace: room kept
    for more urgent ones); ``admit(spread=True)`` also keeps 60/per_minute seconds after the
    previous spread send, so a backlog drains evenly and never fills the whole minute at once.
    """

    WINDOW_MS = 60_000

    def __init__(self, connection: redis.Redis, name: str, per_minute: int, clock: Callable[[], float] = time.time):
        self.connection = connection
        self.key = f"ratelimit:{name}"
        self.per_minute = per_minute
        self.clock = clock  # injectable for tests
        self._script = connection.register_script(_ADMIT)

    def admit(self, ceiling: int | None = None, spread: bool = False, cap: int | None = None) -> float:
        """0 when one more send may go now (and count it), else the seconds to wait."""
        return self._run(self.limit(ceiling, cap), spread, record=True)

    def wait(self, ceiling: int | None = None, spread: bool = False, cap: int | None = None) -> float:
        """The seconds until ``admit`` with the same arguments would admit (0: now); counts nothing."""
        return self._run(self.limit(ceiling, cap), spread, record=False)

    def limit(self, ceiling: int | None = None, cap: int | None = None) -> int:
        """The most sends in 60 s: the pace, raised to ``ceiling`` (an urgent send), lowered to
        ``cap`` (room kept for more urgent ones)."""
        limit = max(self.per_minute, ceiling or 0)
        return min(limit, cap) if cap else limit

    def wait_behind(self, ahead: int, ceiling: int | None = None, cap: int | None = None) -> float:
        """The seconds until a send could leave after ``ahead`` others that go first, each as
        soon as this limit lets it (an estimate: the sends of the last 60 s free their slots
        60 s after they left; counts nothing)."""
        if self.per_minute <= 0:
            return 0.0
        now_ms = int(self.clock() * 1000)
        limit = self.limit(ceiling, cap)
        sent = sorted(int(score) for _, score in self.connection.zrangebyscore(
            self.key, now_ms - self.WINDOW_MS + 1, "+inf", withscores=True))[-limit:]
        # the next ``limit`` slots: free ones now, then one as each recent send leaves the window
        slots = [now_ms] * (limit - len(sent)) + [at + self.WINDOW_MS for at in sent]
        rounds, index = divmod(ahead, limit)
        return max(0.0, (slots[index] + rounds * self.WINDOW_MS - now_ms) / 1000.0)

    def count(self) -> int:
        """Sends in the last 60 s."""
        now_ms = int(self.clock() * 1000)
        return int(self.connection.zcount(self.key, now_ms - self.WINDOW_MS + 1, "+inf"))

    def _run(self, limit: int, spread: bool, record: bool) -> float:
        if self.per_minute <= 0:
            return 0.0
        now_ms = int(self.clock() * 1000)
        spacing = self.WINDOW_MS / self.per_minute if spread else 0
        wait_ms = self._script(
            keys=[self.key, f"{self.key}:spread"],
            args=[now_ms, self.WINDOW_MS, limit, spacing, f"{now_ms}-{uuid.uuid4().hex}", int(record)],
        )
        return int(wait_ms) / 1000.0
