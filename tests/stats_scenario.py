"""A scripted month (November 2026, Bangkok time) of cases for the numbers' tests: cases
reported, accepted, forwarded, done, rated, reopened and cancelled at controlled times,
moved by the real domain functions under a frozen clock (``Clock``)."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

from cases.casework import aftercare, lifecycle, routing
from cases.province import directory
from cases.province.catalog import CATALOG
from cases.store import models, work
from cases.store.models import Case, CaseStatus, Staff
from rongrian.cli import DEMO_DIRECTORY

AGENCIES = """code,name_th,name_en
lao510101,ทม.ลำพูน,Lamphun Town Municipality
pea,กฟภ.ลำพูน,PEA Lamphun
province,ศูนย์ดำรงธรรมลำพูน,Damrongdhama Centre Lamphun
pwa,กปภ.ลำพูน,PWA Lamphun
"""
ROUTING = """category_code,area_code,agency_code
road,5101,lao510101
water,*,pwa
power,*,pea
"""
TOWN_OFFICER, TOWN_HEAD, PWA_OFFICER = "+66800000101", "+66800000102", "+66800000104"
PROVINCE_HEAD, PROVINCE_USER = "+66800000105", "+66800000109"
STAFF = """phone,agency_code,name,role
0800000101,lao510101,Town officer,officer
0800000102,lao510101,Town head,head
0800000104,pwa,PWA officer,officer
0800000105,province,Province office head,head
0800000109,province,Governor's office,province
"""
VILLAGE_HEAD = "+66800000209"
NOW = dt.datetime(2026, 12, 1, 5, 0)
"""When the numbers are computed (naive UTC): 12:00 on 1 December in Bangkok."""
NOVEMBER = dt.datetime(2026, 11, 1, 0, 0) - dt.timedelta(hours=7)
"""00:00 on 1 November 2026 in Bangkok, naive UTC."""

EXPECTED_CSV = (
    "\ufeffagency_code,agency_name,received,open,done,cancelled,resolution_rate,"
    "median_hours_to_accept,median_hours_to_done,overdue\r\n"
    "lao510101,ทม.ลำพูน,8,3,4,1,0.5714,5.0,28.0,2\r\n"
    "pea,กฟภ.ลำพูน,0,0,0,0,,,,0\r\n"
    "province,ศูนย์ดำรงธรรมลำพูน,2,1,1,0,0.5000,48.0,48.0,1\r\n"
    "pwa,กปภ.ลำพูน,1,1,0,0,0.0000,,,1\r\n"
)
"""stats.csv for November 2026 as the province sees it, worked out by hand from ``november``."""


class Clock:
    """Freezes ``cases.store.models.utcnow`` (every timestamp the domain writes, column defaults
    included) at ``at``; ``clock.at = …`` moves it."""

    def __init__(self, monkeypatch, at: dt.datetime):
        self.at = at
        frozen = SimpleNamespace(now=lambda tz=None: self.at.replace(tzinfo=dt.timezone.utc))
        monkeypatch.setattr(models, "dt", SimpleNamespace(datetime=frozen, timezone=dt.timezone))


def load_directory(folder: Path) -> None:
    """The demo's places and types with four agencies, their staff and one village head."""
    folder.mkdir()
    for name in ("districts.csv", "subdistricts.csv", "villages.csv", "categories.csv"):
        shutil.copy(DEMO_DIRECTORY / name, folder / name)
    (folder / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    (folder / "routing.csv").write_text(ROUTING, encoding="utf-8")
    (folder / "staff.csv").write_text(STAFF, encoding="utf-8")
    head_village = villages("5103")[0]
    (folder / "village_heads.csv").write_text(f"phone,village_code,name\n0800000209,{head_village},Head\n", encoding="utf-8")
    directory.load(folder)


def villages(district: str) -> list[str]:
    """The demo's village codes in ``district``."""
    with (DEMO_DIRECTORY / "villages.csv").open(encoding="utf-8") as handle:
        return sorted(row["code"] for row in csv.DictReader(handle) if row["code"].startswith(district))


class Script:
    """Moves cases through the domain at chosen hours after their filing."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self.staff = {member.phone: member for member in Staff.select()}
        self.spare = iter(villages("5101"))

    def file(self, at: dt.datetime, category: str = "road", village: str | None = None, channel: str = "sms",
             by_head: bool = False) -> Case:
        self.clock.at = at
        phone = None if by_head else f"+6681{at:%m%d%H%M}"
        with work.unit_of_work(None):
            case = lifecycle.file_report(
                CATALOG.category(category), CATALOG.village(village or next(self.spare)), "problem",
                phone, channel=channel, submitter_phone=VILLAGE_HEAD if by_head else None, now=at,
            )
        with work.unit_of_work(None):
            routing.route_case(case.id)
        return Case.get_by_id(case.id)

    def at(self, case: Case, after_hours: float) -> Case:
        """Move the clock to ``after_hours`` after the case was filed; the case read anew."""
        self.clock.at = case.created_at + dt.timedelta(hours=after_hours)
        return Case.get_by_id(case.id)

    def accept(self, case, hours, phone):
        with work.unit_of_work(None):
            lifecycle.accept(self.at(case, hours), self.staff[phone])

    def finish(self, case, hours, phone):
        with work.unit_of_work(None):
            lifecycle.finish(self.at(case, hours), self.staff[phone], "fixed")

    def forward(self, case, hours, phone, agency):
        with work.unit_of_work(None):
            lifecycle.forward(self.at(case, hours), self.staff[phone], CATALOG.agency(agency))

    def rate(self, case, hours, rating):
        with work.unit_of_work(None):
            aftercare.rate(self.at(case, hours), "+66810000000", rating)

    def reopen(self, case, hours):
        with work.unit_of_work(None):
            aftercare.reopen(self.at(case, hours), "+66810000000", now=self.clock.at)

    def cancel(self, case, hours):
        """No domain function withdraws a filed case yet: its status is set as one would."""
        self.at(case, hours)
        Case.update(status=CaseStatus.CANCELLED, closed_at=self.clock.at).where(Case.id == case.id).execute()


def day(d: int, hour_bangkok: int = 10) -> dt.datetime:
    """``hour_bangkok`` o'clock on day ``d`` of November 2026 in Bangkok, naive UTC."""
    return NOVEMBER + dt.timedelta(days=d - 1, hours=hour_bangkok)


def november(clock: Clock) -> dict[str, Case]:
    """The month: lao510101 holds A–G and J (received 8, open C D F, done A B G J,
    cancelled E; hours to accept 1 2 4 6 8 10 → 5.0; to done 20 26 30 100 → 28.0;
    overdue C D), pwa holds K (forwarded to it, not accepted: overdue), the province holds
    L and M (no rule for garbage); H and I fall just outside November in Bangkok time."""
    s = Script(clock)
    T, P, W = TOWN_OFFICER, PROVINCE_HEAD, PWA_OFFICER
    cases = {}
    cases["G"] = g = s.file(day(1, 3))  # 1 Nov 03:00 Bangkok = 31 Oct 20:00 UTC: in November
    s.accept(g, 6, T), s.finish(g, 30, T)
    cases["H"] = h = s.file(day(0, 23))  # 31 Oct 23:00 Bangkok: October
    s.finish(h, 40, T)
    cases["A"] = a = s.file(day(2))
    s.accept(a, 2, T), s.finish(a, 26, T), s.rate(a, 27, 5)
    cases["B"] = b = s.file(day(3))
    s.accept(b, 4, T), s.finish(b, 50, T), s.rate(b, 51, 1), s.reopen(b, 60)
    s.accept(b, 62, T), s.finish(b, 100, T)  # first acceptance stays 4 h, done measured to 100 h
    cases["J"] = j = s.file(day(5), category="water")  # routed to pwa, which passes it on
    s.accept(j, 3, W), s.forward(j, 5, W, "lao510101"), s.accept(j, 8, T), s.finish(j, 20, T)
    cases["K"] = k = s.file(day(6))
    s.forward(k, 1, T, "pwa")
    cases["C"] = c = s.file(day(10), channel="ussd")
    s.accept(c, 10, T)  # deadline 15 days later: 25 Nov, overdue on 1 Dec
    cases["L"] = l_ = s.file(day(12), category="garbage", village=villages("5102")[0])
    s.finish(l_, 48, P)  # done without accepting first: accepted when done
    cases["M"] = s.file(day(13), category="garbage", village=villages("5103")[0], by_head=True)
    cases["D"] = s.file(day(20))  # never accepted: overdue
    cases["E"] = e = s.file(day(28))
    s.cancel(e, 2)
    cases["F"] = f = s.file(day(29), channel="voice")
    s.accept(f, 1, T)  # deadline 14 Dec: not overdue
    cases["I"] = s.file(day(31, 0) + dt.timedelta(minutes=30))  # 1 Dec 00:30 Bangkok: December
    clock.at = NOW
    return cases
