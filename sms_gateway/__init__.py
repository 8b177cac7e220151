"""The Flask app: channel adapters (Twilio SMS and voice, USSD, Android gateway), health, the staff console."""
from __future__ import annotations

import logging

from flask import Flask, Response, g
from flask.cli import FlaskGroup
from werkzeug.exceptions import HTTPException

import console
from cases import limits, models

from . import cli, config, health, open311, smsgate_webhook, twilio_sms, twilio_voice, ussd
from .web import init_services, services

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None) -> Flask:
    """The application factory: settings from the environment, then ``test_config`` on top."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.from_env())
    if test_config:
        app.config.from_mapping(test_config)

    models.bind_database(app.config["DATABASE_URL"])
    init_services(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(twilio_sms.bp)
    app.register_blueprint(ussd.bp)
    app.register_blueprint(twilio_voice.bp)
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

    if not app.config["TWILIO_AUTH_TOKEN"] and not app.config["TWILIO_WEBHOOK_SHARED_KEY"]:
        log.warning(
            "TWILIO_AUTH_TOKEN is not set: Twilio webhook signatures are NOT checked. "
            "Development only; never expose this instance."
        )
    if "smsgate" in services(app).sender.names() and not app.config["SMSGATE_SIGNING_KEY"]:
        log.warning("SMSGATE_SIGNING_KEY is not set: every /smsgate/events webhook will be refused (403).")
    return app



def main() -> None:
    """Entry point of the ``rongrian`` console script."""
    FlaskGroup(name="rongrian", create_app=create_app, help="Rongrian: citizen complaints by SMS, USSD and voice.")()
