"""The citizen first, each gateway phone at its pace.

A row its phone cannot send now is *parked*: it stays queued, with its phone written to
``Outbox.device`` and ``provider`` set to the backend. One wake-up per phone (booked in Redis,
an rq job on the scheduler at the moment the phone's next slot frees) sends that phone's
parked rows best first (``ORDER BY priority, id``), each claimed by ``outbound.sending.send`` (a
conditional UPDATE: two workers never send one row), as many as the pace allows, and books
the next wake-up while rows remain. No row leaves ahead of an older parked row of its phone
with the same or a higher priority. While rows stay parked, the wake-ups (at least every
HEARTBEAT × STALE_AFTER s) touch them, so the periodic sweep does not enqueue them again.

Replies do not wait behind parked rows: they may use the room between the configured pace
and Android's own 30 a minute (``phones.pacing_rule``), so a citizen's next menu step leaves
at once while hundreds of reminders wait; the last WAITED_ROOM slots of that minute are kept
for the answers a citizen waits for (a crowd's receipts and the notices never take them);
only past 30 in a minute do they park, and the wake-up takes them first. Reminders and digests are spread evenly (one every 60/pace s), so
a status SMS or a notice queued behind them gets a slot within seconds, not after a
minute-long burst. A reply older than its ``expires_at`` is dropped and counted, not sent late.
A phone that is down hands its parked rows to the least-loaded phones that are up. Which
phone a row leaves from, and when a reply overflows to another phone: ``phones``.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from typing import NamedTuple

import redis

from cases.messages import receipts
from cases.province.phones import operator_of
from cases.store.models import Outbox, OutboxStatus, utcnow

from . import sending
from .phones import Phone, Phones
from .sending import RetryableSendError

log = logging.getLogger(__name__)

HEARTBEAT = 0.5
"""Longest wait between two wake-ups of a phone while rows are parked for it, as a share of
STALE_AFTER (the sweep enqueues queued rows untouched for that long again)."""
TOUCH_AFTER = 0.3
"""Parked rows untouched for this share of STALE_AFTER are touched by the next wake-up."""
AFTER_FAILURE = 10.0
"""Seconds before a wake-up whose send failed tries its phone again."""
BATCH = 200
"""Most parked rows one wake-up looks at (it books the next one at once when there are more)."""
BEHIND = 0.001
"""The wait given to a row that may not pass the rows parked ahead of it: the wake-up is due."""
NOW = 0.01
"""A wake-up due within this many seconds is enqueued at once, not scheduled."""
BOOKED_SLACK_MS = 120_000
"""A booking outlives its time by this much, then lapses (its job was lost): rows parked
later book again, and the sweep finds rows nobody woke."""


# --- the phone's wake-ups ----------------------------------------------------------------

def lane(backend: str, phone: str | None) -> str:
    """The name of one phone's wake-ups: ``backend:device`` (empty device: the only phone)."""
    return f"{backend}:{phone or ''}"


def parse_lane(name: str) -> tuple[str, str | None]:
    backend, _, phone = name.partition(":")
    return backend, phone or None


class Booking(NamedTuple):
    """A wake-up to enqueue: its time, job id, and the job of the later one it replaces."""

    at_ms: int
    job_id: str
    replaces: str | None

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.at_ms / 1000, dt.timezone.utc)


_BOOK = """
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) <= tonumber(ARGV[1]) then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return tonumber(current or 0)
"""
_START = """
local current = redis.call('GET', KEYS[1])
if not current then return 1 end
if current == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
return 0
"""


def _key(name: str) -> str:
    return f"rongrian:wake:{name}"


def job_id(name: str, at_ms: int) -> str:
    return f"wake-{re.sub(r'[^A-Za-z0-9_-]', '_', name)}-{at_ms}"


def book(connection: redis.Redis, name: str, at: float) -> Booking | None:
    """Book the wake-up of lane ``name`` at ``at`` (Unix s); None when one is booked sooner."""
    at_ms = int(at * 1000)
    ttl = max(1, at_ms - int(time.time() * 1000)) + BOOKED_SLACK_MS
    earlier = int(connection.register_script(_BOOK)(keys=[_key(name)], args=[at_ms, ttl]))
    if earlier < 0:
        return None
    return Booking(at_ms, job_id(name, at_ms), job_id(name, earlier) if earlier else None)


def start(connection: redis.Redis, name: str, at_ms: int) -> bool:
    """Take the booking of a wake-up that starts; False when another one is booked instead."""
    return bool(connection.register_script(_START)(keys=[_key(name)], args=[at_ms]))


def booked_in(connection: redis.Redis, name: str) -> float | None:
    """Seconds until the booked wake-up of lane ``name`` (None: none booked)."""
    at_ms = connection.get(_key(name))
    return round(max(0.0, int(at_ms) / 1000 - time.time()), 1) if at_ms else None


# --- parking and waking ------------------------------------------------------------------

class Pacer:
    """Parks the rows a phone cannot send now, and sends them when the phone wakes up."""

    def __init__(self, phones: Phones, backend, stale_after: float = 60):
        self.phones, self.backend = phones, backend
        self.heartbeat = max(1.0, stale_after * HEARTBEAT)
        self.touch_after = dt.timedelta(seconds=stale_after * TOUCH_AFTER)

    def admit(self, row: Outbox) -> float:
        """0 when ``row`` may leave now from the phone chosen for it (one slot of that phone's
        pace is taken), else the seconds until its phone should wake up: the row is parked."""
        phone = self.phones.choose(row)
        self._place(row, phone)
        if self._behind(row, phone):
            wait = max(BEHIND, phone.wait(row.priority))
        else:
            wait = phone.admit(row.priority)
        if wait > 0:
            Outbox.update(provider=self.backend.name, updated_at=utcnow()).where(
                (Outbox.id == row.id) & (Outbox.status == OutboxStatus.QUEUED)
            ).execute()
        return min(wait, self.heartbeat)

    def wake(self, device: str | None) -> dict[str | None, float]:
        """Send what is parked for phone ``device``, best first, as its pace allows; phone →
        seconds until it should wake up again (empty when nothing waits)."""
        phone = self.phones.get(device)
        if phone is None:  # a phone no longer configured: the others take its rows
            return self._move_off(device)
        self._touch(phone)
        if self.phones.several and self.phones.down_because(phone) and self.phones.up():
            return self._move_off(device)
        resting = phone.health.down_for()  # down, and no other phone: try it when it may be tried
        if resting > 0:
            waiting = Outbox.select().where(self.phones.waiting(phone)).exists()
            return {device: min(resting, self.heartbeat)} if waiting else {}
        rows = list(Outbox.select().where(self.phones.waiting(phone)).order_by(Outbox.priority, Outbox.id).limit(BATCH))
        for row in rows:
            if sending.expire(row):
                phone.health.expired()
                continue
            wait = phone.admit(row.priority)
            if wait > 0:
                return {device: min(wait, self.heartbeat)}
            try:
                status = sending.send(row, self.backend)
            except RetryableSendError:
                if self.phones.several and self.phones.down_because(phone) and self.phones.up():
                    return self._move_off(device)
                return {device: AFTER_FAILURE}
            if status == OutboxStatus.EXPIRED:
                phone.health.expired()
        return {device: 0.0} if len(rows) == BATCH else {}

    def _place(self, row: Outbox, phone: Phone) -> None:
        """Write the chosen phone on the row: a row that changes phone takes that phone's SIM
        of the citizen's operator (if it has one; else the app picks), and a receipt that
        leaves from another phone than the one the citizen texted names the service."""
        if not self.phones.several or row.device == phone.device:
            return
        sim = phone.sim_of(operator_of(row.phone))
        Outbox.update(device=phone.device, sim=sim).where(
            (Outbox.id == row.id) & (Outbox.status == OutboxStatus.QUEUED)
        ).execute()
        if row.device is not None:
            receipts.from_another_phone(row)
        row.device, row.sim = phone.device, sim

    def _behind(self, row: Outbox, phone: Phone) -> bool:
        """True when an older parked row of the same or a higher priority waits for ``phone``."""
        ahead = (Outbox.priority < row.priority) | ((Outbox.priority == row.priority) & (Outbox.id < row.id))
        return Outbox.select().where(self.phones.waiting(phone) & ahead & (Outbox.id != row.id)).exists()

    def _touch(self, phone: Phone) -> None:
        now = utcnow()
        Outbox.update(updated_at=now).where(self.phones.waiting(phone) & (Outbox.updated_at < now - self.touch_after)).execute()

    def _move_off(self, device: str | None) -> dict[str | None, float]:
        """Hand the rows parked for ``device`` to the least-loaded phones that are up."""
        targets = [phone for phone in self.phones.up() if phone.device != device]
        if not targets:
            return {}
        loads = self.phones.loads(targets)
        moved: dict[tuple[str | None, int | None], list[int]] = {}
        query = Outbox.select(Outbox.id, Outbox.phone, Outbox.kind, Outbox.case).where(
            self.phones.waiting() & (Outbox.device == device))
        for row in query.order_by(Outbox.priority, Outbox.id):
            target = min(targets, key=lambda phone: loads[phone.device])
            loads[target.device] += 1
            moved.setdefault((target.device, target.sim_of(operator_of(row.phone))), []).append(row.id)
            receipts.from_another_phone(row)
        for (target, sim), ids in moved.items():
            for start_at in range(0, len(ids), 500):
                Outbox.update(device=target, sim=sim, updated_at=utcnow()).where(
                    Outbox.id.in_(ids[start_at:start_at + 500]) & (Outbox.status == OutboxStatus.QUEUED)
                    & (Outbox.device == device)
                ).execute()
        targets_used = list(dict.fromkeys(target for target, _ in moved))
        if moved:
            log.warning("gateway phone %s is down: %d waiting SMS moved to %s", device,
                        sum(map(len, moved.values())), ", ".join(map(str, targets_used)))
        return {target: 0.0 for target in targets_used}
