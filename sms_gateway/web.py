"""What every adapter shares: the app's services, and the request's unit of work."""
from __future__ import annotations

from flask import Flask, current_app

from workers.context import Services


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
