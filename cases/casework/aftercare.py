"""After a case is done: the citizen rates it 1–5, and a low rating may reopen it."""
from __future__ import annotations

from cases.casework import events, notify
from cases.language import lifecycle_texts
from cases.language.lexicon import without_particles
from cases.store.models import PROVINCE_AGENCY, Agency, AwaitedReply, Case, CaseStatus, Contact, database, utcnow

MAX_REOPENS = 2
"""Reopens that go back to the same agency; the next one goes to the province office."""
LOW_RATING = 2
"""Ratings up to this one offer to reopen the case."""


def ask_rating(case: Case, phones: list[str]) -> None:
    """Remember that each of ``phones`` was asked to rate ``case`` (its next digit rates it)."""
    for phone in phones:
        _await(phone, AwaitedReply.RATING, case)


def _await(phone: str, what: AwaitedReply | None, case: Case | None = None) -> None:
    contact, _ = Contact.get_or_create(phone=phone)
    contact.awaiting = what.value if what else None
    contact.awaiting_case_id = case.id if case else None
    contact.save()


def forget(contact: Contact) -> None:
    """The phone moved on: its next digit is no longer a rating."""
    if contact.awaiting:
        _await(contact.phone, None)


def asked_since(contact: Contact, moment) -> bool:
    """Whether the rating (or reopen) question this phone awaits was asked after ``moment``
    (then a digit answers it, even with an unfinished report from before)."""
    if not contact.awaiting or moment is None:
        return False
    case = Case.get_or_none(Case.id == contact.awaiting_case_id)
    return bool(case and case.closed_at and case.closed_at >= moment)


def reply(contact: Contact, text: str) -> tuple[str, dict] | None:
    """Answer a single digit from a phone asked for a rating (or whether to reopen);
    None when ``text`` is not such an answer."""
    text = without_particles(text)  # "5 ค่ะ"
    if not contact.awaiting or len(text) != 1 or not text.isdigit():
        return None
    case = Case.get_or_none(Case.id == contact.awaiting_case_id)
    if case is None:
        forget(contact)
        return None
    digit = int(text)
    if contact.awaiting == AwaitedReply.RATING.value:
        if not 1 <= digit <= 5:
            return lifecycle_texts.RATING_HOW, {}
        rate(case, contact.phone, digit)
        if digit <= LOW_RATING and case.status == CaseStatus.DONE:
            _await(contact.phone, AwaitedReply.REOPEN, case)
            return lifecycle_texts.RATED_LOW, {"ref": case.reference}
        forget(contact)
        return lifecycle_texts.RATED, {}
    forget(contact)
    if digit != 1 or case.status != CaseStatus.DONE:
        return None  # not a reopen: the digit starts a report as usual
    reopen(case, contact.phone)
    return lifecycle_texts.REOPENED, {"ref": case.reference, "agency": case.agency}


def rate(case: Case, phone: str, rating: int) -> None:
    """Store the citizen's rating on the case."""
    with database.atomic():
        case.rating = rating
        case.save()
        events.record(case, "rated", actor=phone, note=str(rating))


def reopen(case: Case, phone: str, now=None) -> Case:
    """Put a done case back to its agency (the province office after MAX_REOPENS); staff are told."""
    now = now or utcnow()
    with database.atomic():
        case.reopen_count += 1
        if case.reopen_count > MAX_REOPENS:
            case.agency = Agency.get_or_none(Agency.code == PROVINCE_AGENCY) or case.agency
        case.status, case.assigned_at, case.accepted_at, case.closed_at = CaseStatus.ASSIGNED, now, None, None
        case.save()
        events.record(case, "reopened", actor=phone, note=str(case.reopen_count))
        notify.staff_of_new_case(case, lifecycle_texts.STAFF_REOPENED)
        notify.citizens(case, lifecycle_texts.REOPENED, skip=phone, agency=case.agency)
    return case
