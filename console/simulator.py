"""``/console/simulator``: a phone in the browser for staff and trainers. An SMS thread for any
number, a USSD screen with a keypad, the voice menu as buttons: each drives the flows through
``web.phone``, the code the gateways run, and the thread shows the SMS the system writes for
that number as they leave the outbox. Staff typing from their own number act as themselves.

Open without a login in development (a trainer at ``make run``; every door is open there);
behind the console's login in production, where a user may play their own number or one that
no colleague, village head or citizen with a real case uses (acting for them is not trying the
service), and the SMS leave for real like any other.
"""
from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from flask import abort, current_app, redirect, render_template, request, session, url_for

from cases.language.i18n import N_
from cases.province.phones import local_form, try_e164
from cases.casework.demo import DEMO_EVENT
from cases.store.models import Case, CaseEvent, InboundMessage, Outbox, Staff, VillageHead, utcnow
from web import is_production
from web import phone as turns

from . import auth
from .blueprint import bp

DEFAULT_PHONE = "0812345678"
"""The number the page offers first (a citizen's)."""
THREAD = 40
"""Messages shown in the thread, the latest last."""
MAX_TEXT = 640
PHONE, USSD, VOICE = "simulator_phone", "simulator_ussd", "simulator_voice"
"""Where the page keeps the number played, its USSD session and voice call (the console's
session: a number never travels in a URL, which access logs would keep)."""
SENDING_LABELS = {
    "queued": N_("waiting to leave"), "sending": N_("leaving"), "sent": N_("sent"), "delivered": N_("delivered"),
    "failed": N_("not sent"), "unknown": N_("unknown"), "expired": N_("expired"),
}
"""Where an SMS to the phone stands, as the thread says it."""
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")


@dataclass
class Bubble:
    at: dt.datetime
    incoming: bool  # from the phone to the system
    text: str
    status: str = ""


def thread(phone: str) -> list[Bubble]:
    """What ``phone`` sent and received, oldest first: its SMS, the answers given at once, and
    every SMS written for it to the outbox (with where each stands)."""
    bubbles = []
    for message in InboundMessage.select().where(InboundMessage.phone == phone).order_by(InboundMessage.id.desc()).limit(THREAD):
        bubbles.append(Bubble(message.received_at, True, message.body))
        if message.reply:
            bubbles.append(Bubble(message.received_at, False, message.reply, "reply"))
    for row in Outbox.select().where(Outbox.phone == phone).order_by(Outbox.id.desc()).limit(THREAD):
        bubbles.append(Bubble(row.created_at, False, row.body, row.status.value))
    return sorted(bubbles, key=lambda bubble: (bubble.at, not bubble.incoming))[-THREAD:]


WATCH_FOR = dt.timedelta(minutes=2)
"""The page looks again every few seconds while an SMS this young waits to leave."""


def waiting(bubbles: list[Bubble], now: dt.datetime) -> bool:
    """Whether an SMS to the phone is about to leave (the page then reloads itself)."""
    return any(bubble.status in ("queued", "sending") and now - bubble.at < WATCH_FOR for bubble in bubbles)


def door(view):
    """Guard a simulator view: the console's login in production; open in development."""
    guarded = auth.login_required(view)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if is_production(current_app.config):
            return guarded(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapper


def own_phone() -> str | None:
    """The logged-in user's own number (None for a trainer in development without a login)."""
    staff = auth.current_staff()
    return staff.phone if staff else None


def chosen_phone() -> str:
    """The simulated number (E.164): the form's on a POST, else the one chosen before; 400 when
    it is not a phone number, 403 when production forbids playing it."""
    typed = request.form.get("phone") if request.method == "POST" else None
    number = try_e164(typed[:32]) if typed else session.get(PHONE) or try_e164(DEFAULT_PHONE)
    if number is None:
        abort(400, "phone must be a phone number, e.g. 0812345678")
    if is_production(current_app.config) and number != own_phone() and not playable(number):
        abort(403, "in production you may play yourself or a number no real person uses here "
                   "(not a staff member, a village head or a citizen with a real case)")
    session[PHONE] = number
    return number


def playable(number: str) -> bool:
    """Whether a production simulator may play ``number``: no colleague, village head or citizen
    of a real case (acting for them is not trying the service)."""
    if Staff.get_or_none(Staff.phone == number) or VillageHead.get_or_none(VillageHead.phone == number):
        return False
    demo_cases = CaseEvent.select(CaseEvent.case).where(CaseEvent.kind == DEMO_EVENT)
    return not Case.select().where(
        ((Case.reporter_phone == number) | (Case.submitter_phone == number)) & Case.id.not_in(demo_cases)
    ).exists()


def _back():
    return redirect(url_for("console.simulator"), 303)


@bp.get("/simulator")
@door
def simulator():
    number = chosen_phone()
    ussd, voice, bubbles = session.get(USSD) or {}, session.get(VOICE) or {}, thread(number)
    return render_template(
        "console/simulator.html", phone=local_form(number), bubbles=bubbles, keys=KEYS, sending=SENDING_LABELS,
        waiting=waiting(bubbles, utcnow()),
        ussd=ussd if ussd.get("phone") == number else {}, voice=voice if voice.get("phone") == number else {},
        own=own_phone() == number, staff=own_phone() is not None,
    )


@bp.post("/simulator/phone")
@door
def simulator_phone():
    """Play another number (``own``: the user's own)."""
    if request.form.get("own") and own_phone():
        session[PHONE] = own_phone()
    else:
        chosen_phone()
    return _back()


@bp.post("/simulator/sms")
@door
def simulator_sms():
    number = chosen_phone()
    text = (request.form.get("text") or "").strip()[:MAX_TEXT]
    if text:
        turns.text_in(number, text)
    return _back()


@bp.post("/simulator/ussd")
@door
def simulator_ussd():
    number = chosen_phone()
    state = session.get(USSD) or {}
    key = (request.form.get("key") or request.form.get("text") or "").strip()[:160]
    if request.form.get("dial") or state.get("phone") != number or state.get("end"):
        state = {"phone": number, "id": f"SIM{uuid.uuid4().hex}", "inputs": []}
    elif key:
        state["inputs"].append(key)
    else:
        return _back()
    state["screen"], state["end"] = turns.ussd_answer(state["id"], number, "*".join(state["inputs"]))
    session[USSD] = state
    return _back()


@bp.post("/simulator/voice")
@door
def simulator_voice():
    number = chosen_phone()
    state = session.get(VOICE) or {}
    if request.form.get("call") or state.get("phone") != number or state.get("end"):
        state = {"phone": number, "id": f"SIM{uuid.uuid4().hex}"}
        turn = turns.call_start(state["id"], number)
    elif state.get("expects") == "text":
        turn = turns.call_step(state["id"], number, (request.form.get("text") or "").strip()[:MAX_TEXT] or "0")
    else:
        turn = turns.call_step(state["id"], number, turns.voice_keys(request.form.get("key") or "", silent=False))
    state.update(text=turn.text, expects=turn.expects, end=turn.end)
    session[VOICE] = state
    return _back()
