"""The phones share the crowd (issue 20): a reply leaves from the phone the citizen texted when
it can leave from there within SMSGATE_OVERFLOW_AFTER seconds, else from the phone that can
send it soonest (a SIM of the citizen's operator first, a phone that is down never); the
conversation goes on whichever number the citizen answers; the answer the citizen waits for
leaves before a receipt or a status update; a receipt sent by another phone names the service."""
from __future__ import annotations

import pytest

from cases.language import lifecycle_texts, segments, texts
from cases.messages import outbox
from cases.province.phones import operator_of
from cases.store import reference
from cases.store.models import Case, Outbox, OutboxStatus, Priority
from outbound.ratelimit import RateLimit
from web import services

from .test_smsgate_outbound import a_minute_later, limited

CITIZEN = "+66812345678"  # a True Move number (phonenumbers' data)
DIRECTORY_OF_PHONES = ["phone-a=ais", "phone-b=dtac", "phone-c=ais/true"]
"""Three phones; phone-c's SIM 2 is of the citizen's operator."""
MENU = ["ถนนหน้าบ้านเป็นหลุม", "ในเมือง", "๓", "1"]
"""A citizen's whole report: their words (the type is read), subdistrict, moo, yes to the reading."""


def three_phones(app, per_minute: int = 30, overflow_after: float = 20):
    app.config["SMSGATE_DEVICES"] = list(DIRECTORY_OF_PHONES)
    app.config["SMSGATE_OVERFLOW_AFTER"] = overflow_after
    return limited(app, per_minute)


def phone(app, device: str):
    return services(app).sender.backend("smsgate").phones.get(device)


def fill(app, device: str, sends: int = 30) -> None:
    """``sends`` SMS just left phone ``device`` (its window of 60 s holds them)."""
    for _ in range(sends):
        assert phone(app, device).limit.admit(ceiling=30) == 0


def reply_to(app, smsgate_api, work, text: str, device: str, sim: int = 1) -> dict:
    """The citizen texts ``device``; the reply as the gateway got it."""
    before = len(smsgate_api.sent_to(CITIZEN))
    smsgate_api.text_in(CITIZEN, text, device=device, sim=sim)
    work()
    sent = smsgate_api.sent_to(CITIZEN)
    assert len(sent) == before + 1, [(row.kind, row.device, row.status) for row in Outbox.select()]
    return sent[-1]


def test_the_citizens_operator_is_read_from_the_number_and_the_sims_from_the_setting(smsgate_app, smsgate_api):
    three_phones(smsgate_app)
    assert operator_of(CITIZEN) == "true" and operator_of("+66861234567") == "ais"
    assert [phone(smsgate_app, device).operators for device in ("phone-a", "phone-b", "phone-c")] == [
        ("ais",), ("dtac",), ("ais", "true")]
    assert phone(smsgate_app, "phone-c").sim_of("true") == 2 and phone(smsgate_app, "phone-b").sim_of("true") is None
    smsgate_app.config["SMSGATE_DEVICES"] = "phone-a, phone-b"  # plain deviceIds still work
    limited(smsgate_app, 30)
    assert [(each.device, each.operators) for each in services(smsgate_app).sender.backend("smsgate").phones.all] == [
        ("phone-a", ()), ("phone-b", ())]


def test_the_wait_behind_a_queue_is_reckoned_from_the_pace(redis_server):
    from redis import Redis

    now = [1_750_000_000.0]
    limit = RateLimit(Redis.from_url(redis_server.url), "wait-behind-test", 30, clock=lambda: now[0])
    limit.connection.delete(limit.key)
    assert limit.wait_behind(0) == 0 and limit.wait_behind(29) == 0
    assert limit.wait_behind(30) == 60  # the 31st waits for the first slot of the next minute
    for _ in range(20):
        limit.admit()
    now[0] += 45
    assert limit.wait_behind(9) == 0 and limit.wait_behind(10) == 15 and limit.wait_behind(29) == 15
    assert limit.wait_behind(30) == 60 and limit.wait_behind(40) == 75


def test_a_reply_stays_on_the_phone_texted_while_it_leaves_within_the_bound(demo, smsgate_app, smsgate_api, work):
    clock = three_phones(smsgate_app)
    fill(smsgate_app, "phone-a")
    clock.now += 45  # phone-a's slots free in 15 s: within the 20 s bound
    smsgate_api.text_in(CITIZEN, MENU[0], device="phone-a", sim=1)
    work()
    assert smsgate_api.sent_to(CITIZEN) == []
    (parked,) = Outbox.select().where(Outbox.phone == CITIZEN)
    assert (parked.status, parked.device, parked.sim) == (OutboxStatus.QUEUED, "phone-a", 1)
    a_minute_later(smsgate_app, clock)
    work()
    (sent,) = smsgate_api.sent_to(CITIZEN)
    assert (sent["deviceId"], sent["simNumber"]) == ("phone-a", 1)


def test_past_the_bound_a_reply_overflows_to_a_sim_of_the_citizens_operator(demo, smsgate_app, smsgate_api, work):
    clock = three_phones(smsgate_app)
    fill(smsgate_app, "phone-a")
    clock.now += 30  # phone-a frees a slot in 30 s: past the bound; phone-b and phone-c are idle
    sent = reply_to(smsgate_app, smsgate_api, work, MENU[0], "phone-a")
    assert (sent["deviceId"], sent["simNumber"]) == ("phone-c", 2)  # phone-c's SIM of True, not phone-b


def test_the_operator_gives_way_to_the_bound(demo, smsgate_app, smsgate_api, work):
    three_phones(smsgate_app)
    fill(smsgate_app, "phone-a")
    fill(smsgate_app, "phone-c")  # the citizen's operator is on a phone as swamped as the one texted
    sent = reply_to(smsgate_app, smsgate_api, work, MENU[0], "phone-a")
    assert (sent["deviceId"], sent["simNumber"]) == ("phone-b", None)  # the app picks phone-b's SIM


def test_the_soonest_phone_when_none_can_within_the_bound(demo, smsgate_app, smsgate_api, work):
    clock = three_phones(smsgate_app)
    fill(smsgate_app, "phone-b")
    clock.now += 10
    fill(smsgate_app, "phone-c")
    clock.now += 10
    fill(smsgate_app, "phone-a")  # phone-b frees a slot in 40 s, phone-c in 50 s, phone-a in 60 s
    smsgate_api.text_in(CITIZEN, MENU[0], device="phone-a", sim=1)
    work()
    (parked,) = Outbox.select().where(Outbox.phone == CITIZEN)
    assert (parked.status, parked.device, parked.sim) == (OutboxStatus.QUEUED, "phone-b", None)


def test_a_phone_marked_down_takes_no_overflow(demo, smsgate_app, smsgate_api, work, client):
    three_phones(smsgate_app)
    fill(smsgate_app, "phone-a")
    for _ in range(3):
        phone(smsgate_app, "phone-c").health.failed("smsgate 500")  # down: three failures in a row
    assert client.get("/healthz").get_json()["gateways"]["smsgate"]["phones"]["phone-c"]["up"] is False
    sent = reply_to(smsgate_app, smsgate_api, work, MENU[0], "phone-a")
    assert sent["deviceId"] == "phone-b"  # not phone-c, though it has the citizen's operator and is idle
    fill(smsgate_app, "phone-b", 29)  # phone-b is full too (it sent the first answer)
    smsgate_api.text_in(CITIZEN, MENU[1], device="phone-a", sim=1)
    work()
    (waiting,) = Outbox.select().where((Outbox.phone == CITIZEN) & (Outbox.status == OutboxStatus.QUEUED))
    assert waiting.device in ("phone-a", "phone-b")  # every phone that is up is full: still never phone-c


@pytest.mark.parametrize("answers_to", ["phone-b", "phone-a"])
def test_a_conversation_started_on_a_answered_from_b_goes_on_whichever_the_citizen_answers(
        demo, smsgate_app, smsgate_api, work, answers_to):
    smsgate_app.config["SMSGATE_DEVICES"] = ["phone-a", "phone-b"]
    limited(smsgate_app, 30)
    fill(smsgate_app, "phone-a")
    first = reply_to(smsgate_app, smsgate_api, work, MENU[0], "phone-a")
    assert first["deviceId"] == "phone-b"  # phone-a is swamped: its question came from phone-b
    for text in MENU[1:]:
        reply = reply_to(smsgate_app, smsgate_api, work, text, answers_to)
        if answers_to == "phone-b":
            assert reply["deviceId"] == "phone-b"  # answered there, and phone-b is free
    texts_sent = [message["text"] for message in smsgate_api.sent_to(CITIZEN)]
    assert len(set(texts_sent)) == len(MENU)  # each answer went on: never the first question again
    (case,) = Case.select()
    assert case.reporter_phone == CITIZEN and reference.find_in(texts_sent[-1]) == case.reference
    receipt = Outbox.get((Outbox.phone == CITIZEN) & (Outbox.case == case))
    assert Priority(receipt.priority) == Priority.RECEIPT
    if answers_to == "phone-a":  # the receipt to a text sent to phone-a left from phone-b: it names the service
        assert receipt.device == "phone-b" and receipt.kind == texts.RECEIVED_ELSEWHERE
        assert texts_sent[-1].startswith("ระบบร้องเรียน") and segments.fits(texts_sent[-1])
    else:
        assert receipt.kind == texts.RECEIVED and not texts_sent[-1].startswith("ระบบร้องเรียน")


def test_the_answer_the_citizen_waits_for_leaves_before_receipts_and_status_updates(
        demo, smsgate_app, smsgate_api, work):
    clock = limited(smsgate_app, 20)
    device_phone = services(smsgate_app).sender.backend("smsgate").phones.all[0]
    for _ in range(30):
        device_phone.limit.admit(ceiling=30)  # the phone is full: everything below parks
    with services(smsgate_app).work():
        outbox.queue_text("+66812345601", "receipt 1234567", kind=texts.RECEIVED)
        outbox.queue_sms("+66812345602", texts.ACCEPTED, ref="1234567", agency="ทต.ทดสอบ")  # a status update
        outbox.queue_text("+66800000101", "staff confirmation", kind="reply")  # a staff word's confirmation
        outbox.queue_text("+66812345603", "next question", kind="reply")
    work()
    assert smsgate_api.messages == []
    priorities = {row.phone: Priority(row.priority) for row in Outbox.select()}
    assert priorities == {"+66812345601": Priority.RECEIPT, "+66812345602": Priority.CITIZEN,
                          "+66800000101": Priority.REPLY, "+66812345603": Priority.REPLY}
    a_minute_later(smsgate_app, clock)
    work()
    order = [message["phone"] for message in smsgate_api.messages]
    # the staff's confirmation keeps its place among the answers; the receipt, then the status after them
    assert order == ["+66800000101", "+66812345603", "+66812345601", "+66812345602"]


def test_what_the_flows_answer_is_written_with_its_priority(demo, smsgate_app, smsgate_api, work):
    limited(smsgate_app, 30)
    for text in MENU:
        smsgate_api.text_in(CITIZEN, text)
        work()
    rows = list(Outbox.select().where(Outbox.phone == CITIZEN).order_by(Outbox.id))
    assert [Priority(row.priority) for row in rows] == [Priority.REPLY] * 3 + [Priority.RECEIPT]
    assert rows[-1].expires_at is None and all(row.expires_at is not None for row in rows[:-1])
    smsgate_api.text_in(CITIZEN, f"สถานะ {rows[-1].case.reference}")
    work()
    status = Outbox.select().where(Outbox.phone == CITIZEN).order_by(Outbox.id.desc()).get()
    assert Priority(status.priority) == Priority.REPLY  # a status answer is waited for
    assert outbox.priority_of(texts.RECEIVED) == Priority.RECEIPT
    assert outbox.priority_of(lifecycle_texts.ALREADY_RECEIVED) == Priority.RECEIPT


def test_a_crowds_receipts_leave_room_for_the_next_question(demo, smsgate_app, smsgate_api, work):
    limited(smsgate_app, 30)  # the phone's pace is Android's own 30 a minute
    with services(smsgate_app).work():
        for n in range(30):
            outbox.queue_text(f"+668123456{n:02d}", f"receipt {n}", kind=texts.RECEIVED)
        for n in range(5):
            outbox.queue_sms(f"+668900000{n:02d}", lifecycle_texts.TELL_RESIDENT, phone="0812345678", body="ถนนซ่อมแล้ว")
    work()
    assert len(smsgate_api.messages) == 30 - 3  # receipts and notices together never take the last three slots
    with services(smsgate_app).work():
        outbox.queue_text(CITIZEN, "next question")
    work()
    assert smsgate_api.sent_to(CITIZEN)[0]["text"] == "next question"  # at once, in the room kept for it
