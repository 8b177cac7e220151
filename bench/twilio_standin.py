"""A Twilio Messages API stand-in as its own process (``gunicorn -k gthread
bench.twilio_standin:app``): answers like Twilio and appends every message to the JSON-lines
file STANDIN_LOG as {"t": unix time, "to": …, "body": …}."""
from __future__ import annotations

import itertools
import json
import os
import re
import threading
import time
from urllib.parse import parse_qs

PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
_lock = threading.Lock()
_ids = itertools.count(1)
_log = open(os.environ.get("STANDIN_LOG", os.devnull), "a", encoding="utf-8")


def _answer(start_response, status: str, data: dict):
    body = json.dumps(data).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def app(environ, start_response):
    found = PATH.match(environ.get("PATH_INFO", ""))
    if environ["REQUEST_METHOD"] == "GET" and environ.get("PATH_INFO") == "/healthz":
        return _answer(start_response, "200 OK", {"status": "ok"})
    if not found or environ["REQUEST_METHOD"] != "POST":
        return _answer(start_response, "404 Not Found", {"code": 20404, "message": "not found", "status": 404})
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = {key: values[0] for key, values in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
    with _lock:
        sid = f"SM{os.getpid():08d}{next(_ids):024d}"
        _log.write(json.dumps({"t": time.time(), "to": form.get("To"), "body": form.get("Body")},
                              ensure_ascii=False) + "\n")
        _log.flush()
    return _answer(start_response, "201 Created", {
        "sid": sid, "account_sid": found.group(1), "to": form.get("To"), "from": form.get("From"),
        "body": form.get("Body"), "status": "queued", "num_segments": "1",
        "messaging_service_sid": form.get("MessagingServiceSid"),
        "uri": f"/2010-04-01/Accounts/{found.group(1)}/Messages/{sid}.json",
    })
