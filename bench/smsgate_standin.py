"""An SMS Gateway for Android stand-in as its own process (``gunicorn -k gthread
bench.smsgate_standin:app``): the app's REST API as the official ``android-sms-gateway``
client calls it — ``POST /3rdparty/v1/messages`` (202, or 409 for an id it already has) and
``GET /3rdparty/v1/devices`` (every phone of STANDIN_DEVICES seen just now) — appending every
accepted message to the JSON-lines file STANDIN_LOG as {"t": unix time, "id", "to", "body",
"device", "sim", "priority"}. It sends whatever it is given: the phones' pace is the app's to keep
(the benchmark checks it from this log)."""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time

_lock = threading.Lock()
_ids: set[str] = set()
_log = open(os.environ.get("STANDIN_LOG", os.devnull), "a", encoding="utf-8")
DEVICES = [device for device in os.environ.get("STANDIN_DEVICES", "").split(",") if device]
API = "/3rdparty/v1"


def _answer(start_response, status: str, data) -> list[bytes]:
    body = json.dumps(data).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _send(environ, start_response) -> list[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    try:
        data = json.loads(environ["wsgi.input"].read(length) or b"{}")
    except ValueError:
        return _answer(start_response, "400 Bad Request", {"message": "not JSON"})
    phones, text = data.get("phoneNumbers") or [], (data.get("textMessage") or {}).get("text")
    message_id = data.get("id")
    if not phones or text is None or not message_id:
        return _answer(start_response, "400 Bad Request", {"message": "id, phoneNumbers and textMessage are required"})
    device = data.get("deviceId") or (DEVICES[0] if DEVICES else "phone")
    with _lock:
        if message_id in _ids:
            return _answer(start_response, "409 Conflict", {"message": "message with this id already exists"})
        _ids.add(message_id)
        for phone in phones:
            _log.write(json.dumps({"t": time.time(), "id": message_id, "to": phone, "body": text, "device": device,
                                   "sim": data.get("simNumber"), "priority": data.get("priority")},
                                  ensure_ascii=False) + "\n")
        _log.flush()
    return _answer(start_response, "202 Accepted", {
        "id": message_id, "deviceId": device, "state": "Pending", "isHashed": False, "isEncrypted": False,
        "recipients": [{"phoneNumber": phone, "state": "Pending"} for phone in phones],
    })


def app(environ, start_response):
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
    if method == "GET" and path == "/healthz":
        return _answer(start_response, "200 OK", {"status": "ok"})
    if method == "POST" and path == f"{API}/messages":
        return _send(environ, start_response)
    if method == "GET" and path == f"{API}/devices":
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        return _answer(start_response, "200 OK", [
            {"id": device, "name": device, "lastSeen": now, "createdAt": now, "updatedAt": now} for device in DEVICES])
    return _answer(start_response, "404 Not Found", {"message": "not found"})
