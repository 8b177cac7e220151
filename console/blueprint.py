"""The console's blueprint: every page and action lives under ``/console``."""
from __future__ import annotations

from flask import Blueprint, current_app, request

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")


@bp.before_request
def _check_csrf():
    """Every console POST carries the session's CSRF token (400 without it)."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        current_app.extensions["console_csrf"].protect()
