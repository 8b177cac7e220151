"""The statistics page and its CSV: the numbers of ``cases.reporting.stats`` for a period (``from``,
``to``: ISO dates, default this month in Bangkok time), for the agencies the user may see."""
from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from cases.reporting import stats as numbers
from cases.store.models import Category, District, utcnow

from . import auth, charts, sessions
from .blueprint import bp
from .formatting import buddhist_datetime, channel_label


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


@bp.get("/stats")
@auth.login_required
def stats():
    language = sessions.language()
    error, status = None, 200
    try:
        period = numbers.Period.parse(*_period_args())
    except numbers.PeriodError:
        error, status, period = _(
            "Dates must be like 2026-11-01, the first not after the second, at most %(days)s days apart.",
            days=numbers.MAX_DAYS,
        ), 400, numbers.Period.this_month()
    visible = auth.visible_agency_codes()
    cases = numbers.received(period, visible, utcnow())
    rows = numbers.agency_rows(cases, visible)
    total = numbers.totals(cases)
    cells = numbers.by_type_and_district(cases)
    weeks = numbers.weekly(period, cases, visible)
    week_labels = [be_date(max(week.monday, period.start), language) for week in weeks]
    mix = numbers.channel_mix(cases)
    spread = numbers.days_to_done(cases)
    page = render_template(
        "console/stats.html", period=period, error=error, rows=rows, total=total, numbers=numbers,
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
