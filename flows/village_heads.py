"""Village heads by SMS: FOR PHONE starts a report on behalf of a resident; LIST shows the
open cases of the head's village."""
from __future__ import annotations

import re

from cases.casework import lifecycle
from cases.language import keywords, lifecycle_texts, texts
from cases.messages.outbox import language_of
from cases.province.catalog import CATALOG
from cases.province.phones import try_e164
from cases.store.models import OPEN_STATUSES, Case, Contact, VillageHead

from . import conversations
from .engine import Context, Engine
from .first import first_answers
from .report import REPORT

RESIDENT_AND_WORDS = re.compile(r"^(\+?[\d\-. ]*\d)?\s*(.*)$", re.DOTALL)
"""``แทน PHONE words``: the resident's phone (may be absent), then the problem in words, read
like a citizen's first message (the head's village tells apart places of the same name)."""


def start_for_resident(contact: Contact, rest: str, ctx: Context, engine: Engine, key: str):
    """Start the report flow for a resident (``rest``: their phone, or nothing); the first
    Screen, or (template key, params) when the phone is not a head or the number is wrong."""
    head = CATALOG.head(contact.phone)
    if head is None:
        return lifecycle_texts.NOT_A_HEAD, {}
    given = RESIDENT_AND_WORDS.match(rest or "")
    number, words = re.sub(r"[\s\-.]", "", given.group(1) or ""), given.group(2).strip()
    resident = None
    if number:
        resident = try_e164(number)
        if resident is None or not number.lstrip("+").isdigit():
            return lifecycle_texts.PROXY_HOW, {}
    lifecycle.remember_village(head.phone, head.village)  # offered first
    contact.last_village_id = head.village_id  # the flow reads this row, read before the line above
    ctx.data = {**(first_answers(keywords.read(words), head.village) if words else {}), "resident": resident}
    screen, state = engine.start(REPORT.name, ctx)
    if state is not None:
        state["data"] = ctx.data
    conversations.save(key, contact.phone, state)
    return screen


def list_open(head: VillageHead) -> tuple[str, dict]:
    """The open cases of the head's village, newest first, as many as fit one SMS."""
    cases = list(
        Case.select().where((Case.village == head.village) & Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )
    if not cases:
        return texts.STAFF_LIST_EMPTY, {}
    language = language_of(head.phone)  # type names in the head's language, as staff see them
    items = ", ".join(f"{case.reference} {texts.localized(case.category, language)}" for case in cases)
    return texts.STAFF_LIST, {"count": len(cases), "items": items}
