"""The SMS conversation: keywords first, then the report flow; returns the reply text."""
from __future__ import annotations

from typing import NamedTuple

from cases.casework import aftercare, duplicates, lifecycle, limits
from cases.casework.lifecycle import CaseRefused
from cases.language import keywords, lifecycle_texts, texts
from cases.language.keywords import Command, Said
from cases.language.lexicon import only_thanks
from cases.messages import outbox
from cases.messages.outbox import queue_text
from cases.province.catalog import CATALOG
from cases.store import reference
from cases.store.models import Contact

from . import conversations, render, staff, village_heads
from .engine import Channel, Context, Engine, Screen
from .first import first_answers
from .report import LIMIT_CHECKED, REPORT

SMS = Channel("sms", free_text=True)
"""Typed words, one 70-character segment a screen."""
ENGINE = Engine({REPORT.name: REPORT}, render.text_pager)


def conversation_key(phone: str) -> str:
    return f"sms:{phone}"


def remember(contact: Contact, **fields) -> None:
    """Write ``fields`` of the phone's contact row (creating it when new)."""
    for name, value in fields.items():
        setattr(contact, name, value)
    columns = {getattr(Contact, name): value for name, value in fields.items()}
    Contact.insert(phone=contact.phone, **fields).on_conflict(conflict_target=[Contact.phone], update=columns).execute()


class Answer(NamedTuple):
    """The reply to one inbound SMS: its text, the outbox kind it is written as ("reply", or
    a receipt's template, which leaves after the answers a phone waits for), and the id of
    the case a receipt is for."""

    text: str
    kind: str = "reply"
    case: int | None = None


def handle(phone: str, text: str) -> str:
    """Everything one inbound SMS causes; the reply to send back (one segment)."""
    return respond(phone, text).text


def respond(phone: str, text: str) -> Answer:
    """Everything one inbound SMS causes; the reply to send back (one segment), as an
    ``Answer``. The text is read once here (``keywords.read``) and that reading is passed along."""
    said = keywords.read(text)
    look = conversations.look(conversation_key(phone), phone)
    contact, draft, drafted_at = look.contact, look.state, look.updated_at
    ctx = Context(phone, SMS, contact.language, contact=contact)
    drafting = draft is not None
    rating = not drafting or (said.digits is not None and aftercare.asked_since(contact, drafted_at))
    key, params = (aftercare.reply(contact, said.text) or (None, {})) if rating else (None, {})
    if key is None:
        answer = _keyword(contact, said, ctx)
        if isinstance(answer, Screen):
            return _shown(answer, ctx)
        key, params = answer
    if key is None and not drafting:
        key, params = _status_of_a_bare_reference(said)
        if key is None and only_thanks(said.text):  # "ขอบคุณค่ะ" after a receipt: not a new report
            key = texts.YOU_ARE_WELCOME
    if key is not None:
        return Answer(answer_in_parts(contact, key, params))
    aftercare.forget(contact)  # any other message: a later digit is not a rating
    if not drafting and duplicates.at_limit(look.filed_today):
        return Answer(texts.render(contact.language, lifecycle_texts.TOO_MANY_REPORTS,
                                   max=limits.current().reports_per_day))
    return _shown(_converse(ctx, said, draft), ctx)


def _shown(screen: Screen, ctx: Context) -> Answer:
    """The answer that shows ``screen``: a receipt (the report flow filed the case) as such."""
    if screen.key in outbox.RECEIPT_KEYS and ctx.data.get("case_id"):
        return Answer(render.text(screen, ctx), screen.key, ctx.data["case_id"])
    return Answer(render.text(screen, ctx))


def answer_in_parts(contact: Contact, key: str, params: dict) -> str:
    """The reply; a template allowed several parts queues the ones after the first."""
    first, *more = texts.render_parts(contact.language, key, **params)
    for part in more:
        queue_text(contact.phone, part, kind=key)
    return first


def _keyword(contact: Contact, said: Said, ctx: Context) -> tuple[str | None, dict] | Screen:
    command, rest = said.command, said.rest
    if command is None:
        return None, {}
    phone = contact.phone
    if command == Command.HELP and not rest:
        return staff.help_for(phone)
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


def _status_of_a_bare_reference(said: Said) -> tuple[str | None, dict]:
    """A reference sent back alone, without the STATUS word (the villager kept the receipt
    and sends its number): that case's status. A number that names no case starts a report."""
    bare = reference.clean(said.bare)
    if said.command is not None or not reference.is_valid(bare):
        return None, {}
    try:
        return lifecycle.status_reply(lifecycle.find_case(bare))
    except CaseRefused:
        return None, {}


def _converse(ctx: Context, said: Said, state: dict | None) -> Screen:
    key, had = conversation_key(ctx.phone), state is not None
    if state is not None:
        ctx.data = state["data"]
        screen, state = ENGINE.step(state, said, ctx)
    else:
        last = ctx.contact.last_village_id if ctx.contact else None
        data = first_answers(said, CATALOG.village(last) if last else None)
        ctx.data = {**data, LIMIT_CHECKED: True}  # handle() just checked it
        screen, state = ENGINE.start(REPORT.name, ctx)
    ctx.data.pop(LIMIT_CHECKED, None)
    if state is not None:
        state["data"] = ctx.data
    conversations.save(key, ctx.phone, state, had)
    return screen
