"""Outbound SMS through the outbox: retries, permanent errors, the sweep, Redis outages."""
import datetime as dt

from cases.messages import outbox
from cases.store.models import Case, CaseStatus, Outbox, OutboxStatus, utcnow
from cases.store.work import FollowUp, Kind, unit_of_work
from web import services
from workers import jobs, sweeping

from .conftest import TWILIO_FROM

CITIZEN = "+66812345678"


def test_twilio_500_then_201_delivers_one_sms(demo, phone, twilio_api, work):
    twilio_api.fail_next(500)
    phone("0812345678").send("1 51010103 ถนนพัง")
    work()  # routes, sends; the citizen-facing sends and staff sends each go out once
    rows = list(Outbox.select().where(Outbox.kind == "staff_new_case"))
    assert len(rows) == 2  # the officer and the head of the subdistrict's administration
    assert all(row.status == OutboxStatus.SENT for row in rows)
    assert sorted(row.attempts for row in rows) == [1, 2]
    assert twilio_api.requests == 3
    assert all(len(twilio_api.to(row.phone)) == 1 for row in rows)


def test_invalid_number_is_not_retried(demo, twilio_app, twilio_api, work):
    with twilio_app.app_context():
        row = Outbox.create(phone="+66800000000", body="test", kind="test")
    twilio_api.fail_next(400, code=21211)
    services(twilio_app).dispatcher.enqueue([FollowUp(Kind.SEND_SMS, row.id, row.priority)])
    work()
    row = Outbox.get_by_id(row.id)
    assert row.status == OutboxStatus.FAILED and row.attempts == 1 and "21211" in row.error
    assert twilio_api.requests == 1


def test_redis_down_while_sms_arrives_then_sweep_sends_once(demo, twilio_app, phone, twilio_api, redis_server, work):
    citizen = phone("0812345678")
    redis_server.stop()
    try:
        reply = citizen.send("1 51010103 ถนนพังมาก")
    finally:
        redis_server.start()
    assert reply  # the webhook still answered with the reference
    case = Case.get()
    assert case.status == CaseStatus.NEW
    services(twilio_app).connection.flushdb()  # a fresh Redis knows nothing of the lost work
    work()
    assert Case.get_by_id(case.id).status == CaseStatus.NEW  # nothing was queued

    # The sweep looks for work older than its threshold: age the rows.
    later = utcnow() + dt.timedelta(minutes=5)
    found = sweeping.sweep(services(twilio_app), now=later)
    assert found["cases"] == 1
    work()
    assert Case.get_by_id(case.id).status == CaseStatus.ASSIGNED
    staff = twilio_api.to("+66800000101")
    assert len(staff) == 1

    sweeping.sweep(services(twilio_app), now=later)  # a second sweep finds nothing more to send
    work()
    assert len(twilio_api.to("+66800000101")) == 1
    assert Outbox.select().where(Outbox.status == OutboxStatus.QUEUED).count() == 0


def test_send_job_twice_sends_once(demo, twilio_app, twilio_api, work):
    with twilio_app.app_context():
        row = Outbox.create(phone=CITIZEN, body="hello", kind="test")
    with services(twilio_app).current():
        assert jobs.send_sms(row.id) == "sent"
        assert jobs.send_sms(row.id) is None
    assert len(twilio_api.to(CITIZEN)) == 1
    assert twilio_api.messages[0]["From"] == TWILIO_FROM


def test_an_abandoned_send_is_not_settled_with_the_sid_of_an_identical_sms(demo, twilio_app, twilio_api):
    """Twilio is asked what it has for the phone; the same text sent earlier for another row is
    that row's (provider ids are unique per provider): this one is queued again, not marked sent."""
    found = services(twilio_app)
    with unit_of_work(None):
        first = outbox.queue_text("+66812345678", "ทดสอบ", kind="test")
        second = outbox.queue_text("+66812345678", "ทดสอบ", kind="test")
    assert found.send(first.id) == OutboxStatus.SENT
    taken = Outbox.get_by_id(first.id).provider_id
    claimed = utcnow() - dt.timedelta(minutes=5)  # its sender claimed it, then died before calling Twilio
    Outbox.update(status=OutboxStatus.SENDING, provider="twilio", attempts=1, updated_at=claimed).where(
        Outbox.id == second.id).execute()
    settled = found.sender.take_back_abandoned(utcnow())
    assert [(row.id, status) for row, status in settled] == [(second.id, OutboxStatus.QUEUED)]
    again = Outbox.get_by_id(second.id)
    assert again.status == OutboxStatus.QUEUED and again.provider_id is None
    assert Outbox.get_by_id(first.id).provider_id == taken and len(twilio_api.to("+66812345678")) == 1
