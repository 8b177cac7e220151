"""The receipt of a report (its reference), and its wording when another of the service's
phones sends it: the citizen texted one number and hears from another, so the receipt names
the service (one segment, like every SMS)."""
from __future__ import annotations

from cases.language import lifecycle_texts, places, texts
from cases.province.catalog import CATALOG
from cases.store.models import Case, Outbox, OutboxStatus, utcnow

from .outbox import language_of

FROM_ANOTHER_PHONE = {
    texts.RECEIVED: texts.RECEIVED_ELSEWHERE,
    lifecycle_texts.ALREADY_RECEIVED: lifecycle_texts.ALREADY_RECEIVED_ELSEWHERE,
}
"""A receipt's template → its wording when it leaves from a phone the citizen did not text."""


def received_params(case) -> dict:
    """The receipt's values: the reference, and the type and village as filed (a slip in
    either shows)."""
    category, village = CATALOG.category(case.category_id), CATALOG.village(case.village_id)
    return {"ref": case.reference, "category": category, "village": places.village_label(village)}


def params_of(key: str, case: Case) -> dict:
    """The values of receipt template ``key`` for ``case``."""
    return received_params(case) if key in (texts.RECEIVED, texts.RECEIVED_ELSEWHERE) else {"ref": case.reference}


def from_another_phone(row: Outbox) -> None:
    """Reword a queued receipt that will leave from another phone than the one the citizen
    texted so that it names the service; any other row is left as it is."""
    key = FROM_ANOTHER_PHONE.get(row.kind)
    if key is None or row.case_id is None:
        return
    case = Case.get_or_none(Case.id == row.case_id)
    if case is None:
        return
    body = texts.render(language_of(row.phone), key, **params_of(key, case))
    changed = Outbox.update(body=body, kind=key, updated_at=utcnow()).where(
        (Outbox.id == row.id) & (Outbox.status == OutboxStatus.QUEUED)
    ).execute()
    if changed:
        row.body, row.kind = body, key
