"""A local stand-in of Twilio's Messages API: records what the twilio client sends and
answers like Twilio (201 with a message resource, or Twilio's error JSON)."""
from __future__ import annotations

import itertools
import threading

from flask import Flask, jsonify, request

from .server import ThreadedServer


class TwilioAPI:
    def __init__(self):
        self.messages: list[dict] = []  # every accepted message, in order
        self.requests = 0
        self._failures: list[tuple[int, int]] = []  # (HTTP status, Twilio code) to answer next
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.app = self._build()
        self.server = ThreadedServer(self.app)

    @property
    def url(self) -> str:
        return self.server.url

    def fail_next(self, status: int, code: int = 20500, times: int = 1) -> None:
        """Answer the next ``times`` sends with this error instead of accepting them."""
        with self._lock:
            self._failures.extend([(status, code)] * times)

    def to(self, phone: str) -> list[str]:
        """Bodies of the accepted messages sent to ``phone``."""
        return [message["Body"] for message in self.messages if message["To"] == phone]

    def _build(self) -> Flask:
        app = Flask("twilio-standin")

        @app.post("/2010-04-01/Accounts/<sid>/Messages.json")
        def create_message(sid):
            with self._lock:
                self.requests += 1
                failure = self._failures.pop(0) if self._failures else None
                if failure:
                    status, code = failure
                    return jsonify({"code": code, "message": "stand-in failure", "more_info": "", "status": status}), status
                form = request.form.to_dict()
                message_sid = f"SM{next(self._ids):032d}"
                form["Sid"] = message_sid
                self.messages.append(form)
            return jsonify({
                "sid": message_sid, "account_sid": sid, "to": form.get("To"), "from": form.get("From"),
                "body": form.get("Body"), "status": "queued", "num_segments": "1",
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
            }), 201

        return app
