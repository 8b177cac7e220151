"""``GET /console/map``: the province drawn on the server as SVG, nothing loaded from outside.

Every subdistrict of the directory with a ``lat``/``lon`` is a mark at its place (an
equirectangular projection, longitudes shrunk by the cosine of the middle latitude), sized
by its open cases and coloured by the age of the oldest; each links to the case list of its
open cases there, with the same filters. Subdistricts without coordinates are listed beside.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import fn

from cases.store.models import Case, District, Subdistrict, Village, utcnow

from . import auth, case_list, dates
from .blueprint import bp
from .case_views import filter_form

WIDTH = 720
"""The drawing's width in SVG units (it scales to the page)."""
MARGIN = 28
MAX_HEIGHT = 900
AGES = ((1, "#5c9e6a"), (3, "#e0b000"), (7, "#e07b00"), (30, "#c0392b"), (None, "#6d1b1b"))
"""(days up to, colour) of the oldest open case; the last for anything older."""
EMPTY = "#9aa5ab"
"""A subdistrict without open cases: a small grey dot."""


@dataclass
class Mark:
    subdistrict: Subdistrict
    open: int
    oldest: dt.datetime | None
    x: float = 0
    y: float = 0

    @property
    def radius(self) -> float:
        return 2.5 if not self.open else 5 + 3.2 * math.sqrt(self.open)

    def colour(self, now: dt.datetime) -> str:
        if not self.open:
            return EMPTY
        days = (now - self.oldest).total_seconds() / 86400
        return next(colour for limit, colour in AGES if limit is None or days <= limit)

    def age_days(self, now: dt.datetime) -> int:
        return int((now - self.oldest).total_seconds() // 86400) if self.oldest else 0


def open_by_subdistrict(filters: case_list.Filters, codes: set[str] | None) -> dict[str, tuple[int, dt.datetime]]:
    """Subdistrict code → (open cases matching ``filters``, when the oldest was filed)."""
    query = case_list.query(open_only(filters), codes).order_by()
    oldest = fn.MIN(Case.created_at).python_value(Case.created_at.python_value)
    rows = query.select(Village.subdistrict, fn.COUNT(Case.id), oldest).group_by(Village.subdistrict).tuples()
    return {code: (count, first) for code, count, first in rows}


def open_only(filters: case_list.Filters) -> case_list.Filters:
    """``filters`` for open cases (a status filter that is open already stays)."""
    keep = filters.status if filters.status in (case_list.OPEN, "new", "assigned", "accepted") else case_list.OPEN
    return case_list.Filters(**{**vars(filters), "status": keep})


def place(marks: list[Mark]) -> float:
    """Put the marks on the drawing (``x``, ``y``); the drawing's height."""
    lats = [mark.subdistrict.lat for mark in marks]
    lons = [mark.subdistrict.lon for mark in marks]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * shrink, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)
    left = (WIDTH - span_x * scale) / 2  # a tall province drawn in the middle
    for mark in marks:
        mark.x = left + (mark.subdistrict.lon - min(lons)) * shrink * scale
        mark.y = MARGIN + (max(lats) - mark.subdistrict.lat) * scale
    return 2 * MARGIN + span_y * scale


@bp.get("/map", endpoint="map")
@auth.login_required
def province_map():
    if (typed := dates.iso_args(request.args)) is not None:
        return redirect(url_for("console.map", **typed), 303)
    filters = case_list.Filters.from_args(request.args)
    codes = auth.visible_agency_codes()
    counts = open_by_subdistrict(filters, codes)
    subdistricts = list(Subdistrict.select().order_by(Subdistrict.code))
    if filters.district:
        subdistricts = [sub for sub in subdistricts if sub.district_id == filters.district]
    if filters.subdistrict:
        subdistricts = [sub for sub in subdistricts if sub.code == filters.subdistrict]
    marks = [Mark(sub, *counts.get(sub.code, (0, None))) for sub in subdistricts]
    placed = [mark for mark in marks if mark.subdistrict.lat is not None and mark.subdistrict.lon is not None]
    height = place(placed) if placed else 0
    args = open_only(filters).as_args()
    link = {mark.subdistrict.code: url_for("console.cases", **{**args, "subdistrict": mark.subdistrict.code})
            for mark in marks}
    districts = {district.code: district for district in District.select()}
    labels = []
    for code in sorted({mark.subdistrict.district_id for mark in placed}):
        inside = [mark for mark in placed if mark.subdistrict.district_id == code]
        labels.append((districts[code], sum(m.x for m in inside) / len(inside), sum(m.y for m in inside) / len(inside)))
    return render_template(
        "console/map.html", marks=sorted(placed, key=lambda mark: -mark.radius), unplaced=[m for m in marks if m not in placed],
        width=WIDTH, height=height, link=link, now=utcnow(), ages=AGES, empty=EMPTY, labels=labels,
        total=sum(mark.open for mark in marks), title=_("Map of open cases"),
        filter_action="console.map", **filter_form(filters, codes),
    )
