"""Login by a one-time code sent by SMS to a phone in the staff directory; no passwords.

An unknown phone sees the same pages as a registered one, at the same pace, and gets no
SMS: the request does the same work for both (a code and its limits for every phone), and
a staff member's SMS is queued only after the answer has left (``call_on_close``).
Limits and locks: ``codes``.
"""
from __future__ import annotations

import functools
import logging

from flask import Flask, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from cases.language import texts
from cases.language.i18n import LANGUAGES
from cases.messages.outbox import language_of, queue_sms
from cases.province.phones import masked, try_e164
from cases.store.models import Staff, database
from web import services, unit_of_work

from . import auth
from .blueprint import bp
from .codes import LoginCodes, Refused
from .formatting import retry_time

log = logging.getLogger(__name__)


def login_codes() -> LoginCodes:
    return LoginCodes(services().connection, current_app.config["SECRET_KEY"])


def refusal(refused: Refused) -> str:
    """What the page says of a refusal, with when to try again."""
    time = retry_time(refused.seconds, str(get_locale() or "th"))
    if refused.reason == "locked":
        return _("Too many wrong codes. This phone is locked until %(time)s.", time=time)
    if refused.reason == "codes":
        return _("Too many codes asked for this phone. Please ask again after %(time)s.", time=time)
    return _("Too many attempts. Please try again after %(time)s.", time=time)


def queue_code(app: Flask, phone: str, code: str) -> None:
    """Write the code's SMS (outbox row and its job) in a unit of work of its own; called once
    the answer has been sent, so a staff phone's answer takes no longer than an unknown one's."""
    with app.app_context():
        try:
            database.connect(reuse_if_open=True)
            with unit_of_work():
                queue_sms(phone, texts.STAFF_LOGIN_CODE, otp=code)
        except Exception:
            log.exception("console login: the code for %s was not queued", masked(phone))


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
    issued = login_codes().ask(phone, request.remote_addr or "")
    if isinstance(issued, Refused):
        log.warning("console login: no code for %s (%s, %s s)", masked(phone), issued.reason, issued.seconds)
        return render_template("console/code.html", phone=phone, error=refusal(issued)), 429
    response = make_response(render_template("console/code.html", phone=phone))
    if Staff.get_or_none(Staff.phone == phone) is not None:
        response.call_on_close(functools.partial(queue_code, current_app._get_current_object(), phone, issued))
    return response


@bp.post("/login/verify")
def verify():
    phone = try_e164(request.form.get("phone", "")[:40])
    if phone is None:
        return render_template("console/login.html", error=_("That is not a phone number.")), 400
    right = login_codes().attempt(phone, request.form.get("code", ""), request.remote_addr or "")
    if isinstance(right, Refused):
        log.warning("console login: code refused for %s (%s, %s s)", masked(phone), right.reason, right.seconds)
        return render_template("console/code.html", phone=phone, error=refusal(right)), 429
    staff = Staff.get_or_none(Staff.phone == phone) if right else None
    if staff is None:  # a wrong code, or an unknown phone, or one that left the directory in the meantime
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
