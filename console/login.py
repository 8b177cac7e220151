"""Login by a one-time code sent by SMS to a phone in the staff directory; no passwords.

An unknown phone sees the same pages as a registered one and gets no SMS.
"""
from __future__ import annotations

import logging

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from cases import texts
from cases.i18n import LANGUAGES
from cases.models import Staff
from cases.outbox import language_of, queue_sms
from cases.phones import masked, try_e164
from sms_gateway.web import services, unit_of_work

from . import auth
from .blueprint import bp
from .codes import LoginCodes

log = logging.getLogger(__name__)


def login_codes() -> LoginCodes:
    return LoginCodes(services().connection, current_app.config["SECRET_KEY"])


@bp.get("/login")
def login():
    if auth.current_staff() is not None:
        return redirect(url_for("console.cases"), 303)
    return render_template("console/login.html")


@bp.post("/login")
def send_code():
    raw = request.form.get("phone", "")
    phone = try_e164(raw[:40])
    if phone is None:
        return render_template("console/login.html", error=_("That is not a phone number."), phone=raw[:40]), 400
    staff = Staff.get_or_none(Staff.phone == phone)
    if staff is not None:
        code = login_codes().issue(phone)
        if code is not None:
            with unit_of_work():
                queue_sms(phone, texts.STAFF_LOGIN_CODE, otp=code)
        else:
            log.warning("console login: no code sent to %s (locked or too many asked)", masked(phone))
    return render_template("console/code.html", phone=phone)


@bp.post("/login/verify")
def verify():
    phone = try_e164(request.form.get("phone", "")[:40])
    if phone is None:
        return render_template("console/login.html", error=_("That is not a phone number.")), 400
    codes = login_codes()
    if codes.locked(phone):
        return render_template("console/code.html", phone=phone, error=_(
            "Too many wrong codes. This phone is locked for 15 minutes."
        )), 429
    if not codes.check(phone, request.form.get("code", "")):
        locked = codes.locked(phone)
        error = _("Too many wrong codes. This phone is locked for 15 minutes.") if locked else _(
            "Wrong or expired code. Check the SMS or ask for a new code."
        )
        return render_template("console/code.html", phone=phone, error=error), 429 if locked else 400
    staff = Staff.get_or_none(Staff.phone == phone)
    if staff is None:  # left the directory in the meantime
        return render_template("console/code.html", phone=phone, error=_(
            "Wrong or expired code. Check the SMS or ask for a new code."
        )), 400
    if "lang" not in session:
        session["lang"] = language_of(phone)
    auth.log_in(staff)
    log.info("console login: %s (%s)", masked(phone), staff.agency_id)
    return redirect(url_for("console.cases"), 303)


@bp.post("/logout")
def logout():
    auth.log_out()
    return redirect(url_for("console.login"), 303)


@bp.get("/language/<lang>")
def language(lang: str):
    """Switch the console's language (kept in the session); back to the page it was chosen on."""
    if lang in LANGUAGES:
        session["lang"] = lang
    target = request.args.get("next", "")
    if not target.startswith("/console/") or any(ord(ch) < 32 or ch in "\\\x7f" for ch in target):
        target = url_for("console.cases")  # only back into the console, never a header broken by CR/LF
    return redirect(target, 303)
