"""The rq jobs: a few lines each, taking ids and calling domain functions; safe to run twice."""
from __future__ import annotations

from cases import routing
from cases.models import database

from . import dispatch


def send_sms(outbox_id: int) -> str | None:
    """Send one outbox row (rq's Retry tries again on a retryable error); over the
    gateway's rate, schedule another try instead."""
    from sms_gateway import outbound

    with database.connection_context():
        result = outbound.send_now(outbox_id)
    if isinstance(result, outbound.Deferred):
        dispatch.send_later(outbox_id, result.seconds)
        return "deferred"
    return result.value if result else None


def route_case(case_id: int) -> None:
    """Route a new case to its agency and notify the agency's staff."""
    with database.connection_context(), database.atomic():
        routing.route_case(case_id)
    dispatch.flush()


def sweep() -> dict:
    """Find work that never reached the queue (Redis was down, a worker died) and queue it."""
    from .worker import schedule_next

    with database.connection_context():
        found = dispatch.requeue_stale()
    schedule_next("sweep")
    return found


def _when(now_iso: str | None):
    import datetime as dt

    return dt.datetime.fromisoformat(now_iso) if now_iso else None


def remind(now_iso: str | None = None) -> int:
    """Send the reminders and escalations due (``now_iso``: a fixed clock, for tests)."""
    from cases import reminders

    from .worker import schedule_next

    with database.connection_context(), database.atomic():
        sent = reminders.send_due(_when(now_iso))
    dispatch.flush()
    schedule_next("remind")
    return sent


def digest(now_iso: str | None = None) -> int:
    """Send the agency heads' daily digest, then schedule tomorrow's at 08:00 Bangkok."""
    from cases import reminders

    from .worker import schedule_digest

    with database.connection_context(), database.atomic():
        sent = reminders.send_digest(_when(now_iso))
    dispatch.flush()
    schedule_digest()
    return sent
