"""What one case's page shows: who may see the phone and act, linked reports, the timeline."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pythainlp.util import collate

from cases.casework import reminders
from cases.language import lifecycle_texts, segments, texts
from cases.language.i18n import N_
from cases.province.catalog import CATALOG
from cases.province.phones import THAI_DIGITS, masked, masked_in_text
from cases.store import reference
from cases.store.models import (
    OPEN_STATUSES, Agency, Case, CaseEvent, InboundMessage, Outbox, OutboxStatus, RoutingRule, Staff, utcnow,
)

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
    "published": N_("Description shown in open data"),
    "unpublished": N_("Description hidden from open data"),
    "demo": N_("Demo case, made by rongrian demo-history"),
}
"""Event kind → its label; other kinds are shown by their name."""

MAX_TIMELINE = 300
MAX_NOTE_SHOWN = 160


def shows_phone(case: Case, staff: Staff) -> bool:
    """Only staff of the agency holding the case see the reporter's number (PDPA)."""
    return case.agency_id is not None and case.agency_id == staff.agency_id


def may_act(case: Case, staff: Staff) -> bool:
    """The action forms are offered to staff of the holding agency while the case is open."""
    return shows_phone(case, staff) and case.status in OPEN_STATUSES


def note_room(case: Case, language: str) -> int:
    """How many characters of a closing note (Thai, the worst case) always reach the reporter
    in the one-segment "done" SMS: a note this long goes whole, a longer one is cut after
    them with an ellipsis. The whole note stays in the timeline and the public status."""
    low, high = 0, MAX_NOTE_SHOWN
    while low < high:
        middle = (low + high + 1) // 2
        if segments.fits(texts.fill(language, lifecycle_texts.DONE_RATE, ref=case.reference, note="ก" * middle)):
            low = middle
        else:
            high = middle - 1
    return max(low - 1, 0)  # room for the ellipsis of a longer note


def may_show_description(case: Case, staff: Staff) -> bool:
    """The form that shows or hides the description in open data: offered to the holding
    agency's staff while they may act on the case, and, to hide it, afterwards too."""
    return may_act(case, staff) or (shows_phone(case, staff) and case.description_public)


def forward_choices(case: Case, language: str) -> tuple[list[Agency], list[Agency]]:
    """The agencies a case may be passed to, by name (แขวง… under ข): first those the routing rules send work
    from its place to (any type: a report filed under the wrong type goes to the agency of the
    right one), then all others; never the agency holding it."""
    village = case.village_id
    areas = (village, village[:6], village[:4], "*")
    serving = {rule.agency_id for rule in RoutingRule.select(RoutingRule.agency).where(RoutingRule.area_code.in_(areas))}
    names = {agency: texts.localized(agency, language) for agency in Agency.select() if agency.code != case.agency_id}
    place = {name: index for index, name in enumerate(collate(set(names.values())))}  # Thai dictionary order
    agencies = sorted(names, key=lambda agency: place[names[agency]])
    return [a for a in agencies if a.code in serving], [a for a in agencies if a.code not in serving]


def linked(case: Case) -> list[Case]:
    """Reports linked to ``case`` as the same problem."""
    return list(Case.select().where(Case.duplicate_of == case).order_by(Case.created_at, Case.id))


def overdue_ids(cases: list[Case]) -> set[int]:
    """Which of ``cases`` wait longer than they should."""
    now = utcnow()
    return {case.id for case in cases if case.status in OPEN_STATUSES and reminders.is_overdue(case, now)}


@dataclass
class Item:
    """One line of the timeline."""

    at: dt.datetime
    kind: str  # "event", "sms_out", "sms_in"
    label: str  # an event's label msgid
    actor: str  # a phone as shown, or "system": who acted, who sent an SMS in, who an SMS went to
    text: str
    status: str = ""  # an outbound SMS's delivery status
    agency: Agency | None = None  # the agency an event names
    reply: str = ""  # what the system answered an SMS received, in the same exchange
    name: str = ""  # the name of the staff member who acted (an event) or got the SMS (sms_out)
    times: int = 1  # the same event by the same person, over and over (phone views)


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
    head who filed it) sent about it with the answer each got (``own_messages``); oldest
    first. Staff are named; one person's repeated views of the phone number make one line."""
    events = list(CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.at, CaseEvent.id).limit(MAX_TIMELINE))
    sent = list(Outbox.select().where(Outbox.case == case).order_by(Outbox.id).limit(MAX_TIMELINE))
    staff = {row.phone: row.name for row in Staff.select(Staff.phone, Staff.name).where(
        Staff.phone.in_({event.actor for event in events} | {row.phone for row in sent}))}
    items = [
        Item(event.at, "event", EVENT_LABELS.get(event.kind, event.kind), _shown(event.actor, full_phones),
             shown_text(event.note, full_phones), agency=CATALOG.agency(event.agency_id) if event.agency_id else None,
             name=staff.get(event.actor, ""))
        for event in events
    ]
    items += [
        Item(row.created_at, "sms_out", "", _shown(row.phone, full_phones), shown_text(row.body, full_phones),
             status=OUTBOX_LABELS[row.status], name=staff.get(row.phone, ""))
        for row in sent
    ]
    items += [Item(message.received_at, "sms_in", "", _shown(message.phone, full_phones),
                   shown_text(message.body, full_phones), reply=shown_text(message.reply or "", full_phones))
              for message in own_messages(case)]
    return _folded(sorted(items, key=lambda item: item.at))


def own_messages(case: Case) -> list[InboundMessage]:
    """The SMS the case's reporter or village head sent about this case: those whose text or
    answer names its reference (the message that filed it, whose answer is the receipt;
    STATUS, CANCEL). An inbound SMS has no link to a case, and the same phone's SMS about
    anything else, even at the same time, are not this case's to show."""
    phones = [phone for phone in (case.reporter_phone, case.submitter_phone) if phone]
    if not phones:
        return []
    ref = case.reference
    found = InboundMessage.select().where(
        InboundMessage.phone.in_(phones) & (InboundMessage.body.contains(ref) | InboundMessage.reply.contains(ref))
    ).order_by(InboundMessage.id).limit(MAX_TIMELINE)
    return [message for message in found if names_reference(message.body, ref) or names_reference(message.reply, ref)]


def names_reference(text: str | None, ref: str) -> bool:
    """``text`` names the reference ``ref`` (not as a part of a longer number)."""
    plain = (text or "").translate(THAI_DIGITS)
    return any(found.replace("-", "") == ref for found in reference.REFERENCE_PATTERN.findall(plain))


def _folded(items: list[Item]) -> list[Item]:
    """Repeated views of the phone by the same person, one after the other, as one line."""
    folded: list[Item] = []
    for item in items:
        last = folded[-1] if folded else None
        if last and item.kind == last.kind == "event" and item.label == last.label == EVENT_LABELS["phone_viewed"] \
                and item.actor == last.actor:
            last.times += 1
            continue
        folded.append(item)
    return folded
