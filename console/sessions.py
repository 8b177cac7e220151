"""The console's sessions, kept server-side in the app's Redis, and the language of its pages.

The cookie ``rongrian_session`` holds only a random id (``secrets.token_urlsafe(32)``); the
session lives in Redis under ``console:session:<sha256 of the id>`` (a hash: ``data``, the
session in Flask's tagged JSON, and ``login_at``, the log-in time in Unix seconds), so that
the server can end it:

- a logged-in session ends after SESSION_IDLE_SECONDS without a request, and SESSION_HOURS
  after log-in whatever the activity;
- an anonymous one (just the CSRF token and the language) after ANONYMOUS_SECONDS idle;
- log-in and log-out give a new id and delete the old session (a cookie copied before is
  worth nothing after; no session fixation).

Only ``/console`` pages (and ``/``, which leads there) have a session: webhooks and Open311
never read or set a cookie. The cookie is HttpOnly and SameSite=Lax always, and Secure in
production (``RONGRIAN_ENV=production``) or whenever the console is reached over HTTPS
(``PUBLIC_BASE_URL`` an https URL behind a proxy that ends TLS, or an https request).

A small ``SessionInterface`` over the app's own Redis rather than Flask-Session: what the
console needs besides storage (no session outside the console, an absolute lifetime, a new
id at log-in and log-out, a shorter life when anonymous) would each be an override of
Flask-Session's Redis interface, for a new dependency that would then do little itself.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from flask import Flask, has_request_context, request, session
from flask.sessions import SessionInterface, SessionMixin, session_json_serializer
from werkzeug.datastructures import CallbackDict

from cases.language.i18n import DEFAULT_LANGUAGE, LANGUAGES
from web import services

SESSION_HOURS = 12
"""A login lasts one working day at most, whatever the activity (absolute lifetime)."""
SESSION_IDLE_SECONDS = 2 * 60 * 60
"""A login ends after this long without a request (idle expiry)."""
ANONYMOUS_SECONDS = 60 * 60
"""A session without a login (CSRF token, language) ends after this long without a request."""
CONSOLE_PREFIX = "/console"
"""Where a session is opened (and at ``/``, which leads there): the webhooks and Open311
carry none (no cookie is read or set for the thousands of webhooks of a flood)."""
KEY_PREFIX = "console:session:"
"""Redis key of a session: this, then the SHA-256 of its id (the id itself is stored nowhere)."""


def session_key(session_id: str) -> str:
    """The Redis key of the session whose cookie holds ``session_id``."""
    return KEY_PREFIX + hashlib.sha256(session_id.encode()).hexdigest()


class ConsoleSession(CallbackDict, SessionMixin):
    """A session's data, with its id (None until first saved) and log-in time."""

    def __init__(self, initial=None, session_id: str | None = None, login_at: float | None = None):
        def changed(_self):
            self.modified = True

        super().__init__(initial, changed)
        self.session_id, self.login_at = session_id, login_at
        self.modified = False
        self.renew = False

    def new_id(self, login_at: float | None = None) -> None:
        """Save under a new id (the old session is deleted): at log-in (``login_at`` now) and log-out."""
        self.renew, self.login_at, self.modified = True, login_at, True


class ConsoleSessionInterface(SessionInterface):
    """Server-side sessions in the app's Redis, on the console's pages only."""

    def open_session(self, app: Flask, request):
        if request.path != "/" and not request.path.startswith(CONSOLE_PREFIX):
            return None  # Flask's null session: read as empty, never saved
        session_id = request.cookies.get(self.get_cookie_name(app))
        if not session_id:
            return ConsoleSession()
        connection = services(app).connection
        stored = connection.hgetall(session_key(session_id))
        try:
            data = session_json_serializer.loads(stored[b"data"].decode())
            login_at = float(stored[b"login_at"]) if b"login_at" in stored else None
        except (KeyError, ValueError, TypeError):
            return ConsoleSession()  # unknown, expired, deleted (log-out) or unreadable: a new one
        if login_at is not None and time.time() - login_at >= SESSION_HOURS * 3600:
            connection.delete(session_key(session_id))
            return ConsoleSession()
        return ConsoleSession(data, session_id, login_at)

    def get_cookie_secure(self, app: Flask) -> bool:
        if (app.config.get("SESSION_COOKIE_SECURE") or app.config.get("RONGRIAN_ENV") == "production"
                or (app.config.get("PUBLIC_BASE_URL") or "").startswith("https://")):
            return True
        return has_request_context() and request.is_secure

    def save_session(self, app: Flask, session: ConsoleSession, response) -> None:
        connection = services(app).connection
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        if session.session_id and session.renew:
            connection.delete(session_key(session.session_id))
            session.session_id = None
        ttl = self._seconds_left(session)
        if not session or ttl <= 0:
            if session.session_id and (session.modified or ttl <= 0):
                connection.delete(session_key(session.session_id))
                session.session_id = None
            if session.session_id is None and name in request.cookies:
                response.delete_cookie(name, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                       httponly=True, samesite=self.get_cookie_samesite(app))
            return
        new = session.session_id is None
        if new:
            session.session_id = secrets.token_urlsafe(32)
        key = session_key(session.session_id)
        if new or session.modified:
            fields = {"data": session_json_serializer.dumps(dict(session))}
            if session.login_at is not None:
                fields["login_at"] = repr(session.login_at)
            pipe = connection.pipeline()
            pipe.hset(key, mapping=fields)
            pipe.expire(key, ttl)
            pipe.execute()
        else:
            connection.expire(key, ttl)
        response.vary.add("Cookie")
        if new:
            expires = (dt.datetime.fromtimestamp(session.login_at + SESSION_HOURS * 3600, dt.timezone.utc)
                       if session.login_at is not None else None)
            response.set_cookie(name, session.session_id, expires=expires, domain=domain, path=path,
                                secure=self.get_cookie_secure(app), httponly=True,
                                samesite=self.get_cookie_samesite(app))

    @staticmethod
    def _seconds_left(session: ConsoleSession) -> int:
        """The idle expiry to give the session now (never past a login's absolute end)."""
        if session.login_at is None:
            return ANONYMOUS_SECONDS
        return min(SESSION_IDLE_SECONDS, int(session.login_at + SESSION_HOURS * 3600 - time.time()))


def init_sessions(app: Flask) -> None:
    app.config["SESSION_COOKIE_NAME"] = "rongrian_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = ConsoleSessionInterface()


def renew(login: bool) -> None:
    """Give the current session a new id (the old one is deleted server-side); ``login``:
    it is a login from now on (its absolute lifetime starts)."""
    if isinstance(session, ConsoleSession):  # the proxy passes isinstance on
        session.new_id(time.time() if login else None)


def language() -> str:
    """The language of the console's pages: the user's choice in the session, else Thai."""
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
