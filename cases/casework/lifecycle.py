"""The rules of a case's life: filed, routed, accepted, forwarded, done.

Each function runs inside the caller's transaction, records an event and queues the SMS
it causes; none of them knows which channel the request came from.
"""
from __future__ import annotations

from cases.casework import aftercare, duplicates, events, limits, notify
from cases.language import lifecycle_texts, texts
from cases.messages.outbox import queue_sms
from cases.store import reference, work
from cases.store.models import (
    OPEN_STATUSES, Agency, Case, CaseEvent, CaseStatus, Contact, Staff, StaffRole, database, utcnow,
)

MAX_REFERENCE_TRIES = 50
"""Random references tried at one length before a longer one is used."""


class CaseRefused(Exception):
    """A request about a case that the rules refuse; ``key`` and ``params`` make the answer."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def reference_candidates():
    """Random references to try, 7 digits first (longer only when that space is crowded):
    a taken one is refused by the unique index, no look first."""
    for length in range(reference.BODY_LENGTH, 10):
        for _ in range(MAX_REFERENCE_TRIES):
            yield reference.generate(length)
    raise RuntimeError("no free reference number")


def remember_village(phone: str, village) -> None:
    """Offer ``village`` to this phone next time ("same as last time")."""
    Contact.insert(phone=phone, last_village=village.code).on_conflict(
        conflict_target=[Contact.phone], update={Contact.last_village: village.code}
    ).execute()


def file_report(category, village, description: str, reporter_phone: str | None,
                channel: str = "sms", submitter_phone: str | None = None, voice_url: str | None = None,
                now=None, limit_checked: bool = False) -> Case:
    """Store a new case, answer the reporter with its reference and ask for it to be routed
    (routing records the "filed" event, at the filing time, and the village to offer next).

    The same phone(s) reporting the same problem again get the open case back with the
    new text added to its history (``case.repeated`` is True); a report of a problem someone
    else already reported is linked to the first one. CaseRefused past the daily limit
    (unless the caller just checked it: ``limit_checked``).

    The usual report is one INSERT (``duplicates.insert_unless_repeat``); only a repeat or a
    taken reference reads more.
    """
    now = now or utcnow()
    description = (description or "").strip()
    actor = submitter_phone or reporter_phone or events.SYSTEM
    if not limit_checked and duplicates.over_limit(submitter_phone or reporter_phone, now):
        repeat = _own_repeat(category, village, now, reporter_phone, submitter_phone)
        if repeat is None:
            raise CaseRefused(lifecycle_texts.TOO_MANY_REPORTS, max=limits.current().reports_per_day)
        return _repeated(repeat, actor, description)
    for candidate in reference_candidates():
        case = duplicates.insert_unless_repeat(
            now, reference=candidate, category=category, village=village, description=description,
            reporter_phone=reporter_phone, submitter_phone=submitter_phone, channel=channel, voice_url=voice_url,
            created_at=now,
        )
        if case is not None:
            break
        repeat = _own_repeat(category, village, now, reporter_phone, submitter_phone)
        if repeat is not None:
            return _repeated(repeat, actor, description)
    if submitter_phone and reporter_phone and reporter_phone != submitter_phone:
        queue_sms(reporter_phone, lifecycle_texts.PROXY_RECEIVED, case=case, ref=case.reference)
    work.later(work.Kind.ROUTE_CASE, case.id, new=True)
    case.repeated = False
    return case


def _own_repeat(category, village, now, reporter_phone: str | None, submitter_phone: str | None) -> Case | None:
    same = duplicates.same_problem(category, village, now, reporter_phone, submitter_phone)
    return duplicates.own_repeat(same, reporter_phone, submitter_phone)


def _repeated(case: Case, actor: str, description: str) -> Case:
    events.record(case, "repeat", actor=actor, note=description)
    case.repeated = True
    return case


def filed(case: Case) -> CaseEvent:
    """What filing ``case`` leaves for after the answer (the route job does it once): its
    village offered to its phones next time, and its "filed" event at the filing time (given
    back unstored, for the caller to store with its own)."""
    for phone in notify.citizen_phones(case):
        remember_village(phone, case.village)
    actor = case.submitter_phone or case.reporter_phone or events.SYSTEM
    return events.event(case, "filed", actor=actor, note=case.description, at=case.created_at)


def find_case(text: str) -> Case:
    """The case whose reference is written in ``text``; CaseRefused when the number is wrong."""
    ref = reference.find_in(text or "")
    if ref is None:
        raise CaseRefused(texts.STATUS_HOW)
    if not reference.is_valid(ref):
        raise CaseRefused(texts.BAD_REFERENCE)
    case = Case.get_or_none(Case.reference == ref)
    if case is None:
        raise CaseRefused(texts.UNKNOWN_REFERENCE)
    return case


def status_reply(case: Case) -> tuple[str, dict]:
    """The template and values that answer STATUS for ``case``."""
    return notify.STATUS_TEMPLATES[case.status], notify.status_params(case)


def check_staff_may_see(case: Case, staff: Staff) -> None:
    """Only staff of the agency holding ``case`` see its details (PDPA)."""
    if case.agency_id != staff.agency_id:
        raise CaseRefused(texts.STAFF_NOT_YOURS, ref=case.reference, agency=case.agency or "-")


def record_phone_view(case: Case, staff: Staff) -> None:
    """Staff of the holding agency saw the reporter's full phone number: recorded (PDPA)."""
    check_staff_may_see(case, staff)
    events.record(case, "phone_viewed", actor=staff.phone)


MAX_NOTE = 1000
"""Longest internal note kept (characters)."""


def add_note(case: Case, staff: Staff, text: str) -> CaseEvent:
    """An internal note on the case's history (no SMS): by its agency's staff or the province."""
    text = (text or "").strip()[:MAX_NOTE]
    if not text:
        raise ValueError("an empty note")
    if staff.role != StaffRole.PROVINCE:
        check_staff_may_see(case, staff)
    return events.record(case, "note", actor=staff.phone, note=text)


def show_description(case: Case, staff: Staff, public: bool) -> bool:
    """Show the reporter's description (phone numbers masked) in open data, or hide it again;
    True when that changed something. Showing follows the rules of accept and done (the holding
    agency, an open case); hiding only takes away, so the holding agency may hide it at any time."""
    if public:
        _check_staff_may_change(case, staff)
    else:
        check_staff_may_see(case, staff)
    if case.description_public == public:
        return False
    case.description_public = public
    case.save(only=[Case.description_public])
    events.record(case, "published" if public else "unpublished", actor=staff.phone)
    return True


def _check_staff_may_change(case: Case, staff: Staff) -> None:
    if case.status in (CaseStatus.DONE, CaseStatus.CANCELLED):
        raise CaseRefused(texts.STAFF_ALREADY_DONE, ref=case.reference)
    check_staff_may_see(case, staff)


def accept(case: Case, staff: Staff) -> Case:
    """Staff of the case's agency take it on (with the reports linked to it); citizens are told."""
    with database.atomic():
        _check_staff_may_change(case, staff)
        if case.status == CaseStatus.ACCEPTED:
            return case
        for each in [case, *linked_open(case)]:
            each.status, each.accepted_at = CaseStatus.ACCEPTED, utcnow()
            each.save()
            events.record(each, "accepted", actor=staff.phone)
            notify.citizens(each, texts.ACCEPTED, agency=each.agency)
    return case


def finish(case: Case, staff: Staff, note: str = "") -> Case:
    """Staff close the case (and the reports linked to it) with an optional note; citizens
    are told (with the note) and asked for a rating."""
    with database.atomic():
        _check_staff_may_change(case, staff)
        note = (note or "").strip()
        for each in [case, *linked_open(case)]:
            each.status, each.closed_at = CaseStatus.DONE, utcnow()
            if each.accepted_at is None:
                each.accepted_at = each.closed_at
            each.save()
            events.record(each, "done", actor=staff.phone, note=note)
            if note:
                told = notify.citizens(each, lifecycle_texts.DONE_RATE, note=note)
            else:
                told = notify.citizens(each, lifecycle_texts.DONE_NO_NOTE_RATE, agency=each.agency)
            aftercare.ask_rating(each, told)
    return case


def linked_open(case: Case) -> list[Case]:
    """Open reports linked to ``case`` that its agency holds (they move with it)."""
    return list(
        Case.select().where(
            (Case.duplicate_of == case) & (Case.status.in_(OPEN_STATUSES)) & (Case.agency == case.agency_id)
        )
    )


def find_agency(code: str) -> Agency:
    """The agency with ``code`` (any case); CaseRefused when there is none."""
    agency = Agency.get_or_none(Agency.code == code.strip().lower()) or Agency.get_or_none(Agency.code == code.strip())
    if agency is None:
        raise CaseRefused(texts.STAFF_UNKNOWN_AGENCY, code=code)
    return agency


def forward(case: Case, staff: Staff, agency: Agency, note: str = "") -> Case:
    """Pass the case to another agency: its staff are notified, the citizen too."""
    with database.atomic():
        _check_staff_may_change(case, staff)
        if agency.code == case.agency_id:  # nothing to pass on: acceptance and the citizen stay as they are
            raise CaseRefused(texts.STAFF_ALREADY_THERE, ref=case.reference, agency=agency)
        case.status, case.agency, case.accepted_at = CaseStatus.ASSIGNED, agency, None
        case.assigned_at, case.unrouted = utcnow(), False
        case.save()
        events.record(case, "forwarded", actor=staff.phone, agency=agency, note=note)
        notify.staff_of_new_case(case, texts.STAFF_FORWARDED_IN)
        notify.citizens(case, texts.FORWARDED, agency=agency)
    return case


def open_cases_of(agency) -> list[Case]:
    """The agency's open cases, newest first."""
    return list(
        Case.select().where((Case.agency == agency) & (Case.status.in_(OPEN_STATUSES))).order_by(Case.created_at.desc(), Case.id.desc())
    )


def answer(phone: str, key: str, **params) -> None:
    """Queue a direct answer to ``phone`` (used where the channel has no inline reply)."""
    queue_sms(phone, key, **params)
