"""A case's history: every change is an event (who, when, what, note)."""
from __future__ import annotations

from cases.store.models import CaseEvent, utcnow

SYSTEM = "system"
"""Actor of events no person caused (routing, reminders)."""


def event(case, kind: str, actor: str = SYSTEM, agency=None, note: str = "", at=None) -> CaseEvent:
    """One event of ``case``'s history, not stored yet (``at``: when it happened, if not now)."""
    return CaseEvent(case=case, kind=kind, actor=actor, agency=agency or case.agency, note=note or "", at=at or utcnow())


def record(case, kind: str, actor: str = SYSTEM, agency=None, note: str = "", at=None) -> CaseEvent:
    """Append one event to ``case``'s history (``at``: when it happened, if not now)."""
    found = event(case, kind, actor, agency, note, at)
    found.save(force_insert=True)
    return found


def record_all(found: list[CaseEvent]) -> None:
    """Append several events (``event``) in one statement."""
    CaseEvent.bulk_create(found)


def history(case) -> list[CaseEvent]:
    """The events of ``case``, oldest first."""
    return list(case.events.order_by(CaseEvent.at, CaseEvent.id))
