"""What one case's page shows: who may see the phone and act, linked reports, the timeline."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases import reminders
from cases.i18n import N_
from cases.models import OPEN_STATUSES, Case, CaseEvent, CaseStatus, InboundMessage, Outbox, OutboxStatus, Staff, utcnow
from cases.phones import masked, masked_in_text

STATUS_LABELS = {
    CaseStatus.NEW: N_("received"),
    CaseStatus.ASSIGNED: N_("waiting to be taken"),
    CaseStatus.ACCEPTED: N_("being fixed"),
    CaseStatus.DONE: N_("done"),
    CaseStatus.CANCELLED: N_("cancelled"),
}
"""Status → its label (translated in the template): the one word for each state of the style guide."""

OUTBOX_LABELS = {
    OutboxStatus.QUEUED: N_("waiting to leave"),
    OutboxStatus.SENDING: N_("leaving"),
    OutboxStatus.SENT: N_("sent"),
    OutboxStatus.DELIVERED: N_("delivered"),
    OutboxStatus.FAILED: N_("failed"),
    OutboxStatus.UNKNOWN: N_("unknown"),
    OutboxStatus.EXPIRED: N_("expired"),
}
"""Delivery status of an outbound SMS → its label."""

EVENT_LABELS = {
    "filed": N_("Report filed"),
    "repeat": N_("Reported again by the same phone"),
    "routed": N_("Sent to the agency"),
    "unrouted": N_("No routing rule: sent to the province"),
    "accepted": N_("Taken"),
    "done": N_("Closed"),
    "forwarded": N_("Passed to another agency"),
    "cancelled": N_("Cancelled by the reporter"),
    "rated": N_("Rated by the reporter"),
    "reopened": N_("Reopened by the reporter"),
    "note": N_("Internal note"),
    "phone_viewed": N_("Reporter's phone viewed"),
}
"""Event kind → its label; other kinds are shown by their name."""

BEFORE_FILING = dt.timedelta(minutes=30)
"""SMS from the reporter this long before the case was filed belong to its conversation."""
MAX_TIMELINE = 300


def shows_phone(case: Case, staff: Staff) -> bool:
    """Only staff of the agency holding the case see the reporter's number (PDPA)."""
    return case.agency_id is not None and case.agency_id == staff.agency_id


def may_act(case: Case, staff: Staff) -> bool:
    """The action forms are offered to staff of the holding agency while the case is open."""
    return shows_phone(case, staff) and case.status in OPEN_STATUSES


def linked(case: Case) -> list[Case]:
    """Reports linked to ``case`` as the same problem."""
    return list(Case.select().where(Case.duplicate_of == case).order_by(Case.created_at, Case.id))


def overdue_ids(cases: list[Case]) -> set[int]:
    """Which of ``cases`` wait longer than they should."""
    now = utcnow()
    return {case.id for case in cases if case.status in OPEN_STATUSES and reminders.is_overdue(case, now)}


@dataclass(frozen=True)
class Item:
    """One line of the timeline."""

    at: dt.datetime
    kind: str  # "event", "sms_out", "sms_in"
    label: str  # an event's label msgid, or a phone as shown
    actor: str
    text: str
    status: str = ""  # an outbound SMS's delivery status
    agency: str = ""


def _shown(phone: str | None, full: bool) -> str:
    if not phone or not phone.startswith("+"):
        return phone or ""
    return phone if full else masked(phone)


def shown_text(text: str, full_phones: bool) -> str:
    """Free text as this user may see it: phone numbers written in it masked unless the user
    is staff of the holding agency."""
    return text if full_phones else masked_in_text(text)


def timeline(case: Case, full_phones: bool) -> list[Item]:
    """Every event of the case, every SMS it sent, and the SMS its reporter (or the village
    head who filed it) sent while it was open; oldest first."""
    items = [
        Item(event.at, "event", EVENT_LABELS.get(event.kind, event.kind), _shown(event.actor, full_phones),
             shown_text(event.note, full_phones), agency=event.agency_id or "")
        for event in CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.at, CaseEvent.id).limit(MAX_TIMELINE)
    ]
    items += [
        Item(row.created_at, "sms_out", "", _shown(row.phone, full_phones), shown_text(row.body, full_phones),
             status=OUTBOX_LABELS[row.status])
        for row in Outbox.select().where(Outbox.case == case).order_by(Outbox.id).limit(MAX_TIMELINE)
    ]
    phones = [phone for phone in (case.reporter_phone, case.submitter_phone) if phone]
    if phones:
        until = case.closed_at or utcnow()
        inbound = InboundMessage.select().where(
            InboundMessage.phone.in_(phones) & (InboundMessage.received_at >= case.created_at - BEFORE_FILING)
            & (InboundMessage.received_at <= until)
        ).order_by(InboundMessage.id).limit(MAX_TIMELINE)
        items += [Item(message.received_at, "sms_in", "", _shown(message.phone, full_phones),
                       shown_text(message.body, full_phones))
                  for message in inbound]
    return sorted(items, key=lambda item: item.at)
