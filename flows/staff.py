"""Staff commands by SMS: ACCEPT / DONE / FWD a case by its reference, LIST open cases."""
from __future__ import annotations

from cases import lifecycle, notify, reference, texts
from cases.lifecycle import CaseRefused
from cases.models import Staff

from .keywords import Command

STAFF_COMMANDS = {Command.ACCEPT, Command.DONE, Command.FORWARD, Command.LIST}
"""Commands only a phone registered to an agency may use."""


def after_reference(rest: str) -> str:
    """What follows the reference in ``rest`` (a note, an agency code)."""
    match = reference.REFERENCE_PATTERN.search(rest)
    return rest[match.end():].strip(" :-,") if match else ""


def handle(staff: Staff, command: Command, rest: str) -> tuple[str, dict]:
    """Carry out one staff command; the answer as (template key, params)."""
    try:
        if command == Command.LIST:
            return list_open(staff)
        case = lifecycle.find_case(rest)
        if command == Command.ACCEPT:
            lifecycle.accept(case, staff)
            return texts.STAFF_ACCEPTED, {"ref": case.reference}
        if command == Command.DONE:
            lifecycle.finish(case, staff, after_reference(rest))
            return texts.STAFF_DONE, {"ref": case.reference}
        code = after_reference(rest).split(" ")[0]
        if not code:
            return texts.STAFF_HELP, {}
        agency = lifecycle.find_agency(code)
        lifecycle.forward(case, staff, agency)
        return texts.STAFF_FORWARD_SENT, {"ref": case.reference, "agency": agency}
    except CaseRefused as refusal:
        return refusal.key, refusal.params


def list_open(staff: Staff) -> tuple[str, dict]:
    """The agency's open cases, newest first, as many as fit one SMS."""
    cases = lifecycle.open_cases_of(staff.agency)
    if not cases:
        return texts.STAFF_LIST_EMPTY, {}
    items = ", ".join(f"{case.reference} {case.category.code}{more_reports(case)}" for case in cases if not case.duplicate_of_id)
    return texts.STAFF_LIST, {"count": len(cases), "items": items}


def more_reports(case) -> str:
    """`` +N`` when N other reports are linked to ``case``, else nothing."""
    count = notify.linked_count(case)
    return f" +{count}" if count else ""
