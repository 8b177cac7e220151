"""The ``rongrian`` console command: a Flask CLI group over the app factory."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from cases import models, texts
from cases.i18n import N_

DEMO_DIRECTORY = Path(__file__).resolve().parent.parent / "cases" / "demo_directory"
"""The bundled Lamphun demo directory (CSV files)."""


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the tables (idempotent)."""
    models.create_tables()
    click.echo(f"Database ready: {current_app.config['DATABASE_URL']}")


@click.command("load-directory")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def load_directory_command(folder: Path):
    """Load a directory of CSV files; all or nothing."""
    _load(folder)


def _load(folder: Path) -> None:
    from cases import directory

    models.create_tables()
    try:
        counts = directory.load(folder)
    except directory.DirectoryError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(error.problems)} bad row(s); nothing was changed")
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))


@click.command("demo")
@with_appcontext
def demo_command():
    """init-db + the bundled Lamphun demo directory."""
    models.create_tables()
    _load(DEMO_DIRECTORY)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool):
    """One rq worker with the scheduler (sends SMS, routes cases, runs periodic jobs)."""
    from workers import worker

    worker.run(burst=burst)


@click.command("simulate")
@click.option("--channel", type=click.Choice(["sms", "ussd", "voice"]), default="sms")
@click.option("--phone", required=True, help="The phone you pretend to be, e.g. 0812345678.")
@with_appcontext
def simulate_command(channel: str, phone: str):
    """Talk to the flows in the terminal, no gateway needed."""
    from . import simulator

    simulator.run(channel, phone)


TEST_SMS = texts.template("gateway_test", N_("Rongrian test SMS. If you can read this, sending works."))
"""The text ``smsgate-test`` sends."""
INBOUND_SHOWN = 10
"""How many of the last inbound messages ``smsgate-test`` lists."""


@click.command("smsgate-test")
@click.option("--phone", required=True, help="Where to send the test SMS, e.g. 0812345678.")
@with_appcontext
def smsgate_test_command(phone: str):
    """Send a test SMS through the configured backend; show the last inbound messages."""
    from cases import outbox, pending
    from cases.phones import try_e164

    from . import outbound

    number = try_e164(phone)
    if number is None:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="--phone")
    models.create_tables()
    backend = outbound.backend_for(number)
    with models.database.atomic():
        row = outbox.queue_text(number, texts.render(outbox.language_of(number), TEST_SMS), kind=TEST_SMS)
    pending.discard()  # sent right here, not by the worker
    try:
        result = outbound.send_now(row.id)
    except outbox.SendError as error:
        result = f"not sent ({error}); the worker will try again" if isinstance(error, outbox.RetryableSendError) else f"failed: {error}"
    row = models.Outbox.get_by_id(row.id)
    if isinstance(result, outbound.Deferred):
        result = f"over SMSGATE_MAX_PER_MINUTE; the worker will send it in {result.seconds:.0f} s"
    detail = row.provider_id or "" if row.status == models.OutboxStatus.SENT else f"({row.error})" if row.error else ""
    click.echo(f"Test SMS {row.id} to {number} via {backend.name}: {getattr(result, 'value', result)} {detail}")
    click.echo(f"Last {INBOUND_SHOWN} inbound messages:")
    recent = list(models.InboundMessage.select().order_by(models.InboundMessage.id.desc()).limit(INBOUND_SHOWN))
    for message in recent:
        state = "answered" if message.processed else "NOT handled"
        click.echo(f"  {message.received_at:%Y-%m-%d %H:%M:%S} {message.provider} {message.phone} {state}: {message.body[:40]!r}")
    if not recent:
        click.echo("  (none yet: text the gateway phone and run this again)")
    if row.status == models.OutboxStatus.FAILED:
        raise click.ClickException("the test SMS failed")


COMMANDS = [
    init_db_command, load_directory_command, demo_command, worker_command, simulate_command, smsgate_test_command,
]


def init_app(app) -> None:
    """Register the commands on ``app``."""
    for command in COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    """Entry point of the ``rongrian`` console script."""
    from . import create_app

    FlaskGroup(name="rongrian", create_app=create_app, help="Rongrian: citizen complaints by SMS, USSD and voice.")()
