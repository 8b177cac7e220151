"""GET /healthz: the database, Redis, the queues, waiting SMS and each gateway's state."""
from __future__ import annotations

from flask import Blueprint, jsonify

from workers import status

from .web import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    report = status.report(services())
    return jsonify(report), 200 if report["status"] == "ok" else 503
