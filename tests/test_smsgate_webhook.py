"""/smsgate/events: signature and replay checks, deduplication, bad input (4xx, never 500)."""
import json
import time

import pytest

from cases.store.models import Case, Contact, InboundMessage, Outbox
from sms_gateway.signatures import smsgate_signature

CITIZEN = "+66812345678"


def nothing_stored() -> bool:
    return InboundMessage.select().count() == 0 and Outbox.select().count() == 0 and Contact.select().count() == 0


def test_a_signed_fresh_event_is_accepted(demo, smsgate_app, smsgate_api):
    response = smsgate_api.post_event(smsgate_api.received_event("0812345678", "สวัสดี"))
    assert response.status_code == 204
    message = InboundMessage.get()
    assert (message.provider, message.phone, message.body, message.processed) == ("smsgate", CITIZEN, "สวัสดี", True)
    assert Outbox.get().phone == CITIZEN  # the reply waits in the outbox


@pytest.mark.parametrize("forgery", ["wrong key", "other body", "stale", "future", "no headers", "bad timestamp"])
def test_forged_or_stale_events_are_refused_and_nothing_is_stored(demo, smsgate_app, smsgate_api, forgery):
    event = smsgate_api.received_event("0812345678", "สวัสดี")
    if forgery == "wrong key":
        response = smsgate_api.post_event(event, key="not-the-key")
    elif forgery == "other body":
        body = json.dumps(event).encode()
        stamp = str(int(time.time()))
        signature = smsgate_signature(smsgate_api.signing_key, body, stamp)
        event["payload"]["message"] = "forged"
        response = smsgate_api.post_event(event, timestamp=int(stamp), signature=signature)
    elif forgery == "stale":
        response = smsgate_api.post_event(event, timestamp=int(time.time()) - 301)
    elif forgery == "future":
        response = smsgate_api.post_event(event, timestamp=int(time.time()) + 301)
    elif forgery == "no headers":
        response = smsgate_api.client.post("/smsgate/events", json=event)
    else:
        response = smsgate_api.client.post(
            "/smsgate/events", json=event, headers={"X-Timestamp": "yesterday", "X-Signature": "ab" * 32}
        )
    assert response.status_code == 403
    assert nothing_stored()


def test_without_a_signing_key_every_event_is_refused(demo, smsgate_app, smsgate_api):
    smsgate_app.config["SMSGATE_SIGNING_KEY"] = None
    assert smsgate_api.post_event(smsgate_api.received_event("0812345678", "สวัสดี")).status_code == 403
    assert nothing_stored()


def test_a_slightly_old_event_is_still_taken(demo, smsgate_app, smsgate_api):
    event = smsgate_api.received_event("0812345678", "สวัสดี")
    assert smsgate_api.post_event(event, timestamp=int(time.time()) - 240).status_code == 204
    assert InboundMessage.select().count() == 1


def test_same_event_three_times_is_stored_once(demo, smsgate_app, smsgate_api):
    event = smsgate_api.received_event("0812345678", "2 51010203 น้ำไม่ไหล")
    assert [smsgate_api.post_event(event).status_code for _ in range(3)] == [204, 204, 204]
    assert InboundMessage.select().count() == 1 and Case.select().count() == 1 and Outbox.select().count() == 1


def test_same_text_received_at_another_time_is_a_new_message(demo, smsgate_app, smsgate_api):
    first = smsgate_api.received_event("0812345678", "สถานะ", received_at="2025-03-01T10:00:00.000+07:00")
    second = smsgate_api.received_event("0812345678", "สถานะ", received_at="2025-03-01T10:05:00.000+07:00")
    for event in (first, second):
        assert smsgate_api.post_event(event).status_code == 204
    assert InboundMessage.select().count() == 2


def signed_raw(api, body: bytes, content_type: str = "application/json"):
    stamp = str(int(time.time()))
    return api.client.post(
        "/smsgate/events", data=body, content_type=content_type,
        headers={"X-Timestamp": stamp, "X-Signature": smsgate_signature(api.signing_key, body, stamp)},
    )


@pytest.mark.parametrize("body", [
    b"not json", b"\xff\xfe\x00binary", b"[1, 2]", b'"text"', b"{}",
    b'{"event": "sms:received", "id": "e1"}',
    b'{"event": "sms:received", "id": "e1", "payload": []}',
    b'{"event": 5, "id": "e1", "payload": {}}',
    b'{"event": "sms:received", "id": "e1", "payload": {"message": "hi"}}',
    b'{"event": "sms:received", "id": "e1", "payload": {"messageId": "m", "message": "hi", "phoneNumber": "+66812345678", "receivedAt": "noon"}}',
    b'{"event": "sms:received", "id": "e1", "payload": {"messageId": "m", "message": 5, "phoneNumber": "+66812345678", "receivedAt": "2025-03-01T10:00:00+07:00"}}',
    b'{"event": "sms:received", "id": "e1", "payload": {"messageId": "m", "message": "hi", "phoneNumber": "not a phone", "receivedAt": "2025-03-01T10:00:00+07:00"}}',
    b'{"event": "sms:received", "id": "e1", "payload": {"messageId": "m", "message": "hi", "phoneNumber": "+66812345678", "receivedAt": 17}}',
    b'{"event": "sms:delivered", "id": "e1", "payload": {}}',
    b'{"event": "sms:failed", "id": "e1", "payload": {"messageId": 7}}',
])
def test_bad_input_gets_400_with_a_reason(demo, smsgate_app, smsgate_api, body):
    response = signed_raw(smsgate_api, body)
    assert response.status_code == 400
    assert response.get_data(as_text=True).strip()
    assert nothing_stored()


def test_a_huge_body_is_refused(smsgate_app, smsgate_api):
    assert signed_raw(smsgate_api, b'{"x": "' + b"a" * 70_000 + b'"}').status_code == 413


def test_other_events_are_acknowledged_and_ignored(smsgate_app, smsgate_api):
    for kind in ("system:ping", "sms:data-received", "app:started"):
        response = smsgate_api.post_event({"event": kind, "id": "e9", "payload": {"health": "pass"}})
        assert response.status_code == 204
    assert nothing_stored()


def test_a_delivery_report_for_an_unknown_message_is_acknowledged(smsgate_app, smsgate_api):
    smsgate_api.report("sms:delivered", "never-sent")
    assert Outbox.select().count() == 0
