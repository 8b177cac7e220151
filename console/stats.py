"""The statistics page and its CSV: the numbers of ``cases.reporting.stats`` for a period (``from``,
``to``: ISO dates, default this month in Bangkok time), for the agencies the user may see.

The page: dates typed in the Buddhist era (``dates``), agencies that received nothing in the
period folded into one line, the others sortable by what an officer asks about."""
from __future__ import annotations

import datetime as dt

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cases.reporting import stats as numbers
from cases.store.models import Category, District, utcnow

from . import auth, charts, dates, sessions
from .blueprint import bp
from .formatting import buddhist_datetime, channel_label

SORTS = {
    "received": lambda row: row.received,
    "done": lambda row: row.done,
    "accept": lambda row: row.median_hours_to_accept,
    "close": lambda row: row.median_hours_to_done,
    "overdue": lambda row: row.overdue,
}
"""The columns the agency table sorts by (``sort``), the largest first unless ``order=asc``."""


def _period_args() -> tuple[str | None, str | None]:
    return request.args.get("from"), request.args.get("to")


def be_date(day, language: str) -> str:
    """A Bangkok day as "1 พ.ย. 2569" (Buddhist era)."""
    return buddhist_datetime(numbers.utc_midnight(day), language, with_time=False)


def headline(total: numbers.Counts) -> str:
    """The line the province reports: "received 1,190, resolved 677 (56.9 %)" (no rate when
    nothing but cancelled cases came in)."""
    received, resolved = numbers.number(total.received), numbers.number(total.done)
    if total.resolution_rate is None:
        return _("received %(received)s, resolved %(resolved)s", received=received, resolved=resolved)
    return _("received %(received)s, resolved %(resolved)s (%(rate)s %%)", received=received, resolved=resolved,
             rate=numbers.percent(total.resolution_rate))


def quick_periods(today: dt.date, sort: str) -> list[tuple[str, str]]:
    """The periods an officer asks for most, as (label, URL), sorted by ``sort``."""
    first = today.replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    spans = [
        (_("This month"), first, today), (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("Last 30 days"), today - dt.timedelta(days=29), today), (_("Last 90 days"), today - dt.timedelta(days=89), today),
        (_("This year"), today.replace(month=1, day=1), today),
    ]
    by = {"sort": sort} if sort in SORTS else {}
    return [(label, url_for("console.stats", **{"from": start.isoformat(), "to": end.isoformat()}, **by))
            for label, start, end in spans]


def sorted_rows(rows: list[numbers.AgencyRow], sort: str, ascending: bool) -> list[numbers.AgencyRow]:
    """The rows by the column ``sort`` (SORTS; by code when unknown), rows without a value last."""
    key = SORTS.get(sort)
    if key is None:
        return rows
    measured = sorted((row for row in rows if key(row) is not None), key=key, reverse=not ascending)
    return measured + [row for row in rows if key(row) is None]


def sort_links(period: numbers.Period, sort: str, ascending: bool) -> dict[str, str]:
    """Column → the URL that sorts by it (the largest first; again: the smallest first)."""
    base = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return {name: url_for("console.stats", **base, sort=name, **({"order": "asc"} if name == sort and not ascending else {}))
            for name in SORTS}


@bp.get("/stats")
@auth.login_required
def stats():
    if (typed := dates.iso_args(request.args)) is not None:
        return redirect(url_for("console.stats", **typed), 303)
    language = sessions.language()
    error, status = None, 200
    try:
        period = numbers.Period.parse(*_period_args())
    except numbers.PeriodError:
        error, status, period = _(
            "Dates must be like %(example)s (day/month/Buddhist year), the first not after the second, "
            "at most %(days)s days apart.", example=dates.be_input(numbers.Period.this_month().start),
            days=numbers.MAX_DAYS,
        ), 400, numbers.Period.this_month()
    sort, ascending = request.args.get("sort", "received"), request.args.get("order") == "asc"
    visible = auth.visible_agency_codes()
    cases = numbers.received(period, visible, utcnow())
    rows = numbers.agency_rows(cases, visible)
    idle = [row for row in rows if not row.received]
    rows = sorted_rows([row for row in rows if row.received], sort, ascending)
    total = numbers.totals(cases)
    cells = numbers.by_type_and_district(cases)
    weeks = numbers.weekly(period, cases, visible)
    week_labels = [be_date(max(week.monday, period.start), language) for week in weeks]
    mix = numbers.channel_mix(cases)
    spread = numbers.days_to_done(cases)
    page = render_template(
        "console/stats.html", period=period, error=error, rows=rows, idle=idle, total=total, numbers=numbers,
        sort=sort if sort in SORTS else "", ascending=ascending, sort_links=sort_links(period, sort, ascending),
        be_input=dates.be_input, quick=quick_periods(numbers.Period.this_month().end, sort),
        headline=headline(total),
        first=be_date(period.start, language), last=be_date(period.end, language),
        categories=[c for c in Category.select().order_by(Category.position) if any(k[0] == c.code for k in cells)],
        districts=[d for d in District.select().order_by(District.code) if any(k[1] == d.code for k in cells)],
        cells=cells, language=language,
        charts=[
            charts.bars(_("Cases received per week"), week_labels, [w.received for w in weeks], rotate=True),
            charts.bars(_("Cases resolved per week"), week_labels, [w.resolved for w in weeks], rotate=True, color=1),
            charts.bars(_("Days from report to done"), [label for label, _n in spread],
                        [count for _label, count in spread], color=2),
            charts.horizontal_bars(_("Cases by channel"), [channel_label(c) for c in mix], list(mix.values()), color=3),
        ],
        csv_url=url_for("console.stats_csv", **{"from": period.start.isoformat(), "to": period.end.isoformat()}),
    )
    return page, status


@bp.get("/stats.csv")
@auth.login_required(csv=True)
def stats_csv():
    try:
        period = numbers.Period.parse(*_period_args())
    except numbers.PeriodError as problem:
        abort(400, str(problem))
    visible = auth.visible_agency_codes()
    rows = numbers.agency_rows(numbers.received(period, visible, utcnow()), visible)
    name = f"stats-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(numbers.csv_text(rows, sessions.language()).encode("utf-8"), headers={
        "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": f"attachment; filename={name}",
    })
