"""The rq jobs: a few lines each, taking ids and calling domain functions; safe to run twice.
They run under ``workers.worker.Worker``, which hands them the process's services."""
from __future__ import annotations

import datetime as dt

from cases.casework import reminders, routing
from flows import inbound
from outbound import Deferred

from . import sweeping
from .context import services


def send_sms(outbox_id: int) -> str | None:
    """Send one outbox row (rq's Retry tries again on a retryable error); over its phone's
    pace, the row is parked and that phone's one wake-up booked instead."""
    result = services().send(outbox_id)
    if isinstance(result, Deferred):
        return "parked"
    return result.value if result else None


def wake_phone(lane: str, booked_ms: int) -> int:
    """One gateway phone's wake-up: send its parked rows, best first, as its pace allows;
    book the next wake-ups (of this phone, or of phones that took its rows)."""
    found = services()
    wakes = found.sender.wake(lane, booked_ms)
    for other, seconds in wakes.items():
        found.dispatcher.wake_later(other, seconds)
    return len(wakes)


def route_case(case_id: int) -> None:
    """Route a new case to its agency and send its staff their notices (in this job, where
    the pace allows: one job per report)."""
    with services().work(send_here=True):
        routing.route_case(case_id)


def handle_inbound(message_id: int) -> str | None:
    """Answer an inbound message left to a worker (a flood) or not answered when it came;
    the answer goes by SMS, in the phone's order."""
    message = inbound.answer_in_turn(message_id, services().send_here)  # the answer leaves at once
    return message.reply if message else None


def answer_waiting(slot: int = 0, slots: int | None = None) -> int:
    """A drain (in ``slot`` of ``slots``): answer, by SMS and each phone's messages in order,
    the messages a flood left to the workers; how many (one not answered now is tried again later)."""
    found = services()
    return found.admission.drain(
        slot, inbound.left_to_workers, lambda message_id: inbound.answer_in_turn(message_id, found.send_here) is not None,
        slots=slots,
    )


def sweep() -> dict:
    """Find work that never reached the queue or was abandoned (Redis down, a worker killed)."""
    return sweeping.sweep(services())


def remind(now_iso: str | None = None) -> int:
    """Send the reminders and escalations due (``now_iso``: a fixed clock, for tests)."""
    with services().work():
        return reminders.send_due(_when(now_iso))


def digest(now_iso: str | None = None) -> int:
    """Send the agency heads' daily digest (once per Bangkok day, however often it runs)."""
    with services().work():
        return reminders.send_digest(_when(now_iso))


def _when(now_iso: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(now_iso) if now_iso else None
