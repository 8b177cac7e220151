"""The phones of one SMS Gateway for Android account (``SMSGATE_DEVICES``), each with its own
pace, health and SIMs' operators, and which one an SMS leaves from.

A reply leaves from the phone (and SIM) that received the citizen's SMS when it can leave
from there within SMSGATE_OVERFLOW_AFTER seconds (reckoned from the rows that go before it on
that phone and the phone's pace); otherwise it *overflows* to the phone that can send it
soonest, a phone with a SIM of the citizen's operator first among those within the bound
(the operator of each SIM is a setting: numbers are portable, prefixes do not tell). Anything
else leaves from the least-loaded phone (fewest SMS waiting for it plus sent in the last
minute). A phone is down while its last sends failed (``GatewayHealth``) or while it is
*silent*: the gateway accepted SMS for it and has not seen the phone since. A down phone
takes no overflow and is skipped while another is up; a reply whose phone is down leaves from
another rather than never. Without SMSGATE_DEVICES there is one phone, ``device`` None (the
app picks).
"""
from __future__ import annotations

import time
from typing import Callable, Iterable

import peewee as pw
import redis

from cases.province.phones import operator_of
from cases.store.models import Outbox, OutboxStatus, Priority, utcnow

from .health import GatewayHealth
from .ratelimit import RateLimit

BACKEND = "smsgate"
ANDROID_PER_MINUTE = 30
"""Android's own check on an app's outgoing SMS (per minute): replies may use the room between
the configured pace and this."""
SILENT_AFTER = 120
"""Seconds after a send the gateway accepted with no sign of the phone since: it is down."""
SEEN_SLACK = 30
"""Seconds of clock difference allowed between us and the gateway's ``lastSeen``."""
SEEN_EVERY = 30
"""Seconds between looks at the account's device list (``lastSeen`` of each phone)."""
OVERFLOW_AFTER = 20
"""Seconds a reply may wait for the phone that received the citizen's SMS before another
phone sends it (SMSGATE_OVERFLOW_AFTER)."""


WAITED_ROOM = 3
"""Slots of a phone's minute (below Android's 30) that only an answer a citizen waits for may
use: a crowd's receipts and the notices never take the last of them, so the next question
of a conversation finds room at once."""


def pacing_rule(priority: int, pace: int) -> dict:
    """How a row of ``priority`` uses its phone's ``pace``: an answer the phone waits for up to
    Android's own limit; a receipt up to WAITED_ROOM below it; a bulk SMS (reminders,
    digests) spread evenly; the rest within the pace, and never in the WAITED_ROOM."""
    top = max(pace, ANDROID_PER_MINUTE)
    if priority == Priority.REPLY:
        return {"ceiling": top}
    if priority == Priority.RECEIPT:
        return {"ceiling": top - WAITED_ROOM, "cap": top - WAITED_ROOM}
    return {"spread": priority >= Priority.BULK, "cap": top - WAITED_ROOM}


class Phone:
    """One phone: its pace (a RateLimit) and its health, in Redis."""

    def __init__(self, connection: redis.Redis, device: str | None, pace: int, clock: Callable[[], float],
                 operators: tuple[str | None, ...] = ()):
        name = f"{BACKEND}:{device}" if device else BACKEND
        self.device = device
        self.operators = operators  # the operator of SIM 1, SIM 2… (None: not said)
        self.limit = RateLimit(connection, name, pace, clock)
        self.health = GatewayHealth(connection, name)

    def sim_of(self, operator: str | None) -> int | None:
        """The number of this phone's SIM of ``operator`` (None: none, or not said)."""
        if operator is None or operator not in self.operators:
            return None
        return self.operators.index(operator) + 1

    @property
    def label(self) -> str:
        return self.device or "default"

    def admit(self, priority: int) -> float:
        """0 when a row of ``priority`` may leave now (its slot is taken), else the seconds to wait."""
        return self.limit.admit(**pacing_rule(priority, self.limit.per_minute))

    def wait(self, priority: int) -> float:
        """The seconds until a row of ``priority`` could leave (nothing taken)."""
        return self.limit.wait(**pacing_rule(priority, self.limit.per_minute))

    def wait_behind(self, ahead: int, priority: int) -> float:
        """The seconds until a row of ``priority`` could leave after ``ahead`` rows that go first."""
        rule = pacing_rule(priority, self.limit.per_minute)
        return self.limit.wait_behind(ahead, rule.get("ceiling"), rule.get("cap"))


class Phones:
    """Every phone of the account, or the one phone the app picks for us."""

    def __init__(self, connection: redis.Redis, devices: Iterable[str], pace: int,
                 ask_seen: Callable[[], dict[str, float] | None] | None = None,
                 operators: dict[str, tuple[str | None, ...]] | None = None, overflow_after: float = OVERFLOW_AFTER):
        self.connection = connection
        self.clock: Callable[[], float] = time.time  # the pace's clock; injectable for tests
        devices = list(dict.fromkeys(devices))
        self.several = bool(devices)
        operators = operators or {}
        self.all = [Phone(connection, device, pace, self._now, operators.get(device, ())) for device in devices or [None]]
        self.overflow_after = overflow_after
        self.by_device = {phone.device: phone for phone in self.all}
        self._ask_seen = ask_seen  # deviceId → lastSeen from the gateway, None when it cannot say
        self._seen_key = f"rongrian:gateway:{BACKEND}:seen"

    def _now(self) -> float:
        return self.clock()

    def get(self, device: str | None) -> Phone | None:
        """The phone ``device`` (the only one without SMSGATE_DEVICES), None when not ours."""
        return self.by_device.get(device) if self.several else self.all[0]

    # --- where rows wait -----------------------------------------------------------------

    def waiting(self, phone: Phone | None = None) -> pw.Expression:
        """Rows parked for ``phone`` (every phone when None): queued for this gateway and due."""
        where = (
            (Outbox.status == OutboxStatus.QUEUED) & (Outbox.provider == BACKEND)
            & (Outbox.send_after.is_null() | (Outbox.send_after <= utcnow()))
        )
        if phone is not None and self.several:
            where &= Outbox.device == phone.device
        return where

    def parked_counts(self) -> dict[str | None, int]:
        """Device → rows parked for it."""
        query = Outbox.select(Outbox.device, pw.fn.COUNT(Outbox.id).alias("n")).where(self.waiting()).group_by(Outbox.device)
        counts = {row.device: row.n for row in query}
        return counts if self.several else {None: sum(counts.values())}

    def loads(self, phones: list[Phone]) -> dict[str | None, int]:
        """Device → SMS waiting for it plus SMS it sent in the last minute."""
        parked = self.parked_counts()
        return {phone.device: parked.get(phone.device, 0) + phone.limit.count() for phone in phones}

    def least_loaded(self, phones: list[Phone]) -> Phone:
        loads = self.loads(phones)
        return min(phones, key=lambda phone: loads[phone.device])

    # --- up or down ----------------------------------------------------------------------

    def down_because(self, phone: Phone) -> str | None:
        """"failing", "silent", or None when the phone is up."""
        if phone.health.is_down():
            return "failing"
        if self.several and self.silent(phone):
            return "silent"
        return None

    def up(self) -> list[Phone]:
        return [phone for phone in self.all if self.down_because(phone) is None]

    def choose(self, row: Outbox) -> Phone:
        """The phone ``row`` leaves from: its own (a reply's receiving phone, or where it was
        parked) while that is up and, for a reply, can send it within the bound; else a reply
        overflows to the phone that can send it soonest (``soonest``), anything else goes to
        the least-loaded phone that is up."""
        if not self.several:
            return self.all[0]
        own = self.by_device.get(row.device)
        answers = Priority(row.priority).answers
        if own is not None and self.down_because(own) is None:
            if not answers:
                return own
            ahead = self.ahead(row)
            if own.wait_behind(ahead.get(own.device, 0), row.priority) <= self.overflow_after:
                return own
            return self.soonest(row, self.up(), ahead, own)
        up = self.up()
        if own is not None and not up:
            return own
        if answers and up:
            return self.soonest(row, up, self.ahead(row))
        return self.least_loaded(up or self.all)

    def soonest(self, row: Outbox, up: list[Phone], ahead: dict[str | None, int], own: Phone | None = None) -> Phone:
        """Of the phones that are ``up``, the one that can send the reply ``row`` soonest, a
        phone with a SIM of the citizen's operator first among those that can within the bound
        (a tie stays on ``own``)."""
        waits = {phone.device: phone.wait_behind(ahead.get(phone.device, 0), row.priority) for phone in up}
        operator = operator_of(row.phone)
        same = [phone for phone in up if phone.sim_of(operator) and waits[phone.device] <= self.overflow_after]
        if same:
            return min(same, key=lambda phone: (waits[phone.device], phone is not own))
        return min(up, key=lambda phone: (waits[phone.device], phone.sim_of(operator) is None, phone is not own))

    def ahead(self, row: Outbox) -> dict[str | None, int]:
        """Device → the rows parked for that phone that go before ``row`` (a higher priority,
        or the same and older)."""
        first = (Outbox.priority < row.priority) | ((Outbox.priority == row.priority) & (Outbox.id < row.id))
        query = (Outbox.select(Outbox.device, pw.fn.COUNT(Outbox.id).alias("n"))
                 .where(self.waiting() & first & (Outbox.id != row.id)).group_by(Outbox.device))
        return {found.device: found.n for found in query}

    def silent(self, phone: Phone) -> bool:
        """True when the gateway accepted an SMS for ``phone`` more than SILENT_AFTER s ago and
        has not seen the phone since (it is off, or off-line)."""
        seen = self.last_seen().get(phone.device)
        if seen is None:
            return False
        handed = phone.health.first_sent_since(seen + SEEN_SLACK)
        return handed is not None and time.time() - handed > SILENT_AFTER

    def last_seen(self) -> dict[str, float]:
        """deviceId → when the gateway last heard from that phone (Unix seconds), asked at most
        every SEEN_EVERY s; empty when the gateway cannot say (e.g. the app's local server)."""
        try:
            cached = {key.decode(): float(value) for key, value in self.connection.hgetall(self._seen_key).items()}
            if self._ask_seen is None or not self.connection.set(f"{self._seen_key}:asked", 1, nx=True, ex=SEEN_EVERY):
                return cached
        except redis.RedisError:
            return {}
        seen = self._ask_seen()
        if seen is None:  # no news: keep what we knew
            return cached
        try:
            with self.connection.pipeline() as pipe:
                pipe.delete(self._seen_key)
                if seen:
                    pipe.hset(self._seen_key, mapping=seen)
                    pipe.expire(self._seen_key, SEEN_EVERY * 10)
                pipe.execute()
        except redis.RedisError:
            pass
        return seen
