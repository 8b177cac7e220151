"""The USSD conversation: the aggregator sends every input so far joined by ``*``.

The engine's state is kept per session in a store (Redis); when it is missing or behind,
the state is rebuilt by replaying the inputs from the start, so a lost key or a dead Redis
does not break a session. A phone that dials again within the store's TTL after a dropped
report is offered to continue it."""
from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Callable

from cases.language import texts
from cases.language.i18n import N_
from cases.language.keywords import clean
from cases.messages.outbox import contact_of
from cases.province.catalog import CATALOG

from . import render
from .engine import Context, Option, Screen
from .menu import ENGINE, MENU, USSD
from .report import TOO_MANY_TRIES
from .sessions import RedisStore

RESUME_OFFER = texts.template("ussd_resume", N_("You have an unfinished report.\n%(options)s"))
CONTINUE_LABEL = texts.Msg(N_("Continue it"))
START_AGAIN_LABEL = texts.Msg(N_("Start again"))
MAX_INPUTS = 60
"""More answers than any honest session gives (paging included): end it."""
CONTINUE = "1"


def session_key(session_id: str) -> str:
    return f"ussd:session:{session_id}"


def resume_key(phone: str) -> str:
    return f"ussd:resume:{phone}"


def split_inputs(text: str) -> list[str]:
    """The answers in the aggregator's ``text`` (``""`` is the first request)."""
    return text.split("*") if text else []


def resume_screen() -> Screen:
    return Screen(RESUME_OFFER, options=[Option(CONTINUE, CONTINUE_LABEL), Option("2", START_AGAIN_LABEL)])


def respond(session_id: str, phone: str, text: str, store: RedisStore,
            unit: Callable[[], AbstractContextManager] | None = None) -> tuple[str, bool]:
    """The screen answering one USSD request, and whether it ends the session. ``unit`` opens
    the channel's unit of work: only the step that files a report takes it (the others read)."""
    contact = contact_of(phone)  # its language, and the village it reported from last (offered first)
    ctx = Context(phone, USSD, contact.language, contact=contact, unit=unit)
    inputs = split_inputs(text)
    if inputs:
        record, offer = store.get(session_key(session_id)) or {}, None
    else:  # the first request: the session, and an unfinished report to offer, in one round trip
        record, offer = store.get_many(session_key(session_id), resume_key(phone))
        record = record or {}
    if "end" in record:  # a repeated request after the end: same answer, nothing filed twice
        return record["end"], True
    if len(inputs) > MAX_INPUTS:
        return render.text(Screen(TOO_MANY_TRIES, end=True), ctx), True
    if not inputs:
        if offer and offer.get("session") != session_id and offer.get("inputs"):
            store.set(session_key(session_id), {"offer": offer["inputs"]})
            return render.text(resume_screen(), ctx), False
        if not record.get("prefix"):
            shown, state = first_screen(ctx)
            store.set(session_key(session_id), {**record, "state": {**state, "data": {}}, "count": 0})
            return shown, False
    if "offer" in record and inputs:
        record = {"prefix": record["offer"] if clean(inputs[0]) == CONTINUE else [], "skip": 1}
    effective = record.get("prefix", []) + inputs[record.get("skip", 0):]

    state = record.get("state")
    if state is not None and record.get("count") == len(effective) - 1:
        ctx.data = state["data"]
        screen, state = ENGINE.step(state, effective[-1], ctx)
    else:
        screen, state = replay(effective, ctx)
    shown = render.text(screen, ctx)
    if state is None:
        store.set(session_key(session_id), {"end": shown})
        store.delete(resume_key(phone))
        return shown, True
    state["data"] = ctx.data
    store.set(session_key(session_id), {**record, "state": state, "count": len(effective)})
    if ctx.data.get("action") == "report" and effective:
        store.set(resume_key(phone), {"session": session_id, "inputs": effective})
    return shown, False


_first_screens: dict[tuple[str, bool], tuple[str, dict]] = {}


def first_screen(ctx: Context) -> tuple[str, dict]:
    """The menu's first screen and its state, built once per language and kind of caller (a
    village head has one more option): the same for every call, and the one a flood hits."""
    key = (ctx.language, CATALOG.head(ctx.phone) is not None)
    if key not in _first_screens:
        screen, state = replay([], ctx)
        _first_screens[key] = (render.text(screen, ctx), state)
    return _first_screens[key]


def replay(inputs: list[str], ctx: Context) -> tuple[Screen, dict | None]:
    """The menu from its first screen with every answer applied again, in order."""
    ctx.data = {}
    screen, state = ENGINE.start(MENU.name, ctx)
    for answer in inputs:
        if state is None:
            break
        screen, state = ENGINE.step(state, answer, ctx)
    return screen, state
