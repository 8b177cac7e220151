"""The composition root: the settings, the services, the web app (its channel adapters and
the console) and the ``rongrian`` command that also runs the worker.

Nothing imports this package but the entry points (gunicorn ``rongrian:create_app()``, the
``rongrian`` console script) and the tests: the web packages share only ``web``.
"""
from __future__ import annotations

import logging
import sys

import click
from flask import Flask, Response, g
from flask.cli import FlaskGroup
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import console
import sms_gateway
from cases.casework import limits
from cases.store import models, schema
from web import init_services, services

from . import cli, doors, settings

log = logging.getLogger(__name__)

DATABASE = "rongrian.database"
"""Where the app keeps its own database (``app.extensions``)."""


def create_app(test_config: dict | None = None, check_schema: bool = True) -> Flask:
    """The application factory: settings from the environment, then ``test_config`` on top.

    Refuses (``doors.UnsafeSettings``) settings that leave a door open in production, and
    (``schema.SchemaMismatch``) a database at another schema version than this code unless
    ``check_schema`` is False (the commands that migrate, back up or restore it)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings.from_env())
    if test_config:
        app.config.from_mapping(test_config)
    for warning in doors.check(app.config):
        log.warning(warning)
    if settings.is_production(app.config):
        app.config["SESSION_COOKIE_SECURE"] = True
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    init_database(app)
    if check_schema:
        schema.check()
    init_services(app)
    sms_gateway.init_app(app, twilio=doors.twilio_routes(app.config))
    console.init_app(app)
    cli.init_app(app)

    @app.before_request
    def _limits_on():
        g.limits_token = limits.use(services(app).limits)

    @app.teardown_request
    def _limits_off(_error):
        token = g.pop("limits_token", None)
        if token is not None:
            limits.reset(token)

    @app.errorhandler(HTTPException)
    def _short_reason(error: HTTPException):
        """Every 4xx as one plain line a gateway log can show."""
        return Response(f"{error.code} {error.name}: {error.description}\n", error.code, mimetype="text/plain")

    if "smsgate" in services(app).sender.names() and not app.config["SMSGATE_SIGNING_KEY"]:
        log.warning("SMSGATE_SIGNING_KEY is not set: every /smsgate/events webhook will be refused (403).")
    return app


def init_database(app: Flask) -> None:
    """The app's own database: the models point at it whenever one of its contexts starts (a
    request, a command), and its connection goes back to the pool when the context ends."""
    database = app.extensions[DATABASE] = models.open_database(app.config["DATABASE_URL"])
    models.use_database(database)  # for code that runs outside any context (a test's set-up)

    @app.before_request
    def _connect():
        models.use_database(database).connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(_error):
        if not database.is_closed():
            database.close()


class _Group(FlaskGroup):
    """The ``rongrian`` group: remembers which command it runs, for the app factory."""

    command: str | None = None

    def get_command(self, ctx, name):
        self.command = self.command or name
        return super().get_command(ctx, name)


def main() -> None:
    """Entry point of the ``rongrian`` console script (unsafe settings or a database at another
    schema version: the reason, exit 1)."""
    def factory() -> Flask:
        return create_app(check_schema=group.command not in cli.ANY_SCHEMA_VERSION)

    group = _Group(name="rongrian", create_app=factory, help="Rongrian: citizen complaints by SMS, USSD and voice.")
    try:
        group(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        sys.exit(1)
    except (doors.UnsafeSettings, schema.SchemaMismatch) as error:
        sys.exit(f"rongrian: refused to start: {error}")
