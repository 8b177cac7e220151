"""The province's numbers: per agency, per type × district, per week, per channel.

Every number is about the cases *received in a period*: filed (``Case.created_at``) on a
day from ``Period.start`` to ``Period.end`` inclusive, days counted in Bangkok time, and
counted for the agency that **holds the case now** (``Case.agency``; a case not yet routed
counts for no agency). Of those cases:

- ``received``: all of them (a report linked to an earlier one about the same problem
  counts too: each is a citizen's report);
- ``open``: still new, assigned or accepted; ``done``: status done now (a reopened case is
  open again until it is done again); ``cancelled``: cancelled now;
- ``resolution_rate`` = done / (received − cancelled), a fraction 0–1; none (an empty cell)
  when nothing but cancelled cases was received;
- ``overdue``: open and overdue *now* by the reminders' own rule (``reminders.is_overdue``:
  not accepted within 24 h of reaching the agency, or accepted and past its type's deadline);
- hours to accept: from filing to the **first acceptance by the agency holding the case now**
  (its first ``accepted`` event, or its first ``done`` event when it closed the case without
  accepting it first, as ``lifecycle.finish`` allows). Filing is the start because that is how
  long the citizen waited: a case forwarded to the holder carries the time lost before. A
  reopened case keeps its first acceptance (a reopen does not make the agency slower to take
  the case on); a case the holder has not accepted yet has no time to accept;
- hours to done: from filing to the **last closure** (``Case.closed_at`` of a case done now;
  a reopen clears it, so a reopened case is measured to its final closure);
- medians are the middle value (the mean of the two middle ones), in hours; none without
  cases to measure; ``mean_rating``: the mean of the citizens' 1–5 ratings of done cases.

The weekly series counts cases received per week (Monday to Sunday, Bangkok time) and cases
*resolved* per week: done now and closed (``closed_at``) that week, whenever they were filed;
weeks are cut to the period. The channel mix counts received cases by the way they came in;
a report a village head filed for a resident counts as "village head" whatever its channel.
The headline's percentage is the resolution rate (equal to resolved / received when nothing
was cancelled).

Numbers are computed in Python from one query of the period's cases and one of their
acceptance events, so SQLite and PostgreSQL give the same medians.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass, field

from cases.casework import reminders
from cases.province.catalog import CATALOG
from cases.store.models import OPEN_STATUSES, Agency, Case, CaseEvent, CaseStatus, StaffRole, utcnow

BANGKOK = reminders.BANGKOK
MAX_DAYS = 1100
"""The longest period asked for (three years): a longer one is refused, not computed."""
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2200, 12, 31)
"""The dates a period may name (a Buddhist-era year such as 2569 is refused, not misread)."""
ACCEPTING_EVENTS = ("accepted", "done")
"""Event kinds that show an agency took a case on (done without accepting first counts)."""
VILLAGE_HEAD = "village_head"
CHANNELS = ("sms", "ussd", "voice", VILLAGE_HEAD, "open311")
"""The channel mix's parts, in the order shown (other channel values are shown after them)."""
CSV_COLUMNS = (
    "agency_code", "agency_name", "received", "open", "done", "cancelled",
    "resolution_rate", "median_hours_to_accept", "median_hours_to_done", "overdue",
)
BOM = "\ufeff"
"""Written first in every CSV so that Excel reads it as UTF-8 (Thai names)."""


class PeriodError(ValueError):
    """Dates that do not make a period (unreadable, reversed, too long)."""


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end`` inclusive, in Bangkok time."""

    start: dt.date
    end: dt.date

    @classmethod
    def this_month(cls, now: dt.datetime | None = None) -> "Period":
        """From the first of the current Bangkok month to today (``now`` is naive UTC)."""
        today = local_date(now or utcnow())
        return cls(today.replace(day=1), today)

    @classmethod
    def parse(cls, start: str | None, end: str | None, now: dt.datetime | None = None) -> "Period":
        """The period of two ISO dates (either missing or empty: this month's end of it);
        PeriodError for a date that cannot be read, a start after the end or over MAX_DAYS."""
        default = cls.this_month(now)
        try:
            first = dt.date.fromisoformat(start.strip()) if start and start.strip() else default.start
            last = dt.date.fromisoformat(end.strip()) if end and end.strip() else default.end
        except ValueError as error:
            raise PeriodError(f"dates must be ISO dates like 2026-11-01 ({error})") from None
        if not (FIRST_DAY <= first and last <= LAST_DAY):
            raise PeriodError(f"dates must be from {FIRST_DAY} to {LAST_DAY} (Christian era)")
        if last < first:
            raise PeriodError("the period ends before it starts")
        if (last - first).days + 1 > MAX_DAYS:
            raise PeriodError(f"a period may be at most {MAX_DAYS} days long")
        return cls(first, last)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Its first instant and the instant after it, naive UTC."""
        return utc_midnight(self.start), utc_midnight(self.end + dt.timedelta(days=1))

    def weeks(self) -> list[dt.date]:
        """The Mondays of the weeks it touches (the first may be before ``start``)."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        return [monday + dt.timedelta(weeks=n) for n in range((self.end - monday).days // 7 + 1)]


def local_date(moment: dt.datetime) -> dt.date:
    """The Bangkok date of a naive UTC time."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(BANGKOK).date()


def utc_midnight(day: dt.date) -> dt.datetime:
    """00:00 of a Bangkok day, as naive UTC."""
    return dt.datetime.combine(day, dt.time(), BANGKOK).astimezone(dt.timezone.utc).replace(tzinfo=None)


def week_of(moment: dt.datetime) -> dt.date:
    """The Monday (Bangkok time) of the week of a naive UTC time."""
    day = local_date(moment)
    return day - dt.timedelta(days=day.weekday())


def visible_to(staff) -> set[str] | None:
    """The agencies a staff member's numbers cover: None (every one) for the province role,
    else their own agency."""
    return None if staff.role == StaffRole.PROVINCE else {staff.agency_id}


def hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class Received:
    """What the numbers need of one received case."""

    agency: str
    status: CaseStatus
    category: str
    district: str
    channel: str
    created_at: dt.datetime
    first_accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    rating: int | None
    overdue: bool

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == CaseStatus.DONE


def _visible(query, visible: set[str] | None):
    if visible is None:
        return query.where(Case.agency.is_null(False))
    return query.where(Case.agency.in_(sorted(visible)))


def received(period: Period, visible: set[str] | None, now: dt.datetime | None = None) -> list[Received]:
    """The cases received in ``period`` that the agencies in ``visible`` (None: all) hold now."""
    now = now or utcnow()
    first, after = period.bounds()
    query = _visible(
        Case.select(
            Case.id, Case.agency, Case.status, Case.category, Case.village, Case.channel, Case.submitter_phone,
            Case.created_at, Case.assigned_at, Case.accepted_at, Case.closed_at, Case.rating,
        ).where((Case.created_at >= first) & (Case.created_at < after)),
        visible,
    )
    cases = list(query.order_by(Case.id))
    accepted = first_acceptances(query)
    found = []
    for case in cases:
        case.category = CATALOG.category(case.category_id) or case.category  # its deadline, no query
        found.append(Received(
            agency=case.agency_id, status=case.status, category=case.category_id, district=case.village_id[:4],
            channel=VILLAGE_HEAD if case.submitter_phone else case.channel,
            created_at=case.created_at,
            first_accepted_at=accepted.get((case.id, case.agency_id), case.accepted_at),
            closed_at=case.closed_at if case.status == CaseStatus.DONE else None,
            rating=case.rating, overdue=case.status in OPEN_STATUSES and reminders.is_overdue(case, now),
        ))
    return found


def first_acceptances(cases) -> dict[tuple[int, str], dt.datetime]:
    """(case id, agency code) → when that agency first took the case on, for the cases of
    the query ``cases``."""
    events = CaseEvent.select(CaseEvent.case, CaseEvent.agency, CaseEvent.at).where(
        CaseEvent.kind.in_(ACCEPTING_EVENTS) & CaseEvent.case.in_(cases.select(Case.id))
    ).order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
    return {(event.case_id, event.agency_id): event.at for event in events}  # the earliest wins


@dataclass
class Counts:
    """The numbers of one group of received cases (an agency, a type in a district, all)."""

    received: int = 0
    open: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    to_accept: list[float] = field(default_factory=list)
    to_done: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    def add(self, case: Received) -> None:
        self.received += 1
        self.open += case.is_open
        self.done += case.is_done
        self.cancelled += case.status == CaseStatus.CANCELLED
        self.overdue += case.overdue
        if case.first_accepted_at is not None:
            self.to_accept.append(hours(case.first_accepted_at - case.created_at))
        if case.closed_at is not None:
            self.to_done.append(hours(case.closed_at - case.created_at))
            if case.rating is not None:
                self.ratings.append(case.rating)

    @property
    def resolution_rate(self) -> float | None:
        measured = self.received - self.cancelled
        return self.done / measured if measured else None

    @property
    def median_hours_to_accept(self) -> float | None:
        return median(self.to_accept)

    @property
    def median_hours_to_done(self) -> float | None:
        return median(self.to_done)

    @property
    def mean_rating(self) -> float | None:
        return statistics.fmean(self.ratings) if self.ratings else None


@dataclass
class AgencyRow(Counts):
    """One agency's numbers."""

    code: str = ""
    agency: Agency | None = None


def agencies(visible: set[str] | None) -> list[Agency]:
    """The agencies in ``visible`` (None: every one), by code."""
    query = Agency.select().order_by(Agency.code)
    return list(query if visible is None else query.where(Agency.code.in_(sorted(visible))))


def agency_rows(cases: list[Received], visible: set[str] | None) -> list[AgencyRow]:
    """One row per visible agency (those with no case too), by code."""
    rows = {agency.code: AgencyRow(code=agency.code, agency=agency) for agency in agencies(visible)}
    for case in cases:
        if case.agency in rows:
            rows[case.agency].add(case)
    return list(rows.values())


def totals(cases: list[Received]) -> Counts:
    """The numbers of every case together."""
    counts = Counts()
    for case in cases:
        counts.add(case)
    return counts


def by_type_and_district(cases: list[Received]) -> dict[tuple[str, str], Counts]:
    """(category code, district code) → the numbers of that type in that district."""
    cells: dict[tuple[str, str], Counts] = {}
    for case in cases:
        cells.setdefault((case.category, case.district), Counts()).add(case)
    return cells


@dataclass(frozen=True)
class Week:
    monday: dt.date
    received: int
    resolved: int


def weekly(period: Period, cases: list[Received], visible: set[str] | None) -> list[Week]:
    """Cases received and cases resolved in each week of ``period`` (see the module's doc)."""
    first, after = period.bounds()
    closed = _visible(
        Case.select(Case.closed_at).where(
            (Case.status == CaseStatus.DONE) & (Case.closed_at >= first) & (Case.closed_at < after)
        ),
        visible,
    )
    got: dict[dt.date, int] = {}
    resolved: dict[dt.date, int] = {}
    for case in cases:
        got[week_of(case.created_at)] = got.get(week_of(case.created_at), 0) + 1
    for case in closed:
        resolved[week_of(case.closed_at)] = resolved.get(week_of(case.closed_at), 0) + 1
    return [Week(monday, got.get(monday, 0), resolved.get(monday, 0)) for monday in period.weeks()]


def channel_mix(cases: list[Received]) -> dict[str, int]:
    """Channel → how many received cases came that way (every part of CHANNELS, even at 0)."""
    mix = dict.fromkeys(CHANNELS, 0)
    for case in cases:
        mix[case.channel] = mix.get(case.channel, 0) + 1
    return mix


def days_to_done(cases: list[Received], edges=(1, 3, 7, 15, 30)) -> list[tuple[str, int]]:
    """How many done cases took how long, in bins of days: ("<1", n), ("1-3", n) … (">30", n)."""
    bins = [f"<{edges[0]}"] + [f"{low}-{high}" for low, high in zip(edges, edges[1:])] + [f">{edges[-1]}"]
    counts = [0] * len(bins)
    for case in cases:
        if case.closed_at is not None:
            days = hours(case.closed_at - case.created_at) / 24
            counts[sum(days >= edge for edge in edges)] += 1
    return list(zip(bins, counts))


# --- output ----------------------------------------------------------------------------


def number(value: int) -> str:
    """An integer with thousands separators: 1,190."""
    return f"{value:,}"


def percent(rate: float | None) -> str:
    """A fraction as a percentage with one decimal: 56.9; "-" when there is none."""
    return "-" if rate is None else f"{rate * 100:.1f}"


def _cell(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


def csv_text(rows: list[AgencyRow], language: str = "th") -> str:
    """The per-agency numbers as CSV (CSV_COLUMNS), a byte-order mark first; a rate with 4
    decimals, hours with 1, an empty cell where there is nothing to measure."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        name = row.agency.name_en if language == "en" else row.agency.name_th
        writer.writerow([
            row.code, name, row.received, row.open, row.done, row.cancelled,
            _cell(row.resolution_rate, 4), _cell(row.median_hours_to_accept, 1),
            _cell(row.median_hours_to_done, 1), row.overdue,
        ])
    return out.getvalue()


def summary_params(staff, now: dt.datetime | None = None) -> dict:
    """This month's headline numbers for what ``staff`` may see, as the values of the
    ``texts.STAFF_SUMMARY`` SMS."""
    now = now or utcnow()
    counts = totals(received(Period.this_month(now), visible_to(staff), now))
    return {
        "received": number(counts.received), "resolved": number(counts.done),
        "rate": percent(counts.resolution_rate or 0.0), "pending": number(counts.open), "late": number(counts.overdue),
    }
