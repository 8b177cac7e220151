"""A local stand-in of Twilio's Messages API: records what the twilio client sends and
answers like Twilio (201 with a message resource, or Twilio's error JSON); lists the sent
messages (``GET …/Messages.json?To=``) as Twilio does."""
from __future__ import annotations

import itertools
import threading
import time

from flask import Flask, jsonify, request

from .server import ThreadedServer


class TwilioAPI:
    def __init__(self):
        self.messages: list[dict] = []  # every accepted message, in order
        self.requests = 0
        self.delay = 0.0  # seconds to hold each accepted message before answering
        self._failures: list[tuple[int, int]] = []  # (HTTP status, Twilio code) to answer next
        self._hangs: list[float] = []  # seconds to hold the next accepted messages' answers
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

    def hang_next(self, seconds: float, times: int = 1) -> None:
        """Accept the next ``times`` sends but answer only after ``seconds`` (a client with a
        shorter timeout never learns that they got through)."""
        with self._lock:
            self._hangs.extend([seconds] * times)

    def to(self, phone: str) -> list[str]:
        """Bodies of the accepted messages sent to ``phone``."""
        return [message["Body"] for message in self.messages if message["To"] == phone]

    def _resource(self, sid: str, form: dict) -> dict:
        return {
            "sid": form["Sid"], "account_sid": sid, "to": form.get("To"), "from": form.get("From"),
            "body": form.get("Body"), "status": "queued", "num_segments": "1",
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "uri": f"/2010-04-01/Accounts/{sid}/Messages/{form['Sid']}.json",
        }

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
                form["Sid"] = f"SM{next(self._ids):032d}"
                self.messages.append(form)
                hold = self._hangs.pop(0) if self._hangs else self.delay
            if hold:
                time.sleep(hold)
            return jsonify(self._resource(sid, form)), 201

        @app.get("/2010-04-01/Accounts/<sid>/Messages.json")
        def list_messages(sid):
            to = request.args.get("To")
            with self._lock:
                found = [self._resource(sid, form) for form in self.messages if to is None or form.get("To") == to]
            return jsonify({
                "messages": found[::-1], "page": 0, "page_size": len(found), "next_page_uri": None,
                "uri": request.full_path, "first_page_uri": request.full_path, "previous_page_uri": None,
            })

        return app
