"""A demo's history: weeks of plausible cases made by the domain's own functions, with the clock
set back (``models.clock_at``), so that lists, timelines, statistics and the map have something
true to show on a first visit.

Every step is what the real system would have done at that moment: a report filed
(``lifecycle.file_report``), routed (``routing.route_case``), taken, passed on, closed by staff
of the agency holding it (``lifecycle.accept`` / ``forward`` / ``finish``), rated and sometimes
reopened by the citizen's digit (``aftercare.reply``), reminders and escalations
(``reminders.send_due``) and the heads' morning digest (``reminders.send_digest``) at their
hours. Steps run in time order across all cases, in one transaction: all or nothing.

The SMS those steps wrote are kept in the outbox as sent at their time by the ``demo``
provider: none of them ever leaves (the directory's staff phones may be real). Each demo case
carries a ``demo`` event, which is how a database with real cases is told apart and refused.

The citizens are numbers of one block (``CITIZEN_PREFIX``); village heads are the directory's.
Descriptions are the words of the directory's own categories, so any province works.
"""
from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from dataclasses import dataclass, field

from cases.casework import aftercare, events, lifecycle, reminders, routing
from cases.casework.lifecycle import CaseRefused
from cases.language import lifecycle_texts
from cases.province.catalog import CATALOG
from cases.store.models import (
    Case, CaseEvent, CaseStatus, Contact, Outbox, OutboxStatus, StaffRole, VillageHead, clock_at, utcnow,
)
from cases.store.work import unit_of_work

DEMO_EVENT = "demo"
"""The event kind every demo case carries (a case without it is real)."""
DEMO_PROVIDER = "demo"
"""The outbox ``provider`` of the demo's SMS: kept as sent, never handed to a gateway."""
CITIZEN_PREFIX = "+66990"
"""The demo citizens' phones: +66990000000 onwards."""
CITIZENS = 300
REPORTS_PER_DAY = 8
"""About this many reports on a weekday (fewer at weekends), besides the surge."""
SURGE_REPORTS = 24
"""Reports of one problem in one subdistrict within a few hours, on the surge day."""
SWEEP_EVERY = dt.timedelta(hours=8)
"""How often the reminders run in the history (the worker runs them more often; the same SMS)."""
CHANNELS = (("sms", 50), ("ussd", 25), ("voice", 10), ("head", 15))
"""How reports come in, with weights; ``head``: a village head files for a resident by SMS."""
PACES = (("fast", 30), ("usual", 44), ("slow", 16), ("forwarded", 4), ("ignored", 3))
"""How an agency handles a case, with weights."""
HOUR = dt.timedelta(hours=1)


class DemoRefused(Exception):
    """The database is not one a demo history may go into."""


def real_cases() -> int:
    """How many cases are not demo cases."""
    demo = CaseEvent.select(CaseEvent.case).where(CaseEvent.kind == DEMO_EVENT)
    return Case.select().where(Case.id.not_in(demo)).count()


def has_history() -> bool:
    """Whether a demo history is already there."""
    return CaseEvent.select().where(CaseEvent.kind == DEMO_EVENT).exists()


@dataclass
class History:
    """What ``make_history`` made."""

    cases: int = 0
    sms: int = 0
    steps: dict[str, int] = field(default_factory=dict)

    def count(self, step: str) -> None:
        self.steps[step] = self.steps.get(step, 0) + 1


def make_history(days: int = 60, now: dt.datetime | None = None, seed: int = 24) -> History | None:
    """Fill the database with ``days`` days of demo cases up to ``now``; None when a demo history
    is already there (nothing is added twice). DemoRefused when the database holds real cases
    or no directory is loaded."""
    now = now or utcnow()
    if real_cases():
        raise DemoRefused(f"the database holds {real_cases()} real case(s): a demo history goes only into a demo")
    if has_history():
        return None
    if not CATALOG.villages() or not CATALOG.categories():
        raise DemoRefused("no directory is loaded: load one first (rongrian demo, or rongrian load-directory)")
    first_sms = (Outbox.select(Outbox.id).order_by(Outbox.id.desc()).first() or Outbox(id=0)).id
    history = History()
    with unit_of_work(None):  # one transaction; no job: the SMS are history, not to send
        _Timeline(random.Random(seed), now, history).run(now - dt.timedelta(days=days))
        history.sms = Outbox.update(
            status=OutboxStatus.SENT, provider=DEMO_PROVIDER, sent_at=Outbox.created_at, updated_at=Outbox.created_at,
        ).where((Outbox.id > first_sms) & (Outbox.status == OutboxStatus.QUEUED)).execute()
    return history


def _pick(rng: random.Random, weighted):
    names, weights = zip(*weighted)
    return rng.choices(names, weights)[0]


class _Timeline:
    """The steps of the history, run in time order (a heap of (time, n, step, args))."""

    def __init__(self, rng: random.Random, now: dt.datetime, history: History):
        self.rng, self.now, self.history = rng, now, history
        self.steps: list = []
        self.order = itertools.count()
        self.citizens = [f"{CITIZEN_PREFIX}{n:06d}" for n in range(CITIZENS)]
        self.heads = list(VillageHead.select().order_by(VillageHead.phone))
        self.categories = CATALOG.categories()
        self.staffed = {agency: members for agency, members in self._staff().items() if members}
        self.places = self._places()

    @staticmethod
    def _staff() -> dict:
        """Agency code → who acts on its cases (officers first, then heads, then the province role)."""
        rank = {StaffRole.OFFICER: 0, StaffRole.HEAD: 1, StaffRole.PROVINCE: 2}
        found: dict[str, list] = {}
        for member in sorted(CATALOG.now().staff.values(), key=lambda m: (rank[m.role], m.phone)):
            found.setdefault(member.agency_id, []).append(member)
        return found

    def _places(self) -> list[tuple]:
        """(category, village, weight) of every report that could be filed: busier villages
        weigh more, and a case an agency with staff would get more (others wait, overdue)."""
        villages = CATALOG.villages()
        busy = {village.code: self.rng.paretovariate(1.4) for village in villages}
        places = []
        for position, category in enumerate(self.categories):
            common = 1 / (1 + 0.3 * position)
            for village in villages:
                weight = busy[village.code] * common * (1 if self._staffed(category, village) else 0.05)
                places.append((category, village, weight))
        return places

    def _staffed(self, category, village) -> bool:
        """Whether the agency that would get this report has staff to work on it."""
        agency = routing.find_agency(category.code, village)
        return agency is not None and agency.code in self.staffed

    def at(self, moment: dt.datetime, step, *args) -> None:
        """Do ``step(*args)`` at ``moment``, if that is before now."""
        if moment < self.now:
            heapq.heappush(self.steps, (moment, next(self.order), step, args))

    def run(self, start: dt.datetime) -> None:
        self._plan_reports(start)
        moment = start + SWEEP_EVERY
        while moment < self.now:
            self.at(moment, self.remind)
            moment += SWEEP_EVERY
        first_digest = reminders.next_digest_at(start).replace(tzinfo=None)
        for day in range((self.now - first_digest).days + 1):
            self.at(first_digest + dt.timedelta(days=day), self.digest)
        while self.steps:
            moment, _n, step, args = heapq.heappop(self.steps)
            try:
                with clock_at(moment), unit_of_work(None):
                    step(moment, *args)
            except CaseRefused:
                self.history.count("refused")  # e.g. a case its agency passed on meanwhile

    # --- reports -------------------------------------------------------------------------

    def _plan_reports(self, start: dt.datetime) -> None:
        days = (self.now - start).days
        weights = list(itertools.accumulate(weight for _c, _v, weight in self.places))
        for day in range(days + 1):
            midnight = start.replace(hour=17, minute=0, second=0, microsecond=0) + dt.timedelta(days=day)  # 00:00 +07
            weekend = (midnight + 7 * HOUR).weekday() >= 5
            count = max(0, round(self.rng.gauss(REPORTS_PER_DAY * (0.6 if weekend else 1), 2.5)))
            for category, village, _weight in self.rng.choices(self.places, cum_weights=weights, k=count):
                self.at(midnight + self._daytime(), self.file, category, village, self._channel(village))
        self._plan_surge(start + dt.timedelta(days=days * 0.55))

    def _daytime(self) -> dt.timedelta:
        """A time of day people report at (06:00–22:00 Bangkok, most in the morning and evening)."""
        return dt.timedelta(hours=self.rng.choice((6, 7, 7, 8, 8, 9, 10, 11, 12, 13, 15, 17, 18, 18, 19, 20, 21)),
                            minutes=self.rng.randrange(60), seconds=self.rng.randrange(60))

    def _channel(self, village) -> tuple[str, str | None]:
        """(channel, village head filing) of a report from ``village``."""
        channel = _pick(self.rng, CHANNELS)
        if channel != "head":
            return channel, None
        heads = [head for head in self.heads if head.village_id == village.code] or self.heads
        return ("sms", self.rng.choice(heads).phone) if heads else ("sms", None)

    def _plan_surge(self, day: dt.datetime) -> None:
        """A storm's day: many reports of one problem in the villages of one subdistrict."""
        villages = CATALOG.villages()
        ordered = sorted(self.categories, key=lambda category: category.code != "flood")  # a flood if it has staff
        category, staffed = next(((category, found) for category in ordered
                                  if (found := [v for v in villages if self._staffed(category, v)])),
                                 (ordered[0], villages))
        subdistrict = self.rng.choice(staffed).subdistrict_id
        villages = [village for village in staffed if village.subdistrict_id == subdistrict]
        start = day.replace(hour=22, minute=0, second=0, microsecond=0)  # 05:00 Bangkok time
        for n in range(SURGE_REPORTS):
            moment = start + dt.timedelta(minutes=n * 7 + self.rng.randrange(6))
            self.at(moment, self.file, category, self.rng.choice(villages[:3]), ("sms", None))

    def file(self, moment, category, village, channel: tuple[str, str | None]) -> None:
        how, head = channel
        words = [word.strip() for word in (category.keywords_th or category.name_th).split(";") if word.strip()]
        case = lifecycle.file_report(
            category, village, self.rng.choice(words) if how != "voice" else "", self.rng.choice(self.citizens),
            channel=how, submitter_phone=head,
        )
        if case.repeated:
            return
        events.record(case, DEMO_EVENT, note="rongrian demo-history")
        self.history.cases += 1
        self.at(moment + dt.timedelta(seconds=self.rng.randrange(5, 90)), self.route, case.id)

    def route(self, moment, case_id: int) -> None:
        case = routing.route_case(case_id)
        if case.duplicate_of_id is None:  # a linked report moves with its first
            self.plan(moment, case)

    # --- what the agency does --------------------------------------------------------------

    def plan(self, moment: dt.datetime, case: Case, pace: str | None = None) -> None:
        """Book the agency's steps on ``case`` from ``moment``, at one of PACES."""
        members = self.staffed.get(case.agency_id)
        if not members:
            return  # an agency nobody works for yet: its cases wait, and are escalated
        pace, staff = pace or _pick(self.rng, PACES), members[0]
        hours = {"fast": (0.2, 3, 8, 40), "usual": (2, 20, 30, 190), "slow": (26, 70, 200, 600),
                 "forwarded": (1, 8, 0, 0), "ignored": (0, 0, 0, 0)}[pace]
        if pace == "ignored":
            return
        if pace == "forwarded":
            others = [code for code in self.staffed if code != case.agency_id]
            if others:
                self.at(moment + HOUR * self.rng.uniform(*hours[:2]), self.forward, case.id, staff,
                        self.rng.choice(others))
            return
        accepted = moment + HOUR * self.rng.uniform(*hours[:2])
        self.at(accepted, self.accept, case.id, staff)
        self.at(accepted + HOUR * self.rng.uniform(*hours[2:]), self.finish, case.id, staff)

    def accept(self, moment, case_id: int, staff) -> None:
        lifecycle.accept(Case.get_by_id(case_id), staff)
        self.history.count("accepted")

    def forward(self, moment, case_id: int, staff, agency_code: str) -> None:
        case = lifecycle.forward(Case.get_by_id(case_id), staff, lifecycle.find_agency(agency_code))
        self.history.count("forwarded")
        self.plan(moment, case, pace=_pick(self.rng, PACES[:2]))

    def finish(self, moment, case_id: int, staff) -> None:
        case = lifecycle.finish(Case.get_by_id(case_id), staff)
        self.history.count("done")
        if case.reporter_phone and self.rng.random() < 0.55:
            digit = _pick(self.rng, ((5, 34), (4, 30), (3, 14), (2, 11), (1, 11)))
            self.at(moment + HOUR * self.rng.uniform(0.1, 8), self.reply, case.reporter_phone, str(digit), staff)

    # --- what the citizen answers ----------------------------------------------------------

    def reply(self, moment, phone: str, digit: str, staff) -> None:
        """The citizen's digit, answered as the SMS flow answers it (a direct answer)."""
        contact = Contact.get_by_id(phone)
        awaited = Case.get_or_none(Case.id == contact.awaiting_case_id)
        answer = aftercare.reply(contact, digit)
        if answer is None or awaited is None:
            return
        key, params = answer
        lifecycle.answer(phone, key, **params)
        if key == lifecycle_texts.RATED_LOW and self.rng.random() < 0.45:
            self.history.count("rated low")
            self.at(moment + HOUR * self.rng.uniform(0.05, 2), self.reply, phone, "1", staff)
        elif digit == "1" and key == lifecycle_texts.REOPENED:
            self.history.count("reopened")
            self.plan(moment, Case.get_by_id(awaited.id), pace="fast")
        else:
            self.history.count("rated")

    # --- the worker's periodic jobs --------------------------------------------------------

    def remind(self, moment) -> None:
        reminders.send_due(moment)

    def digest(self, moment) -> None:
        reminders.send_digest(moment)


def counts_by_status() -> dict[str, int]:
    """How many demo cases are in each status now (for the command's summary)."""
    demo = CaseEvent.select(CaseEvent.case).where(CaseEvent.kind == DEMO_EVENT)
    found: dict[str, int] = {}
    for case in Case.select(Case.status).where(Case.id.in_(demo)):
        found[case.status.value] = found.get(case.status.value, 0) + 1
    return {status.value: found.get(status.value, 0) for status in CaseStatus if found.get(status.value)}
