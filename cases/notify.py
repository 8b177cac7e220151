"""Who is told what when a case changes: every message goes through the outbox."""
from __future__ import annotations

from . import lifecycle_texts, texts
from .models import Case, CaseStatus, Staff
from .outbox import language_of, queue_sms
from .phones import masked

STATUS_TEMPLATES = {
    CaseStatus.NEW: texts.STATUS_NEW,
    CaseStatus.ASSIGNED: texts.STATUS_ASSIGNED,
    CaseStatus.ACCEPTED: texts.STATUS_ACCEPTED,
    CaseStatus.DONE: texts.STATUS_DONE,
    CaseStatus.CANCELLED: texts.STATUS_CANCELLED,
}
"""Case status → the template that answers STATUS."""


def status_params(case: Case) -> dict:
    """The values every status template may use."""
    return {"ref": case.reference, "category": case.category, "agency": case.agency or "-"}


def case_summary(case: Case) -> dict:
    """What staff see of a case: reference, type, village, masked phone, text."""
    return {
        "ref": case.reference,
        "category": case.category,
        "village": case.village,
        "phone": masked(case.reporter_phone) if case.reporter_phone else "-",
        "text": case.description or ("voice note" if case.voice_url else "-"),
    }


def staff_phones(agency) -> list[str]:
    """Every phone registered to ``agency``."""
    return [staff.phone for staff in Staff.select().where(Staff.agency == agency).order_by(Staff.phone)]


def staff_of_new_case(case: Case, key: str | None = None) -> None:
    """One SMS to each staff phone of the case's agency."""
    summary = case_summary(case)
    if key is None and case.duplicate_of_id:  # another report of a problem staff already know
        first = case.duplicate_of
        key, summary = lifecycle_texts.STAFF_MORE_REPORTS, {**case_summary(first), "count": linked_count(first)}
    key = key or (texts.STAFF_NEW_UNROUTED if case.unrouted else texts.STAFF_NEW_CASE)
    for phone in staff_phones(case.agency):
        queue_sms(phone, key, case=case, **summary)


def linked_count(case: Case) -> int:
    """How many other reports are linked to ``case`` (same type, same village, 48 h)."""
    return Case.select().where(Case.duplicate_of == case).count()


def citizen_phones(case: Case) -> list[str]:
    """The resident and, when a village head filed the case, the head."""
    phones = [case.reporter_phone, case.submitter_phone]
    return [phone for index, phone in enumerate(phones) if phone and phone not in phones[:index]]


def citizens(case: Case, key: str, skip: str | None = None, **params) -> list[str]:
    """Tell the people who reported ``case`` about it (a village head's copy says for whom);
    returns the phones written to (``skip``: one not to tell)."""
    told = []
    for phone in citizen_phones(case):
        if phone == skip:
            continue
        if phone == case.submitter_phone and case.reporter_phone and phone != case.reporter_phone:
            message = texts.render(language_of(phone), key, ref=case.reference, **params)
            row = queue_sms(phone, lifecycle_texts.FOR_RESIDENT, case=case, phone=masked(case.reporter_phone), body=message)
        else:
            row = queue_sms(phone, key, case=case, ref=case.reference, **params)
        if row is not None:
            told.append(phone)
    return told
