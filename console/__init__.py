"""The staff web console: login by SMS code, cases, actions, statistics.

A web package over the domain in ``cases/`` (like ``sms_gateway``): views, templates and
forms only; every change to a case goes through ``cases.casework.lifecycle``.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, redirect, url_for
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from cases.language.i18n import LOCALE_DIR

from . import case_views, login, phones, province_map, sessions, simulator, stats  # noqa: F401  (their routes register on the blueprint)
from .blueprint import bp
from .formatting import init_formatting

__all__ = ["bp", "init_app"]


DEV_KEY_FILE = "dev-secret-key"
"""In development without SECRET_KEY: the key every process of this machine shares (in the
instance folder), so that the web app and ``rongrian login-code`` agree on login codes."""


def _ensure_secret_key(app: Flask) -> None:
    """Development without SECRET_KEY: this machine's development key, made once (the app
    factory refused to start without a key wherever it matters: production, or any credential set)."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / DEV_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as made:
            made.write(secrets.token_hex(32))
    except FileExistsError:
        pass
    app.config["SECRET_KEY"] = path.read_text().strip()


def init_app(app: Flask) -> None:
    """Register the console on ``app``: sessions, CSRF, translations, the blueprint, ``/``."""
    _ensure_secret_key(app)
    sessions.init_sessions(app)
    # CSRF tokens are checked on the console's own POSTs only (``bp.before_request``): the
    # webhooks (Twilio, USSD, Android gateway, Open311) authenticate by signature or key
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid as long as the session
    csrf = CSRFProtect(app)
    app.extensions["console_csrf"] = csrf
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(LOCALE_DIR).resolve()))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "th")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Bangkok")
    Babel(app, locale_selector=sessions.language)
    init_formatting(app)
    app.register_blueprint(bp)

    @app.get("/")
    def _home():
        return redirect(url_for("console.cases"), 303)
