"""The ``rongrian`` console command: a Flask CLI group over the app factory."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from cases.casework import demo
from cases.language import catchall, textcheck, texts
from cases.language.i18n import N_
from cases.messages import outbox
from cases.province import directory
from cases.province.phones import try_e164
from cases.store import backup, models, schema
from cases.store.work import unit_of_work
from console.codes import LoginCodes
from outbound import Deferred, sending
from sms_gateway import simulator
from web import is_production, services
from workers import status, worker

ANY_SCHEMA_VERSION = frozenset({"init-db", "migrate", "backup", "restore", "demo"})
"""Commands that run on a database at another schema version (the rest refuse to start)."""
DEMO_DIRECTORY = Path(__file__).resolve().parent.parent / "cases" / "province" / "demo_directory"
"""The bundled Lamphun demo directory (CSV files)."""


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the tables and bring them to this code's schema version (idempotent)."""
    _report_steps(_migrated(schema.create_tables))
    click.echo(f"Database ready at schema version {schema.CURRENT}: {_shown_url()}")


@click.command("migrate")
@click.option("--show", is_flag=True, help="Print the database's version and the steps pending; change nothing.")
@with_appcontext
def migrate_command(show: bool):
    """Bring the schema to this code's version (ordered, recorded steps)."""
    if show:
        at = schema.version()
        click.echo(f"database: {'empty (rongrian init-db creates it)' if at is None else f'schema version {at}'}")
        click.echo(f"this code: schema version {schema.CURRENT}")
        if at is not None and at > schema.CURRENT:
            click.echo(f"NEWER than this code: {schema.newer_message(at)}")
        todo = schema.pending(at)
        for step in todo:
            click.echo(f"  pending {step.version}: {step.name}")
        if at is not None and not todo and at <= schema.CURRENT:
            click.echo("nothing pending")
        return
    _report_steps(_migrated(schema.migrate_up))
    click.echo(f"Database at schema version {schema.CURRENT}: {_shown_url()}")


def _migrated(run) -> list:
    try:
        return run()
    except schema.SchemaMismatch as error:
        raise click.ClickException(str(error))


def _report_steps(steps) -> None:
    for step in steps:
        click.echo(f"migrated to {step.version}: {step.name}")


def _shown_url() -> str:
    """DATABASE_URL without its password."""
    url = current_app.config["DATABASE_URL"]
    head, sep, tail = url.rpartition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':', 1)[0]}@{tail}"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path):
    """A consistent copy of the whole database in FILE, while the service runs."""
    try:
        backup.backup(current_app.config["DATABASE_URL"], file)
    except backup.BackupError as error:
        raise click.ClickException(str(error))
    click.echo(f"Backup of {_shown_url()} (schema version {schema.version()}) in {file} ({file.stat().st_size} bytes)")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
@with_appcontext
def restore_command(file: Path, force: bool):
    """Put the backup FILE back (refuses a database holding data without --force)."""
    try:
        backup.restore(current_app.config["DATABASE_URL"], file, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error))
    at = schema.version()
    click.echo(f"Restored {file} into {_shown_url()}: schema version {at}")
    if at is not None and at < schema.CURRENT:
        click.echo(f"Older than this code ({schema.CURRENT}): run `{schema.MIGRATE_COMMAND}` before starting the service")


@click.command("load-directory")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def load_directory_command(folder: Path):
    """Load a directory of CSV files; all or nothing."""
    _load(folder)


def _load(folder: Path) -> None:
    schema.create_tables()
    try:
        counts = catchall.load(folder)
    except directory.DirectoryError as error:
        raise _bad_rows(error)
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))
    for line in textcheck.shortened_table(textcheck.shortened_names()):
        click.echo(line)


def _bad_rows(error: directory.DirectoryError) -> click.ClickException:
    """Print the problems of directory files; the exception that stops the command."""
    for problem in error.problems:
        click.echo(problem, err=True)
    return click.ClickException(f"{len(error.problems)} bad row(s); nothing was changed")


@click.command("check-texts")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def check_texts_command(folder: Path | None):
    """Check that every SMS fits one segment with FOLDER's directory (not loaded) or the
    loaded one; list the names shortened to fit."""
    schema.create_tables()
    try:
        report = textcheck.check_folder(folder) if folder else textcheck.check()
    except directory.DirectoryError as error:
        raise _bad_rows(error)
    for problem in report.too_long:
        click.echo(f"TOO LONG {problem}")
    for line in textcheck.shortened_table(report.shortened):
        click.echo(line)
    if report.too_long:
        raise click.ClickException(f"{len(report.too_long)} of {report.checked} SMS do not fit one segment")
    click.echo(f"All {report.checked} SMS fit one segment.")


@click.command("demo")
@with_appcontext
def demo_command():
    """init-db + the bundled Lamphun demo directory."""
    _report_steps(_migrated(schema.create_tables))
    _load(DEMO_DIRECTORY)


@click.command("demo-history")
@click.option("--days", type=click.IntRange(1, 400), default=60, show_default=True, help="Days of history up to now.")
@with_appcontext
def demo_history_command(days: int):
    """Fill a demo database (any loaded directory, no real case) with DAYS days of plausible
    cases, their timelines and SMS; refuses a database that holds real cases."""
    schema.create_tables()
    try:
        made = demo.make_history(days)
    except demo.DemoRefused as refusal:
        raise click.ClickException(f"no demo history: {refusal}")
    if made is None:
        click.echo("The demo history is already there; nothing added.")
        return
    statuses = ", ".join(f"{count} {status}" for status, count in demo.counts_by_status().items())
    steps = ", ".join(f"{count} {step}" for step, count in sorted(made.steps.items()))
    click.echo(f"Demo history of {days} days: {made.cases} cases ({statuses}); {steps}; {made.sms} SMS kept as sent.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool):
    """One rq worker with the scheduler (sends SMS, routes cases, runs periodic jobs)."""
    worker.run(services(), burst=burst)


@click.command("status")
@with_appcontext
def status_command():
    """The queues, the SMS waiting by priority, each gateway and phone, what needs a look."""
    click.echo(json.dumps(status.report(services()), indent=2, ensure_ascii=False))


@click.command("simulate")
@click.option("--channel", type=click.Choice(["sms", "ussd", "voice"]), default="sms")
@click.option("--phone", required=True, help="The phone you pretend to be, e.g. 0812345678.")
@with_appcontext
def simulate_command(channel: str, phone: str):
    """Talk to the flows in the terminal, no gateway needed."""
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
    number = try_e164(phone)
    if number is None:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="--phone")
    schema.create_tables()
    found = services()
    backend = found.sender.backend_for(number)
    with unit_of_work(None):  # sent right here, not by the worker
        row = outbox.queue_text(number, texts.render(outbox.language_of(number), TEST_SMS), kind=TEST_SMS)
    try:
        result = found.send(row.id)  # over the pace: parked, and its phone's wake-up booked
    except sending.SendError as error:
        result = f"not sent ({error}); the worker will try again" if isinstance(error, sending.RetryableSendError) else f"failed: {error}"
    row = models.Outbox.get_by_id(row.id)
    if isinstance(result, Deferred):
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


@click.command("login-code")
@click.argument("phone")
@with_appcontext
def login_code_command(phone: str):
    """Development only: a fresh console login code for a staff PHONE, printed here (with the
    console SMS backend no code leaves the machine, and none is ever logged)."""
    if is_production(current_app.config):
        raise click.ClickException("login-code is for development only: in production the code comes by SMS")
    number = try_e164(phone)
    if number is None or models.Staff.get_or_none(models.Staff.phone == number) is None:
        raise click.BadParameter(f"{phone!r} is not a staff phone of the loaded directory", param_hint="PHONE")
    code = LoginCodes(services().connection, current_app.config["SECRET_KEY"]).ask(number, "command line")
    if not isinstance(code, str):
        raise click.ClickException(f"no code now ({code.reason}): try again in {code.seconds} s")
    click.echo(f"Login code for {number}: {code} (valid 10 minutes)")


COMMANDS = [
    init_db_command, migrate_command, backup_command, restore_command, load_directory_command, demo_command,
    demo_history_command,
    worker_command, status_command, simulate_command, smsgate_test_command, check_texts_command, login_code_command,
]


def init_app(app) -> None:
    """Register the commands on ``app``."""
    for command in COMMANDS:
        app.cli.add_command(command)

