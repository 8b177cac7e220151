"""Who is told what when a case changes: every message goes through the outbox."""
from __future__ import annotations

import datetime as dt

from cases.language import lifecycle_texts, places, texts
from cases.messages.outbox import language_of, queue_sms, queue_sms_to_all, rewrite
from cases.province.catalog import CATALOG
from cases.province.phones import masked
from cases.store import work
from cases.store.models import PROVINCE_AGENCY, Agency, Case, CaseStatus, Outbox, OutboxStatus, Staff, StaffRole, utcnow

COALESCE_WINDOW = dt.timedelta(minutes=30)
"""At most one "+N reports" update per case and staff phone this often."""
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
    """What staff see of a case: reference, type, village (with its subdistrict: village
    names repeat), masked phone, text."""
    village = CATALOG.village(case.village_id)
    return {
        "ref": case.reference,
        "category": case.category,
        "village": places.village_label(village) if village is not None else case.village,
        "phone": masked(case.reporter_phone) if case.reporter_phone else "-",
        "text": case.description or ("voice note" if case.voice_url else "-"),
    }


def staff_phones(agency) -> list[str]:
    """Every phone registered to ``agency``."""
    code = agency.code if isinstance(agency, Agency) else agency
    return [member.phone for member in CATALOG.staff_of(code)]


def province_phones() -> list[str]:
    """The province's eyes: staff of the province office and staff with role ``province``."""
    query = Staff.select(Staff.phone).where(
        (Staff.agency == PROVINCE_AGENCY) | (Staff.role == StaffRole.PROVINCE)
    ).order_by(Staff.phone)
    return [staff.phone for staff in query]


def staff_of_new_case(case: Case, key: str | None = None) -> None:
    """One SMS to each staff phone of the case's agency (for another report of a problem
    they already know: at most one update per COALESCE_WINDOW, see ``staff_of_linked_report``)."""
    if key is None and case.duplicate_of_id:
        staff_of_linked_report(case)
        return
    key = key or (texts.STAFF_NEW_UNROUTED if case.unrouted else texts.STAFF_NEW_CASE)
    queue_sms_to_all(staff_phones(case.agency), key, case=case, **case_summary(case))


def staff_of_linked_report(case: Case, now: dt.datetime | None = None) -> None:
    """Fifty villagers reporting one landslide make one case, not fifty SMS per officer: each
    staff phone gets at most one "+N reports" update per COALESCE_WINDOW, carrying the count
    since its last one (a waiting update is rewritten with the new count)."""
    now = now or utcnow()
    first = work.locked(Case.select().where(Case.id == case.duplicate_of_id)).get()  # one writer per case
    summary = case_summary(first)
    for phone in staff_phones(case.agency):
        updates = Outbox.select().where(
            (Outbox.kind == lifecycle_texts.STAFF_MORE_REPORTS) & (Outbox.case == first) & (Outbox.phone == phone)
        )
        waiting = updates.where((Outbox.status == OutboxStatus.QUEUED) & Outbox.send_after.is_null(False)).first()
        last = updates.where(Outbox.send_after.is_null() | (Outbox.status != OutboxStatus.QUEUED)).order_by(
            Outbox.created_at.desc()).first()
        since = last.created_at if last else first.created_at
        count = linked_since(first, since)
        if waiting is not None:
            rewrite(waiting, **summary, count=count)
        elif last is not None and last.created_at > now - COALESCE_WINDOW:
            queue_sms(phone, lifecycle_texts.STAFF_MORE_REPORTS, case=first, send_after=last.created_at + COALESCE_WINDOW,
                      **summary, count=count)
        else:
            queue_sms(phone, lifecycle_texts.STAFF_MORE_REPORTS, case=first, **summary, count=count)


def linked_count(case: Case) -> int:
    """How many other reports are linked to ``case`` (same type, same village, 48 h)."""
    return Case.select().where(Case.duplicate_of == case).count()


def linked_since(case: Case, since: dt.datetime) -> int:
    """How many reports were linked to ``case`` (same type, same village, 48 h) after ``since``."""
    return Case.select().where((Case.duplicate_of == case) & (Case.created_at > since)).count()


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
