"""The Flask app: channel adapters (Twilio SMS and voice, USSD, Android gateway), health, the staff console."""
from __future__ import annotations

import logging
import sys

import click

from flask import Flask, Response, g
from flask.cli import FlaskGroup
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import console
from cases.casework import limits
from cases.store import models

from . import cli, config, doors, health, open311, smsgate_webhook, twilio_sms, twilio_voice, ussd
from .web import init_services, services

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None) -> Flask:
    """The application factory: settings from the environment, then ``test_config`` on top.

    Refuses (``doors.UnsafeSettings``) settings that leave a door open in production."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.from_env())
    if test_config:
        app.config.from_mapping(test_config)
    for warning in doors.check(app.config):
        log.warning(warning)
    if config.is_production(app.config):
        app.config["SESSION_COOKIE_SECURE"] = True
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    models.bind_database(app.config["DATABASE_URL"])
    init_services(app)
    app.register_blueprint(health.bp)
    if doors.twilio_routes(app.config):
        app.register_blueprint(twilio_sms.bp)
        app.register_blueprint(twilio_voice.bp)
    app.register_blueprint(ussd.bp)
    app.register_blueprint(smsgate_webhook.bp)
    app.register_blueprint(open311.bp)
    console.init_app(app)
    cli.init_app(app)

    @app.before_request
    def _connect():
        models.database.connect(reuse_if_open=True)
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


def main() -> None:
    """Entry point of the ``rongrian`` console script (unsafe settings: their reason, exit 2)."""
    group = FlaskGroup(name="rongrian", create_app=create_app, help="Rongrian: citizen complaints by SMS, USSD and voice.")
    try:
        group(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        sys.exit(1)
    except doors.UnsafeSettings as error:
        sys.exit(f"rongrian: refused to start: {error}")
