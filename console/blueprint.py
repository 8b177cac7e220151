"""The console's blueprint: every page and action lives under ``/console``.

Every POST carries the session's CSRF token (400 without it). A refused request to a page
answers with a page in the console's language that says what went wrong and where to go
on; a CSV download keeps the app's one-line plain-text reason. Pages and CSV files travel
gzip-compressed to a browser that takes it (a slow rural link: the statistics page's
charts shrink about sixfold).
"""
from __future__ import annotations

import gzip

from flask import Blueprint, Response, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

COMPRESSED = ("text/html", "text/csv")
GZIP_FROM = 1024
"""Bytes from which a page is worth compressing."""

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")


@bp.before_request
def _check_csrf():
    """Every console POST carries the session's CSRF token (400 without it)."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        current_app.extensions["console_csrf"].protect()


@bp.errorhandler(HTTPException)
def _refused(error: HTTPException):
    if request.path.endswith(".csv"):
        return Response(f"{error.code} {error.name}: {error.description}\n", error.code, mimetype="text/plain")
    page = render_template("console/error.html", code=error.code, detail=error.description,
                           form_expired=isinstance(error, CSRFError))
    return page, error.code


@bp.after_request
def _gzip(response: Response) -> Response:
    if (response.mimetype not in COMPRESSED or response.direct_passthrough or "Content-Encoding" in response.headers
            or "gzip" not in request.accept_encodings):
        return response
    body = response.get_data()
    if len(body) >= GZIP_FROM:
        response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response
