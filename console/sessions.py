"""The console's session cookie and the language of its pages.

The cookie is HttpOnly and SameSite=Lax always, and Secure whenever the console is reached
over HTTPS: when ``PUBLIC_BASE_URL`` is an https URL (behind a proxy that ends TLS) or the
request itself came in over https.
"""
from __future__ import annotations

import datetime as dt

from flask import Flask, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface

from cases.i18n import DEFAULT_LANGUAGE, LANGUAGES

SESSION_HOURS = 12
"""A login lasts one working day."""


CONSOLE_PREFIX = "/console"
"""Where a session is opened (and at ``/``, which leads there): the webhooks and Open311
carry none (no cookie is read, signed or set for the thousands of webhooks of a flood)."""


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, Secure on HTTPS even when the setting says nothing,
    on the console's pages only."""

    def open_session(self, app: Flask, request):
        if request.path != "/" and not request.path.startswith(CONSOLE_PREFIX):
            return None  # Flask's null session: read as empty, never saved
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config.get("SESSION_COOKIE_SECURE") or (app.config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
            return True
        return has_request_context() and request.is_secure


def init_sessions(app: Flask) -> None:
    app.config["SESSION_COOKIE_NAME"] = "rongrian_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=SESSION_HOURS)
    app.session_interface = ConsoleSessionInterface()


def language() -> str:
    """The language of the console's pages: the user's choice in the session, else Thai."""
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
