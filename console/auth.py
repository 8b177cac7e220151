"""Who is logged in to the console, and what they may see.

``login_required`` guards a page (no session: 303 to the login page) or, with ``csv=True``,
a download (no session: 401). ``current_staff()`` is the logged-in ``Staff`` row;
``visible_agency_codes()`` is None for the province (every agency) or the set holding the
user's own agency code.
"""
from __future__ import annotations

import functools

from flask import abort, g, redirect, session, url_for

from cases.store.models import Staff, StaffRole

from . import sessions

SESSION_KEY = "staff_phone"


def log_in(staff: Staff) -> None:
    """Start a fresh session for ``staff``: a new id (nothing of the old session survives but
    the language), and the login's lifetime starts now."""
    language = session.get("lang")
    session.clear()
    session[SESSION_KEY] = staff.phone
    if language:
        session["lang"] = language
    sessions.renew(login=True)


def log_out() -> None:
    """End the session server-side (a copy of its cookie is refused from now on); only the
    language is kept, under a new id."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    sessions.renew(login=False)


def current_staff() -> Staff | None:
    """The staff member of this session (None when nobody is logged in, or the phone has
    left the directory since)."""
    if "console_staff" not in g:
        phone = session.get(SESSION_KEY)
        g.console_staff = Staff.get_or_none(Staff.phone == phone) if phone else None
    return g.console_staff


def visible_agency_codes(staff: Staff | None = None) -> set[str] | None:
    """None when the user sees every agency (role province), else {their agency's code}."""
    staff = staff or current_staff()
    if staff is None:
        return set()
    if staff.role == StaffRole.PROVINCE:
        return None
    return {staff.agency_id}


def may_see_agency(code: str | None, staff: Staff | None = None) -> bool:
    """Whether the user may see (and act on) what ``code``'s agency holds."""
    codes = visible_agency_codes(staff)
    return codes is None or code in codes


def login_required(view=None, *, csv: bool = False):
    """Guard a view: without a session a page answers 303 to the login page, a CSV (``csv=True``) 401.

    Use as ``@login_required`` or ``@login_required(csv=True)``.
    """
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if current_staff() is None:
                if csv:
                    abort(401, "log in to the console first")
                return redirect(url_for("console.login"), 303)
            return func(*args, **kwargs)
        return wrapper

    return decorate(view) if view is not None else decorate
