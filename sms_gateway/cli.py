"""The ``rongrian`` console command: a Flask CLI group over the app factory."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from cases import models

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


COMMANDS = [init_db_command, load_directory_command, demo_command, worker_command, simulate_command]


def init_app(app) -> None:
    """Register the commands on ``app``."""
    for command in COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    """Entry point of the ``rongrian`` console script."""
    from . import create_app

    FlaskGroup(name="rongrian", create_app=create_app, help="Rongrian: citizen complaints by SMS, USSD and voice.")()
