"""The SMS conversation: keywords first, then the report flow; returns the reply text."""
from __future__ import annotations

import re

from cases import aftercare, duplicates, lifecycle, lifecycle_texts, texts
from cases.lifecycle import CaseRefused
from cases.catalog import CATALOG
from cases.models import Category, Contact, utcnow
from cases.outbox import queue_text

from . import conversations, render, staff, village_heads
from .engine import Channel, Context, Engine, Screen
from .keywords import Command, clean, split_command
from .report import LIMIT_CHECKED, REPORT

SMS = Channel("sms", free_text=True)
"""Typed words, one 70-character segment a screen."""
ENGINE = Engine({REPORT.name: REPORT}, render.text_pager)
ONE_SHOT = re.compile(r"^(\d{1,2})[\s,.\-]*(\d{8})(?:[\s,.\-:]+(.*))?$", re.DOTALL)
"""``TYPE VILLAGE TEXT``: the type's menu number, the 8-digit village code, the description."""
MAX_MENU_DIGITS = 3
"""Longer runs of digits are never a menu number (and would overflow a database integer)."""


def conversation_key(phone: str) -> str:
    return f"sms:{phone}"


def contact_of(phone: str) -> Contact:
    """The phone's contact row, or an unsaved one with the defaults (written only when
    something about the phone must be remembered)."""
    return Contact.get_or_none(Contact.phone == phone) or Contact(phone=phone)


def remember(contact: Contact, **fields) -> None:
    """Write ``fields`` of the phone's contact row (creating it when new)."""
    for name, value in fields.items():
        setattr(contact, name, value)
    columns = {getattr(Contact, name): value for name, value in fields.items()}
    Contact.insert(phone=contact.phone, **fields).on_conflict(conflict_target=[Contact.phone], update=columns).execute()


def handle(phone: str, text: str) -> str:
    """Everything one inbound SMS causes; the reply to send back (one segment)."""
    contact = contact_of(phone)
    ctx = Context(phone, SMS, contact.language, contact=contact)
    draft = conversations.load(conversation_key(phone))
    drafting = draft is not None
    key, params = (None, {}) if drafting else (aftercare.reply(contact, clean(text)) or (None, {}))
    if key is None:
        answer = _keyword(contact, text, ctx)
        if isinstance(answer, Screen):
            return render.text(answer, ctx)
        key, params = answer
    if key is not None:
        return answer_in_parts(contact, key, params)
    if not drafting:
        aftercare.forget(contact)  # any other message: a later digit is not a rating
        if duplicates.over_limit(phone, utcnow()):
            return texts.render(contact.language, lifecycle_texts.TOO_MANY_REPORTS, max=duplicates.MAX_REPORTS_PER_DAY)
    screen = _converse(ctx, text, draft)
    return render.text(screen, ctx)


def answer_in_parts(contact: Contact, key: str, params: dict) -> str:
    """The reply; a template allowed several parts queues the ones after the first."""
    first, *more = texts.render_parts(contact.language, key, **params)
    for part in more:
        queue_text(contact.phone, part, kind=key)
    return first


def _keyword(contact: Contact, text: str, ctx: Context) -> tuple[str | None, dict] | Screen:
    command, rest = split_command(text)
    if command is None:
        return None, {}
    phone = contact.phone
    if command in staff.STAFF_COMMANDS:
        member = CATALOG.staff(phone)
        if member is not None:
            return staff.handle(member, command, rest)
        head = CATALOG.head(phone)
        if head is not None and command == Command.LIST:
            return village_heads.list_open(head)
        return None, {}  # a citizen's words that happen to start like a command
    if command == Command.ON_BEHALF:
        return village_heads.start_for_resident(contact, rest, ctx, ENGINE, conversation_key(phone))
    if command == Command.STATUS:
        try:
            return lifecycle.status_reply(lifecycle.find_case(rest))
        except CaseRefused as refusal:
            return refusal.key, refusal.params
    if command == Command.CANCEL:
        had_draft = conversations.load(conversation_key(phone)) is not None
        conversations.save(conversation_key(phone), phone, None)
        return (texts.DRAFT_CANCELLED if had_draft else texts.NOTHING_TO_CANCEL), {}
    if command in (Command.STOP, Command.START):
        remember(contact, opted_out=command == Command.STOP)
        return (texts.STOPPED if contact.opted_out else texts.STARTED), {}
    if command in (Command.ENGLISH, Command.THAI) and not rest:
        remember(contact, language=command.value)
        return texts.LANGUAGE_SET, {}
    return None, {}


def _converse(ctx: Context, text: str, state: dict | None) -> Screen:
    key, had = conversation_key(ctx.phone), state is not None
    if state is not None:
        ctx.data = state["data"]
        screen, state = ENGINE.step(state, text, ctx)
    else:
        ctx.data = {**first_answers(text), LIMIT_CHECKED: True}  # handle() just checked it
        screen, state = ENGINE.start(REPORT.name, ctx)
    ctx.data.pop(LIMIT_CHECKED, None)
    if state is not None:
        state["data"] = ctx.data
    conversations.save(key, ctx.phone, state, had)
    return screen


def category_numbered(digits: str) -> Category | None:
    """The type with this menu number; None for any other digits (however many)."""
    if len(digits) > MAX_MENU_DIGITS:
        return None
    return CATALOG.category_at(int(digits))


def first_answers(text: str) -> dict:
    """What the first message already answers: a one-shot report, a type number, or words
    kept as the description in case the citizen skips that question."""
    cleaned = clean(text)
    one_shot = ONE_SHOT.match(cleaned)
    data: dict = {}
    if one_shot:
        number, code, description = one_shot.groups()
        category = category_numbered(number)
        village = CATALOG.village(code)
        if category:
            data["category"] = category.code
        if village:
            data["village"] = village.code
        if description:
            data["description"] = description.strip()
        return data
    if cleaned.isdigit():
        category = category_numbered(cleaned)
        if category:
            data["category"] = category.code
        return data
    if len(cleaned) >= 4:
        data["first_text"] = cleaned
    return data
