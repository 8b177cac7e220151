"""GET /healthz: up or down for anyone; the detail (the database, Redis, the queues, waiting
SMS, each gateway and phone) for whoever holds METRICS_TOKEN, and in development without one."""
from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request

from web import is_production, services
from workers import status

bp = Blueprint("health", __name__)


def may_see_detail(config, authorization: str) -> bool:
    """Whether a caller with this ``Authorization`` header may see the detail."""
    token = config.get("METRICS_TOKEN")
    if not token:
        return not is_production(config)
    return holds_token(token, authorization)


def holds_token(token: str, authorization: str) -> bool:
    """Whether ``authorization`` is ``Bearer <token>`` (compared in constant time)."""
    given = authorization.removeprefix("Bearer ").strip().encode()
    return authorization.startswith("Bearer ") and hmac.compare_digest(given, token.encode())


@bp.get("/healthz")
def healthz():
    report = status.report(services())
    code = 200 if report["status"] == "ok" else 503
    if not may_see_detail(current_app.config, request.headers.get("Authorization", "")):
        return jsonify(status=report["status"]), code
    return jsonify(report), code
