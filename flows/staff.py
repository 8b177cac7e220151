"""Staff commands by SMS: ACCEPT / DONE / FWD / VIEW a case by its reference, LIST open cases,
SUMMARY of this month's numbers, AGENCIES to forward to; HELP for every kind of phone."""
from __future__ import annotations

from cases.casework import lifecycle, notify
from cases.casework.lifecycle import CaseRefused
from cases.language import texts
from cases.language.keywords import Command
from cases.language.lexicon import POLITE_ENDINGS, without_particles
from cases.messages.outbox import language_of
from cases.province.catalog import CATALOG
from cases.province.phones import masked, masked_in_text
from cases.reporting import stats
from cases.store import reference
from cases.store.models import PROVINCE_AGENCY, Staff, StaffRole

from . import agencies

STAFF_COMMANDS = {
    Command.ACCEPT, Command.DONE, Command.FORWARD, Command.LIST, Command.VIEW, Command.SUMMARY, Command.AGENCIES,
}
"""Commands only a phone registered to an agency may use."""


def after_reference(rest: str) -> str:
    """What follows the reference in ``rest`` (a note, an agency code)."""
    match = reference.REFERENCE_PATTERN.search(rest)
    return rest[match.end():].strip(" :-,") if match else ""


def note_of(rest: str) -> str:
    """The note after the reference of DONE, without a closing polite particle; a particle
    alone is no note (the citizen would read "done: ครับ")."""
    note = after_reference(rest)
    bare = without_particles(note)
    return "" if bare.lower() in POLITE_ENDINGS else bare


def handle(staff: Staff, command: Command, rest: str) -> tuple[str, dict]:
    """Carry out one staff command; the answer as (template key, params)."""
    try:
        if command == Command.LIST:
            return list_open(staff)
        if command == Command.SUMMARY:
            return summary(staff)
        if command == Command.AGENCIES:
            return agencies.listing(language_of(staff.phone), rest)
        case = lifecycle.find_case(rest)
        if command == Command.VIEW:
            return view(staff, case)
        if command == Command.ACCEPT:
            lifecycle.accept(case, staff)
            return texts.STAFF_ACCEPTED, {"ref": case.reference}
        if command == Command.DONE:
            lifecycle.finish(case, staff, note_of(rest))
            return texts.STAFF_DONE, {"ref": case.reference}
        named = after_reference(rest)
        if not named:
            return texts.STAFF_HELP, {}
        agency = agencies.find(named)
        lifecycle.forward(case, staff, agency)
        return texts.STAFF_FORWARD_SENT, {"ref": case.reference, "agency": agency}
    except CaseRefused as refusal:  # no reference at all: the staff's own words, not the citizen's STATUS
        return (texts.STAFF_HELP, {}) if refusal.key == texts.STATUS_HOW else (refusal.key, refusal.params)


def view(staff: Staff, case) -> tuple[str, dict]:
    """The case for its agency's staff: the reporter's phone masked, with where to see and
    call the whole number (the console, which records each view), then type, village, text
    (numbers written in it masked) and voice note. An SMS never carries a whole number."""
    lifecycle.check_staff_may_see(case, staff)
    summary = notify.case_summary(case)
    language = language_of(staff.phone)
    details = [texts.localized(summary[name], language) for name in ("category", "village")]
    details.append(masked_in_text(case.description) or "-")
    if case.voice_url:
        details.append(case.voice_url)
    caller = case.reporter_phone or case.submitter_phone
    params = {"ref": case.reference, "text": " ".join(details)}
    if not caller:
        return texts.STAFF_VIEW_NO_PHONE, params
    return texts.STAFF_VIEW, {**params, "phone": masked(caller)}


def summary(staff: Staff) -> tuple[str, dict]:
    """This month's headline numbers: the whole province for the province role, else the
    staff member's own agency (an officer gets them too: the console shows them the same)."""
    return texts.STAFF_SUMMARY, stats.summary_params(staff)


def list_open(staff: Staff) -> tuple[str, dict]:
    """The agency's open cases, newest first, as many as fit two SMS."""
    cases = [case for case in lifecycle.open_cases_of(staff.agency) if not case.duplicate_of_id]
    if not cases:
        return texts.STAFF_LIST_EMPTY, {}
    language = language_of(staff.phone)
    items = ", ".join(
        f"{case.reference} {texts.localized(case.category, language)}{more_reports(case)}" for case in cases
    )
    return texts.STAFF_LIST, {"count": len(cases), "items": items}


def more_reports(case) -> str:
    """`` +N`` when N other reports are linked to ``case``, else nothing."""
    count = notify.linked_count(case)
    return f" +{count}" if count else ""


def help_for(phone: str) -> tuple[str, dict]:
    """The words ``phone`` may use, in one SMS: the province's, an agency's staff's, a
    village head's or a citizen's."""
    member = CATALOG.staff(phone)
    if member is not None:
        province = member.role == StaffRole.PROVINCE or member.agency_id == PROVINCE_AGENCY
        return (texts.HELP_PROVINCE if province else texts.STAFF_HELP), {}
    return (texts.HELP_HEAD if CATALOG.head(phone) else texts.HELP_CITIZEN), {}
