"""The case list, one case's page, its CSV, and the actions staff take on a case.

Actions run the same domain functions as the staff's SMS words (``cases.casework.lifecycle``), so
they follow the same rules and send the same SMS; the case row is locked first, so a
double submit changes nothing twice.
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cases.casework import lifecycle
from cases.casework.lifecycle import CaseRefused
from cases.language import texts
from cases.language.style import STATE_WORDS
from cases.messages.outbox import language_of
from cases.store import work
from cases.store.models import Agency, Case, Category, District, Subdistrict
from web import unit_of_work

from . import auth, case_list, case_page, dates, sessions
from .blueprint import bp

MAX_FORM_TEXT = 1000


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100000:
        abort(400, "page must be a number from 1")
    return int(raw)


@bp.get("/")
@auth.login_required
def cases():
    if (typed := dates.iso_args(request.args)) is not None:  # a date typed in the Buddhist era
        return redirect(url_for("console.cases", **typed), 303)
    filters = case_list.Filters.from_args(request.args)
    codes = auth.visible_agency_codes()
    found = case_list.query(filters, codes)
    page = _page_number()
    total = found.count()
    rows = list(found.paginate(page, case_list.PAGE_SIZE))
    return render_template(
        "console/cases.html", rows=rows, total=total, page=page, pages=max(1, -(-total // case_list.PAGE_SIZE)),
        overdue_ids=case_page.overdue_ids(rows), **filter_form(filters, codes),
    )


def filter_form(filters: case_list.Filters, codes: set[str] | None) -> dict:
    """What the filters' form (``_filters.html``, on the list and the map) shows."""
    agencies = Agency.select().order_by(Agency.code)
    if codes is not None:
        agencies = agencies.where(Agency.code.in_(sorted(codes)))
    return dict(
        filters=filters, args=filters.as_args(),
        categories=Category.select().order_by(Category.position), districts=District.select().order_by(District.code),
        agencies=list(agencies), statuses=STATE_WORDS, language=sessions.language(), be_input=dates.be_input,
        subdistrict=Subdistrict.get_or_none(Subdistrict.code == filters.subdistrict) if filters.subdistrict else None,
        without_subdistrict={name: value for name, value in filters.as_args().items() if name != "subdistrict"},
    )


@bp.get("/cases.csv")
@auth.login_required(csv=True)
def cases_csv():
    filters = case_list.Filters.from_args(request.args)
    body = case_list.csv_text(case_list.query(filters, auth.visible_agency_codes()))
    return Response(body.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=cases.csv", "Content-Type": "text/csv; charset=utf-8",
    })


def visible_case(ref: str) -> Case:
    """The case ``ref`` if the user may see it: 404 when there is none, 403 when another agency holds it."""
    ref = case_list.ascii_digits(ref)
    case = Case.get_or_none(Case.reference == ref) if ref else None
    if case is None:
        abort(404, "no case has this reference")
    if not auth.may_see_agency(case.agency_id):
        abort(403, "another agency holds this case")
    return case


@bp.get("/cases/<ref>")
@auth.login_required
def case(ref: str):
    found = visible_case(ref)
    staff = auth.current_staff()
    shows_phone, language = case_page.shows_phone(found, staff), sessions.language()
    if shows_phone and (found.reporter_phone or found.submitter_phone):  # a head's phone is shown whole too
        with unit_of_work():
            lifecycle.record_phone_view(found, staff)
    return render_template(
        "console/case.html", case=found, shows_phone=shows_phone,
        description=case_page.shown_text(found.description, shows_phone), may_act=case_page.may_act(found, staff),
        may_show_description=case_page.may_show_description(found, staff),
        timeline=case_page.timeline(found, shows_phone), linked=case_page.linked(found),
        agencies=case_page.forward_choices(found, language),
        statuses=STATE_WORDS, language=language,
        overdue=bool(case_page.overdue_ids([found])),
        note_room=case_page.note_room(found, language_of(found.reporter_phone or found.submitter_phone or "")),
    )


def _act(ref: str, action, field: str = "note", required: bool = False) -> Response:
    """Run ``action(case, staff, value)`` on the locked case row, ``value`` being the form's
    ``field``; back to the case page with what happened, or to the list when the case has
    left the user's agency (forwarded)."""
    visible_case(ref)
    staff = auth.current_staff()
    value = _form_text(field, required)
    try:
        with unit_of_work():
            case = Case.get(Case.reference == case_list.ascii_digits(ref))
            work.lock(Case.select().where(Case.id == case.id))
            case = Case.get_by_id(case.id)  # as it is now that this request holds it
            message = action(case, staff, value)
    except CaseRefused as refusal:
        text = texts.render(sessions.language(), refusal.key, **refusal.params)
        if refusal.key == texts.STAFF_NOT_YOURS:
            abort(403, text)
        if refusal.key in (texts.STAFF_UNKNOWN_AGENCY, texts.STAFF_ALREADY_THERE):
            abort(400, text)
        flash(text, "notice")  # already closed: a double submit, nothing changed
        return redirect(url_for("console.case", ref=case.reference), 303)
    flash(message, "notice")
    if not auth.may_see_agency(case.agency_id):
        return redirect(url_for("console.cases"), 303)
    return redirect(url_for("console.case", ref=case.reference), 303)


def _form_text(name: str, required: bool = False) -> str:
    value = request.form.get(name, "")
    if len(value) > MAX_FORM_TEXT:
        abort(400, f"{name} is longer than {MAX_FORM_TEXT} characters")
    if any(ord(ch) < 32 and ch not in "\t\n\r" or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        abort(400, f"{name} holds control characters")  # PostgreSQL cannot store a NUL
    if required and not value.strip():
        abort(400, f"{name} is missing")
    return value.strip()


def _accept(case: Case, staff, _value) -> str:
    lifecycle.accept(case, staff)
    return _("You took this case. The reporter was told by SMS.")


def _done(case: Case, staff, note: str) -> str:
    lifecycle.finish(case, staff, note)
    return _("Case closed. The reporter was told by SMS and asked for a rating.")


def _forward(case: Case, staff, code: str) -> str:
    agency = lifecycle.find_agency(code)
    lifecycle.forward(case, staff, agency)
    return _("Case %(ref)s passed to %(agency)s. Its staff and the reporter were told by SMS.",
             ref=case.reference, agency=texts.localized(agency, sessions.language()))


def _show_description(case: Case, staff, public: str) -> str:
    if not lifecycle.show_description(case, staff, public == "1"):
        return _("Nothing changed.")
    if public == "1":
        return _("The description is now shown in open data, phone numbers masked.")
    return _("The description is hidden from open data again.")


def _note(case: Case, staff, text: str) -> str:
    lifecycle.add_note(case, staff, text)
    return _("Note added.")


@bp.post("/cases/<ref>/accept")
@auth.login_required
def accept(ref: str):
    return _act(ref, _accept)


@bp.post("/cases/<ref>/done")
@auth.login_required
def done(ref: str):
    return _act(ref, _done)


@bp.post("/cases/<ref>/forward")
@auth.login_required
def forward(ref: str):
    return _act(ref, _forward, "agency", required=True)


@bp.post("/cases/<ref>/publish")
@auth.login_required
def publish(ref: str):
    if request.form.get("public") not in ("0", "1"):
        abort(400, "public must be 1 (show the description in open data) or 0 (hide it)")
    return _act(ref, _show_description, "public", required=True)


@bp.post("/cases/<ref>/note")
@auth.login_required
def note(ref: str):
    return _act(ref, _note, "text", required=True)
