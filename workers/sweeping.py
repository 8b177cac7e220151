"""The periodic sweep: work that never reached the queue (Redis was down), was abandoned (a
worker killed mid-job) or is stuck, put back on its way. Safe to run at any time, twice."""
from __future__ import annotations

import datetime as dt
import logging

from cases.casework import routing
from cases.messages import outbox
from cases.store.models import OutboxStatus, utcnow
from cases.store.work import FollowUp, Kind
from flows import inbound

log = logging.getLogger(__name__)

BATCH = 1000
"""Most rows of one kind looked at per sweep (the oldest first); the next sweep takes the rest."""


def sweep(services, now: dt.datetime | None = None) -> dict[str, int]:
    """Put stale work back on the queues; how many of each kind were enqueued or settled.
    Work untouched for STALE_AFTER seconds is stale; a send claimed SENDING_TIMEOUT ago, abandoned."""
    now = now or utcnow()
    stale = now - dt.timedelta(seconds=services.settings["STALE_AFTER"])
    settled = services.sender.take_back_abandoned(now - dt.timedelta(seconds=services.settings["SENDING_TIMEOUT"]))
    unknown = sum(1 for _, status in settled if status == OutboxStatus.UNKNOWN)
    if unknown:
        log.error("%d SMS abandoned mid-send may or may not have left: marked unknown", unknown)
    resend = [FollowUp(Kind.SEND_SMS, row.id, row.priority) for row, status in settled if status == OutboxStatus.QUEUED]
    stale_sms = [FollowUp(Kind.SEND_SMS, row_id, priority) for row_id, priority in outbox.stale_ids(stale, now, BATCH)]
    draining = services.admission.drains_running()  # then a flood's messages are theirs
    messages = [FollowUp(Kind.HANDLE_INBOUND, message_id) for message_id in inbound.unanswered_ids(stale, BATCH, draining)]
    cases = [FollowUp(Kind.ROUTE_CASE, case_id) for case_id in routing.stale_case_ids(stale, BATCH)]
    enqueue = services.dispatcher.enqueue
    return {
        "taken_back": len(settled), "unknown": unknown, "sms": enqueue(resend + stale_sms),
        "inbound": enqueue(messages), "cases": enqueue(cases),
    }
