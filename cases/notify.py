"""Who is told what when a case changes: every message goes through the outbox."""
from __future__ import annotations

from . import texts
from .models import Case, CaseStatus, Staff
from .outbox import queue_sms
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
    key = key or (texts.STAFF_NEW_UNROUTED if case.unrouted else texts.STAFF_NEW_CASE)
    for phone in staff_phones(case.agency):
        queue_sms(phone, key, case=case, **case_summary(case))


def citizen_phones(case: Case) -> list[str]:
    """The resident and, when a village head filed the case, the head."""
    phones = [case.reporter_phone, case.submitter_phone]
    return [phone for index, phone in enumerate(phones) if phone and phone not in phones[:index]]


def citizens(case: Case, key: str, **params) -> None:
    """Tell the people who reported ``case`` about it."""
    for phone in citizen_phones(case):
        queue_sms(phone, key, case=case, ref=case.reference, **params)
