"""A local stand-in of SMS Gateway for Android: its REST API (``POST /messages``, ``GET
/devices``, what the official ``android-sms-gateway`` client calls) records sends and answers
like the app, per phone of the account; and the phone side, which posts signed webhook events
to Rongrian's ``/smsgate/events`` with the ``deviceId`` and ``simNumber`` that received the SMS."""
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
DEVICE = "lamphun-phone-1"
"""The phone the app picks when a message names none (and that receives SMS by default)."""


class SmsGateAPI:
    def __init__(self, username: str = USERNAME, password: str = PASSWORD, signing_key: str = SIGNING_KEY):
        self.credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.signing_key = signing_key
        # every accepted message: {"id", "phone", "text", "deviceId" (asked for, or None),
        # "device" (that sends it), "simNumber", "priority", "ttl", "at" (time.time())}
        self.messages: list[dict] = []
        self.requests = 0
        self._failures: list[int] = []  # HTTP statuses to answer next
        self.failing: dict[str, int] = {}  # deviceId → HTTP status answered to every message for it
        self.last_seen: dict[str, dt.datetime] = {}  # deviceId → when the phone last fetched its messages
        self.silent: set[str] = set()  # phones that are off: messages accepted, never fetched
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

    def fail_device(self, device: str, status: int = 500) -> None:
        """Answer every message for phone ``device`` with HTTP ``status`` (the app answers per phone)."""
        with self._lock:
            self.failing[device] = status

    def to(self, phone: str) -> list[str]:
        """Texts of the accepted messages sent to ``phone``."""
        return [message["text"] for message in self.messages if message["phone"] == phone]

    def sent_to(self, phone: str) -> list[dict]:
        """The accepted messages sent to ``phone``, whole."""
        return [message for message in self.messages if message["phone"] == phone]

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

    def received_event(self, phone: str, text: str, event_id: str | None = None, received_at: str | None = None,
                       device: str = DEVICE, sim: int = 1) -> dict:
        """An ``sms:received`` event as the app on phone ``device`` sends it (SIM ``sim`` got it)."""
        number = next(self._ids)
        return {
            "event": "sms:received", "id": event_id or f"evt-{number}", "deviceId": device,
            "webhookId": "wh-1",
            "payload": {
                "messageId": f"in-{number}", "message": text, "phoneNumber": phone, "simNumber": sim,
                "receivedAt": received_at or dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).isoformat(),
            },
        }

    def text_in(self, phone: str, text: str, device: str = DEVICE, sim: int = 1) -> None:
        """A citizen texts a gateway phone: the app on it posts a signed sms:received event."""
        response = self.post_event(self.received_event(phone, text, device=device, sim=sim))
        assert response.status_code == 204, response.get_data(as_text=True)

    def report(self, kind: str, message_id: str, **extra) -> None:
        """The app reports ``kind`` (sms:sent, sms:delivered, sms:failed) for a message it sent."""
        event = {"event": kind, "id": f"evt-{next(self._ids)}", "deviceId": DEVICE,
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
                asked = data.get("deviceId")
                if asked in self.failing:
                    return jsonify({"message": f"device {asked}: stand-in failure"}), self.failing[asked]
                message_id = data.get("id") or f"msg-{next(self._ids)}"
                if any(message["id"] == message_id for message in self.messages):
                    return jsonify({"message": "message with this id already exists"}), 409
                phones = data.get("phoneNumbers") or []
                text = (data.get("textMessage") or {}).get("text")
                if not phones or text is None:
                    return jsonify({"message": "phoneNumbers and textMessage are required"}), 400
                device = asked or DEVICE
                if device not in self.silent:
                    self.last_seen[device] = dt.datetime.now(dt.timezone.utc)
                for phone in phones:
                    self.messages.append({
                        "id": message_id, "phone": phone, "text": text, "deviceId": asked, "device": device,
                        "simNumber": data.get("simNumber"), "priority": data.get("priority"), "ttl": data.get("ttl"),
                        "at": time.time(),
                    })
            return jsonify({
                "id": message_id, "deviceId": device, "state": "Pending",
                "isHashed": False, "isEncrypted": False,
                "recipients": [{"phoneNumber": phone, "state": "Pending"} for phone in phones],
            }), 202

        @app.get("/3rdparty/v1/devices")
        def list_devices():
            if request.headers.get("Authorization") != f"Basic {self.credentials}":
                return jsonify({"message": "Unauthorized"}), 401
            with self._lock:
                seen = dict(self.last_seen)
            return jsonify([
                {"id": device, "name": device, "lastSeen": when.isoformat(), "createdAt": when.isoformat(),
                 "updatedAt": when.isoformat()}
                for device, when in seen.items()
            ])

        return app
