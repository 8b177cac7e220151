"""``rongrian simulate``: talk to the same flows and domain as the real channels, in a
terminal, against the configured database; the work goes to the queue for a running worker."""
from __future__ import annotations

import uuid

import click

from cases.province.phones import try_e164
from cases.store.models import Outbox
from web import phone as turns

QUIT = "/quit"
"""Typed alone, ends the simulation (so does end of input, Ctrl-D)."""


def run(channel: str, phone: str) -> None:
    """Simulate ``phone`` on ``channel`` (``sms``, ``ussd`` or ``voice``) until end of input."""
    number = try_e164(phone)
    if number is None:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="--phone")
    click.echo(f"Simulating {number} on {channel}. {QUIT} or Ctrl-D to stop.")
    {"sms": _sms, "ussd": _ussd, "voice": _voice}[channel](number, _OutboxWatch(number))


class _OutboxWatch:
    """Shows SMS written to the outbox for this phone since the last look: looked at before
    each answer (what the worker pushed while you typed comes first) and after it."""

    def __init__(self, phone: str):
        self.phone = phone
        newest = Outbox.select(Outbox.id).order_by(Outbox.id.desc()).first()
        self.last = newest.id if newest else 0

    def show(self) -> None:
        for row in Outbox.select().where((Outbox.phone == self.phone) & (Outbox.id > self.last)).order_by(Outbox.id):
            click.echo(f"[SMS to you] {row.body}")
            self.last = row.id


def _read(prompt: str) -> str | None:
    try:
        line = click.prompt(prompt, default="", show_default=False, prompt_suffix=" ")
    except click.Abort:
        return None
    return None if line.strip() == QUIT else line


def _sms(phone: str, outbox: _OutboxWatch) -> None:
    while (line := _read("sms>")) is not None:
        outbox.show()  # pushed while the line was typed: before its answer
        if not line.strip():
            continue
        reply = turns.text_in(phone, line)
        click.echo(f"< {reply}")
        outbox.show()


def _ussd(phone: str, outbox: _OutboxWatch) -> None:
    session, inputs = uuid.uuid4().hex, []
    while True:
        shown, end = turns.ussd_answer(session, phone, "*".join(inputs))  # the /ussd adapter's own path
        click.echo(shown)
        outbox.show()
        key = _read("(session ended; Enter dials again)" if end else "ussd>")
        if key is None:
            return
        outbox.show()
        if end:
            session, inputs = uuid.uuid4().hex, []
        else:
            inputs.append(key.strip())


def _voice(phone: str, outbox: _OutboxWatch) -> None:
    call = f"SIM{uuid.uuid4().hex}"
    turn = turns.call_start(call, phone)
    while True:
        click.echo(f"(says) {turn.text}")
        outbox.show()
        if turn.end:
            return
        recording = turn.expects == "text"
        line = _read("(speak, typed; 0 = skip)>" if recording else "keys>")
        if line is None:
            return
        outbox.show()
        keys = (line.strip() or "0") if recording else turns.voice_keys(line, silent=False)
        turn = turns.call_step(call, phone, keys)
