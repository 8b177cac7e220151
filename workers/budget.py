"""The latency budget of the webhook: how large a share of the inbound SMS the web processes
can answer inline (in the webhook's response) and still answer every request within
``INLINE_LATENCY_BUDGET`` seconds, from what the web processes measured in the last second.

Each web process times its webhook requests (inline answers, messages only stored, and the
rest: USSD, voice, status callbacks) and adds its figures to Redis every SYNC_EVERY seconds,
getting back those of every web process over the last second. From them follow the cost of
an inline answer and of a stored message, the load the rest puts on the processes, and how
busy they are. A request waits for a busy process, so the budget holds while the cost of an
inline answer over the time a process is free, ``cost / (1 − busy)`` (a queue's mean response
time), stays within it; the share answered inline is the largest that keeps the processes
that busy, never above BUSY_MAX. The measured 95th percentile over the budget cuts the share
at once. The share moves every SYNC_EVERY seconds, in both directions: a flood is left to the
workers within a fraction of a second, and its end is answered inline again as quickly.
"""
from __future__ import annotations

import dataclasses
import math
import os
import socket
import time

import redis

INLINE_LATENCY_BUDGET = 1.0
"""Default of ``INLINE_LATENCY_BUDGET``: seconds within which 95 % of the webhook's requests
should be answered, counting the wait for a free web process."""
BUSY_MAX = 0.9
"""The busiest the web processes are let to be by inline answers (the rest waits for bursts)."""
SATURATED = 0.95
"""Busier than this, requests may be queueing unseen (arrivals past what the processes finish):
the share halves at each sync until they are not."""
PERCENTILE = 0.95
"""The share of requests that must be answered within the budget."""
MIN_SLOW = 3
"""Requests over the budget in the window before they count (one slow start is not a flood)."""
MIN_SATURATED = 20
"""Requests a process finished in the window before its being busy counts as saturation."""
PROBE = 0.02
"""The least share answered inline: in a flood, what measures whether inline is cheap again."""
SMOOTHING = 0.5
"""Weight of the newly computed share against the last one at each sync (steadies the share)."""
STEP_UP = 0.01
"""The least the share grows by at a sync while it is under its target (it reaches it)."""
SYNC_EVERY = 0.1
"""Seconds between a web process's reports of its figures to Redis (and reads of everyone's)."""
KEY_PREFIX = "rongrian:admission:load"
FIELDS = ("inline", "inline_us", "stored", "stored_us", "other", "other_us", "slow")
"""What a second's hash counts, besides each process's request slots ("p:<process>": the most
requests it served at once, its threads under load)."""

REPORT = """
if tonumber(ARGV[2]) > 0 then
  for index = 1, 7 do redis.call('HINCRBY', KEYS[1], ARGV[2 + index], ARGV[9 + index]) end
  local field = 'p:' .. ARGV[1]
  local slots = tonumber(redis.call('HGET', KEYS[1], field)) or 0
  if tonumber(ARGV[17]) > slots then redis.call('HSET', KEYS[1], field, ARGV[17]) end
  redis.call('EXPIRE', KEYS[1], 3)
end
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('EXISTS', KEYS[3])}
"""
"""Add a process's figures to their second; every process's figures of this second and the
last, and whether messages may still wait for a worker (KEYS[3])."""


@dataclasses.dataclass
class Load:
    """The figures of every web process over one second (the sliding window)."""

    inline: float = 0.0
    inline_us: float = 0.0
    stored: float = 0.0
    stored_us: float = 0.0
    other: float = 0.0
    other_us: float = 0.0
    slow: float = 0.0
    slots: int = 0
    """Requests the web processes can serve at once (each process's threads seen busy together)."""

    @classmethod
    def window(cls, this: dict, last: dict, fraction: float) -> "Load":
        """The last second: all of this second's hash (``fraction`` of it gone) and the part
        of the last second's still within one second."""
        slots: dict[bytes, int] = {}
        for key, value in (*this.items(), *last.items()):
            if key.startswith(b"p:"):
                slots[key] = max(slots.get(key, 0), int(value))
        load = cls(slots=sum(slots.values()))
        for name in FIELDS:
            field = name.encode()
            setattr(load, name, int(this.get(field, 0)) + int(last.get(field, 0)) * (1 - fraction))
        return load

    @property
    def requests(self) -> float:
        return self.inline + self.stored + self.other

    def busy(self) -> float:
        """How busy a request slot was, 0–1 (every slot alike)."""
        return (self.inline_us + self.stored_us + self.other_us) / 1e6 / max(1, self.slots)


def inline_share(load: Load, budget: float, now: float = 1.0) -> float:
    """The share (PROBE–1) of inbound SMS to answer inline under ``load`` so that requests keep
    within ``budget`` seconds (0 with a budget of 0, 1 with an infinite one), the share being
    ``now``. With no inline answer in the window there is nothing to go by but trying: 1."""
    if budget <= 0:
        return 0.0
    if math.isinf(budget):
        return 1.0
    messages = load.inline + load.stored
    if not load.inline or not messages:
        return 1.0
    if load.slow >= MIN_SLOW and load.slow > (1 - PERCENTILE) * load.requests:
        return PROBE  # the 95th percentile itself is over: shed at once
    if load.busy() > SATURATED and load.requests >= MIN_SATURATED * max(1, load.slots):  # what the processes finish is not what arrives: shed till it is
        return max(PROBE, now / 2)
    inline_cost = load.inline_us / load.inline / 1e6
    stored_cost = load.stored_us / load.stored / 1e6 if load.stored else 0.0
    if inline_cost <= stored_cost:
        return 1.0
    busy_allowed = min(BUSY_MAX, 1 - inline_cost / budget)  # cost / (1 − busy) ≤ budget
    slots = max(1, load.slots)
    other_busy = load.other_us / 1e6 / slots
    per_process = messages / slots  # a second's messages per slot
    share = ((busy_allowed - other_busy) / per_process - stored_cost) / (inline_cost - stored_cost)
    return min(1.0, max(PROBE, share))


class LatencyBudget:
    """One web process's side of the budget: times its requests, reports them, keeps the share."""

    def __init__(self, connection: redis.Redis, budget: float, left_key: str):
        self.connection = connection
        self.budget = budget
        self.share = 1.0
        self._left_key = left_key
        self._report = connection.register_script(REPORT)
        self._process = f"{socket.gethostname()}:{os.getpid()}"
        self._counts = dict.fromkeys(FIELDS, 0)
        self._in_flight = 0
        self._peak = 1  # requests served at once since the last sync: the process's slots

    def began(self) -> None:
        """A request of this process began (served beside those in flight: its threads)."""
        self._in_flight += 1
        self._peak = max(self._peak, self._in_flight)

    def took(self, seconds: float, inline: bool | None) -> None:
        """One request of this process took ``seconds``: an inline answer (True), a message
        only stored (False), or something else the web processes do (None)."""
        self._in_flight = max(0, self._in_flight - 1)
        kind = {True: "inline", False: "stored", None: "other"}[inline]
        self._counts[kind] += 1
        self._counts[f"{kind}_us"] += int(seconds * 1e6)
        if 0 < self.budget < seconds:
            self._counts["slow"] += 1

    def sync(self) -> bool:
        """Report this process's figures, read everyone's and set the share; whether messages
        may still wait for a worker. Raises Redis's errors (the caller decides)."""
        second, fraction = divmod(time.time(), 1)
        keys = [f"{KEY_PREFIX}:{int(second)}", f"{KEY_PREFIX}:{int(second) - 1}", self._left_key]
        counts = [self._counts[name] for name in FIELDS]
        this, last, left = self._report(keys=keys, args=[self._process, sum(counts[0:6:2]), *FIELDS, *counts, self._peak])
        self._counts = dict.fromkeys(FIELDS, 0)
        self._peak = max(1, self._in_flight)
        load = Load.window(pairs(this), pairs(last), fraction)
        target = inline_share(load, self.budget, self.share)
        # down at once (the budget is at stake), up in steps (the window still holds the flood)
        self.share = target if target <= self.share else min(
            target, SMOOTHING * self.share + (1 - SMOOTHING) * target + STEP_UP)
        return bool(left)


def pairs(flat: list) -> dict:
    """HGETALL's flat list as a dict."""
    return dict(zip(flat[::2], flat[1::2]))
