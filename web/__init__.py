"""What every web package (the channel adapters in ``sms_gateway``, the ``console``) shares:
the app's services, the request's unit of work, and whether this is production.

The app itself is built by the composition root, ``rongrian.create_app``; no web package
imports it, nor each other."""
from __future__ import annotations

from flask import Flask, current_app

from workers.context import Services

PRODUCTION = "production"
"""RONGRIAN_ENV of a deployment: every door checks its caller (``rongrian.doors``)."""


def is_production(config) -> bool:
    """Whether ``config`` (the app's settings) is a production deployment."""
    return config.get("RONGRIAN_ENV") == PRODUCTION


def init_services(app: Flask) -> Services:
    """(Re)build the app's services (Redis, sender, dispatcher) from its settings."""
    app.extensions["rongrian"] = Services(app.config)
    return app.extensions["rongrian"]


def services(app: Flask | None = None) -> Services:
    """The services of ``app`` (the current app by default)."""
    return (app or current_app).extensions["rongrian"]


def unit_of_work():
    """The request's unit of work: its follow-up jobs are enqueued after the commit."""
    return services().work()


def enqueue():
    """The function that hands committed follow-up work to the queue."""
    return services().dispatcher.enqueue
