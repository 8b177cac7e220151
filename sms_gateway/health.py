"""GET /healthz: is the database there, is Redis there, how deep is the queue."""
from __future__ import annotations

from flask import Blueprint, jsonify

from cases.models import database
from workers import queue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    report = {"database": "ok", "redis": "ok", "queue_depth": None}
    try:
        database.execute_sql("SELECT 1")
    except Exception as error:  # any driver error means the database is not usable
        report["database"] = f"error: {type(error).__name__}"
    try:
        report["queue_depth"] = queue.get_queue().count
    except Exception as error:
        report["redis"] = f"error: {type(error).__name__}"
    healthy = report["database"] == "ok" and report["redis"] == "ok"
    report["status"] = "ok" if healthy else "degraded"
    return jsonify(report), 200 if healthy else 503
