"""A local stand-in of SMS Gateway for Android: its REST API (``POST /messages``, what the
official ``android-sms-gateway`` client calls) records sends and answers like the app; and
the phone side, which posts signed webhook events to Rongrian's ``/smsgate/events``."""
from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import threading
import time

from flask import Flask, jsonify, request

from sms_gateway.signatures import smsgate_signature

from .server import ThreadedServer

USERNAME, PASSWORD, SIGNING_KEY = "sms", "gate-password", "test-signing-key"


class SmsGateAPI:
    def __init__(self, username: str = USERNAME, password: str = PASSWORD, signing_key: str = SIGNING_KEY):
        self.credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.signing_key = signing_key
        self.messages: list[dict] = []  # every accepted message: {"id", "phone", "text"}
        self.requests = 0
        self._failures: list[int] = []  # HTTP statuses to answer next
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.app = self._build()
        self.server = ThreadedServer(self.app)
        self.client = None  # Rongrian's Flask test client, for the webhook events

    @property
    def url(self) -> str:
        return self.server.url + "/3rdparty/v1"

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        """Answer the next ``times`` sends with HTTP ``status`` instead of accepting them."""
        with self._lock:
            self._failures.extend([status] * times)

    def to(self, phone: str) -> list[str]:
        """Texts of the accepted messages sent to ``phone``."""
        return [message["text"] for message in self.messages if message["phone"] == phone]

    # --- the phone side: webhook events to Rongrian --------------------------------------

    def post_event(self, event: dict, timestamp: int | None = None, key: str | None = None, signature: str | None = None):
        """POST ``event`` to /smsgate/events, signed like the app (or with what is given)."""
        body = json.dumps(event, ensure_ascii=False).encode("utf-8")
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = signature or smsgate_signature(key or self.signing_key, body, stamp)
        return self.client.post(
            "/smsgate/events", data=body, content_type="application/json",
            headers={"X-Signature": signature, "X-Timestamp": stamp},
        )

    def received_event(self, phone: str, text: str, event_id: str | None = None, received_at: str | None = None) -> dict:
        """An ``sms:received`` event as the app sends it."""
        number = next(self._ids)
        return {
            "event": "sms:received", "id": event_id or f"evt-{number}", "deviceId": "lamphun-phone-1",
            "webhookId": "wh-1",
            "payload": {
                "messageId": f"in-{number}", "message": text, "phoneNumber": phone, "simNumber": 1,
                "receivedAt": received_at or dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).isoformat(),
            },
        }

    def text_in(self, phone: str, text: str) -> None:
        """A citizen texts the province phone: the app posts a signed sms:received event."""
        response = self.post_event(self.received_event(phone, text))
        assert response.status_code == 204, response.get_data(as_text=True)

    def report(self, kind: str, message_id: str, **extra) -> None:
        """The app reports ``kind`` (sms:sent, sms:delivered, sms:failed) for a message it sent."""
        event = {"event": kind, "id": f"evt-{next(self._ids)}", "deviceId": "lamphun-phone-1",
                 "payload": {"messageId": message_id, **extra}}
        response = self.post_event(event)
        assert response.status_code == 204, response.get_data(as_text=True)

    # --- the app's REST API ----------------------------------------------------------------

    def _build(self) -> Flask:
        app = Flask("smsgate-standin")

        @app.post("/3rdparty/v1/messages")
        def send_message():
            if request.headers.get("Authorization") != f"Basic {self.credentials}":
                return jsonify({"message": "Unauthorized"}), 401
            data = request.get_json(silent=True) or {}
            with self._lock:
                self.requests += 1
                if self._failures:
                    status = self._failures.pop(0)
                    return jsonify({"message": "stand-in failure"}), status
                message_id = data.get("id") or f"msg-{next(self._ids)}"
                if any(message["id"] == message_id for message in self.messages):
                    return jsonify({"message": "message with this id already exists"}), 409
                phones = data.get("phoneNumbers") or []
                text = (data.get("textMessage") or {}).get("text")
                if not phones or text is None:
                    return jsonify({"message": "phoneNumbers and textMessage are required"}), 400
                for phone in phones:
                    self.messages.append({"id": message_id, "phone": phone, "text": text})
            return jsonify({
                "id": message_id, "deviceId": "lamphun-phone-1", "state": "Pending",
                "isHashed": False, "isEncrypted": False,
                "recipients": [{"phoneNumber": phone, "state": "Pending"} for phone in phones],
            }), 202

        return app
