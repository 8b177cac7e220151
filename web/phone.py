"""A phone's turns through the flows, the same for a gateway and a simulator: an SMS received,
a USSD request, a voice call's turn. The adapters (``sms_gateway``) call these with what a
provider sent; the simulators (``rongrian simulate``, the console's ``/console/simulator``)
call them with what a person typed: the same code, not a second implementation."""
from __future__ import annotations

import logging
import uuid

from cases.language import texts
from cases.messages.outbox import language_of
from flows import inbound, sessions, ussd, voice
from flows.voice import Turn

from . import enqueue, services, unit_of_work

log = logging.getLogger(__name__)

SIMULATOR = "simulator"
"""The ``provider`` of an SMS typed into a simulator."""


def store() -> sessions.RedisStore:
    """USSD sessions, voice calls and unfinished reports, in the app's Redis."""
    connection = services().connection
    return sessions.RedisStore(lambda: connection)


def text_in(phone: str, body: str) -> str:
    """An SMS from ``phone`` typed into a simulator, received as a gateway's is; the answer."""
    return inbound.receive(SIMULATOR, uuid.uuid4().hex, phone, body, enqueue())


def ussd_answer(session_id: str, phone: str, text: str) -> tuple[str, bool]:
    """One USSD request through the menu (``text``: the keys of the session so far, joined by
    ``*``): the screen, and whether the session ended; the work it caused goes to the queue."""
    try:  # the unit of work is opened by the step that files a report (the others only read)
        return ussd.respond(session_id, phone, text, store(), unit=unit_of_work)
    except Exception:  # never a 500 to the gateway; the citizen may dial again
        log.exception("USSD session %s failed", session_id)
        return texts.render(language_of(phone), texts.SORRY), True


def call_start(call_id: str, phone: str) -> Turn:
    """A voice call comes in: its first turn."""
    with unit_of_work():
        return voice.start(call_id, phone, store())


def call_step(call_id: str, phone: str, keys: str, recording_url: str | None = None) -> Turn:
    """The caller pressed ``keys`` (or spoke, recorded at ``recording_url``): the next turn."""
    with unit_of_work():
        return voice.step(call_id, phone, keys, store(), recording_url)


def voice_keys(digits: str, silent: bool) -> str:
    """The answer the keys stand for: ``#``/``*`` dropped; nothing recorded = skip."""
    if silent:
        return "0"
    return "".join(ch for ch in digits if ch.isdigit())[:20]
