"""Sending through the Android phone: its pace (one wake-up per phone, the best row first,
replies above the pace up to Android's own 30 a minute, stale replies dropped), both
gateways side by side, the test command."""
import time

from rq.registry import ScheduledJobRegistry

from cases.language import lifecycle_texts
from cases.messages import outbox
from cases.store import reference
from cases.store.models import InboundMessage, Outbox, OutboxStatus, Priority
from web import init_services, services
from workers import queue

CITIZENS = [f"+668123456{n:02d}" for n in range(5)]
OFFICER = "+66800000101"


class Clock:
    """The pace's clock, moved by hand."""

    def __init__(self, now: float = 1_750_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def limited(app, per_minute: int) -> Clock:
    app.config["SMSGATE_MAX_PER_MINUTE"] = per_minute
    clock = Clock()
    init_services(app).sender.backend("smsgate").phones.clock = clock
    return clock


def queue_texts(app, phones) -> None:
    """Conversation replies (they may use Android's room above the pace)."""
    with services(app).work():
        for phone in phones:
            outbox.queue_text(phone, "Rongrian rate test")


def queue_notices(app, phones, key=lifecycle_texts.TELL_RESIDENT) -> None:
    """Notices (staff priority by default; FOR_RESIDENT is a citizen's, DIGEST bulk): within the pace."""
    with services(app).work():
        for phone in phones:
            if key == lifecycle_texts.DIGEST:
                outbox.queue_sms(phone, key, open=3, overdue=1, done=2)
            else:
                outbox.queue_sms(phone, key, phone="0812345678", body="ถนนซ่อมแล้ว")


def statuses() -> list[OutboxStatus]:
    return [row.status for row in Outbox.select().order_by(Outbox.id)]


def scheduled(app) -> ScheduledJobRegistry:
    """Where the phones' wake-ups wait (they run on the reply queue, served first)."""
    return ScheduledJobRegistry(queue.SMS[Priority.REPLY], connection=services(app).connection)


def a_minute_later(app, clock: Clock) -> None:
    """Move the pace's clock on and let rq's scheduler release what it holds."""
    clock.now += 61
    registry = scheduled(app)
    for job_id in registry.get_job_ids():
        registry.requeue(job_id)


def test_over_the_pace_rows_park_for_one_wake_up_and_none_is_lost(smsgate_app, smsgate_api, work):
    clock = limited(smsgate_app, 2)
    queue_notices(smsgate_app, CITIZENS)
    work()
    assert len(smsgate_api.messages) == 2
    assert statuses().count(OutboxStatus.SENT) == 2 and statuses().count(OutboxStatus.QUEUED) == 3
    parked = [row for row in Outbox.select() if row.status == OutboxStatus.QUEUED]
    assert all(row.provider == "smsgate" for row in parked)  # parked for the phone
    registry = scheduled(smsgate_app)
    assert registry.count == 1  # one wake-up for the phone, not one job per waiting row
    for queue_name in queue.SMS.values():
        assert ScheduledJobRegistry(queue_name, connection=services(smsgate_app).connection).get_job_ids() == (
            registry.get_job_ids() if queue_name == queue.SMS[Priority.REPLY] else [])
    (job_id,) = registry.get_job_ids()
    wait = registry.get_scheduled_time(job_id).timestamp() - time.time()
    assert job_id.startswith("wake-smsgate") and 25 <= wait <= 31  # the slot frees in a minute; half-way, a heartbeat

    a_minute_later(smsgate_app, clock)
    work()
    assert len(smsgate_api.messages) == 4 and scheduled(smsgate_app).count == 1

    a_minute_later(smsgate_app, clock)
    work()
    assert statuses() == [OutboxStatus.SENT] * 5
    assert sorted(message["phone"] for message in smsgate_api.messages) == CITIZENS  # each once
    assert scheduled(smsgate_app).count == 0  # nothing waits: no wake-up booked


def test_parked_rows_are_not_failed_nor_counted_nor_swept_again(smsgate_app, smsgate_api, work):
    limited(smsgate_app, 1)
    queue_notices(smsgate_app, CITIZENS[:3])
    work()
    waiting = [row for row in Outbox.select() if row.status == OutboxStatus.QUEUED]
    assert len(waiting) == 2 and all(row.attempts == 0 and row.error is None for row in waiting)
    work.enqueue("workers.jobs.sweep")
    work()
    assert [row.attempts for row in Outbox.select().where(Outbox.status == OutboxStatus.QUEUED)] == [0, 0]
    assert scheduled(smsgate_app).count == 1 and len(smsgate_api.messages) == 1


def test_the_pace_is_shared_and_slides(smsgate_app):
    clock = limited(smsgate_app, 2)
    limit = services(smsgate_app).sender.backend("smsgate").phones.get(None).limit
    assert [limit.admit(), limit.admit()] == [0.0, 0.0]
    assert limit.admit(ceiling=30) == 0.0  # an urgent send has room above the pace
    clock.now += 20
    assert 39 <= limit.admit() <= 40  # the first slot frees 60 s after it was taken
    clock.now += 40
    assert limit.admit() == 0.0


def test_bulk_sms_are_spread_evenly(smsgate_app):
    clock = limited(smsgate_app, 20)
    limit = services(smsgate_app).sender.backend("smsgate").phones.get(None).limit
    assert limit.admit(spread=True) == 0.0
    assert 2.9 <= limit.admit(spread=True) <= 3.0  # one every 60/20 s, not 20 at once
    assert limit.admit() == 0.0  # meanwhile a notice has its slot at once
    clock.now += 3
    assert limit.admit(spread=True) == 0.0


def test_replies_leave_above_the_pace_up_to_androids_30_a_minute(smsgate_app, smsgate_api, work):
    limited(smsgate_app, 2)
    queue_notices(smsgate_app, [OFFICER] * 3)  # two leave, the pace is used up, one is parked
    work()
    queue_texts(smsgate_app, [f"+6681000{n:04d}" for n in range(30)])
    work()
    replies = [message for message in smsgate_api.messages if message["phone"] != OFFICER]
    assert len(replies) == 28  # 30 a minute in all, whatever the pace
    assert all(message["priority"] == 100 and 0 < message["ttl"] <= 900 for message in replies)
    parked = Outbox.select().where(Outbox.status == OutboxStatus.QUEUED)
    assert sorted(row.priority for row in parked) == [Priority.REPLY] * 2 + [Priority.STAFF]


def test_the_wake_up_sends_the_best_row_first(smsgate_app, smsgate_api, work):
    clock = limited(smsgate_app, 1)
    queue_notices(smsgate_app, [OFFICER])  # takes the minute's slot
    work()
    queue_notices(smsgate_app, ["+66890000001", "+66890000002"], key=lifecycle_texts.DIGEST)
    queue_notices(smsgate_app, ["+66890000003"])
    queue_notices(smsgate_app, ["+66890000004"], key=lifecycle_texts.FOR_RESIDENT)
    work()
    for _ in range(4):
        a_minute_later(smsgate_app, clock)
        work()
    order = [message["phone"] for message in smsgate_api.messages]
    assert order == [OFFICER, "+66890000004", "+66890000003", "+66890000001", "+66890000002"]


def test_a_stale_reply_is_dropped_and_counted_not_sent_late(smsgate_app, smsgate_api, work, client):
    clock = limited(smsgate_app, 2)
    queue_texts(smsgate_app, [f"+6681000{n:04d}" for n in range(31)])
    work()
    assert len(smsgate_api.messages) == 30  # Android's minute is full: the last reply is parked
    (late,) = Outbox.select().where(Outbox.status == OutboxStatus.QUEUED)
    Outbox.update(expires_at=Outbox.created_at).where(Outbox.id == late.id).execute()  # its 15 minutes are over
    a_minute_later(smsgate_app, clock)
    work()
    assert Outbox.get_by_id(late.id).status == OutboxStatus.EXPIRED and len(smsgate_api.messages) == 30
    phone = client.get("/healthz").get_json()["gateways"]["smsgate"]["phones"]["default"]
    assert phone["replies_expired"] == 1 and phone["waiting"] == {}


def test_staff_by_twilio_and_citizens_by_the_phone(demo, twilio_app, twilio_api, smsgate_app, smsgate_api, work):
    smsgate_app.config.update(SMS_BACKEND_STAFF="twilio", SMS_BACKEND_CITIZENS="smsgate")
    init_services(smsgate_app)
    smsgate_api.text_in("0812345678", "1 51010103 ถนนเป็นหลุมใหญ่")
    work()
    ref = reference.find_in(smsgate_api.to("+66812345678")[-1])
    assert ref
    assert any(ref in body for body in twilio_api.to(OFFICER))  # staff via Twilio's sender
    assert not [m for m in smsgate_api.messages if m["phone"] == OFFICER]
    assert not twilio_api.to("+66812345678")  # the citizen only via the phone
    providers = {row.phone: row.provider for row in Outbox.select()}
    assert providers["+66812345678"] == "smsgate" and providers[OFFICER] == "twilio"


def test_smsgate_test_command_sends_and_lists_inbound(demo, smsgate_app, smsgate_api, runner):
    smsgate_api.text_in("0899999999", "สวัสดี")
    result = runner.invoke(args=["smsgate-test", "--phone", "0812345678"])
    assert result.exit_code == 0, result.output
    assert "via smsgate: sent rongrian-" in result.output
    assert smsgate_api.to("+66812345678")[-1] == "ข้อความทดสอบจากระบบร้องเรียน อ่านได้แปลว่าส่งได้แล้ว"
    assert "+66899999999 answered" in result.output and InboundMessage.select().count() == 1


def test_smsgate_test_command_reports_a_failure(smsgate_app, smsgate_api, runner):
    smsgate_api.fail_next(401)
    result = runner.invoke(args=["smsgate-test", "--phone", "0812345678"])
    assert result.exit_code != 0 and "failed (smsgate 401)" in result.output
    assert "none yet" in result.output
    bad = runner.invoke(args=["smsgate-test", "--phone", "hello"])
    assert bad.exit_code != 0 and "not a phone number" in bad.output


def test_429_and_an_unreachable_phone_are_retried_not_failed(smsgate_app, smsgate_api, work):
    queue_texts(smsgate_app, CITIZENS[:1])
    smsgate_api.fail_next(429)
    work()
    assert statuses() == [OutboxStatus.SENT] and smsgate_api.requests == 2

    smsgate_api.server.stop()  # the phone is off-line
    queue_texts(smsgate_app, CITIZENS[1:2])
    work()
    row = Outbox.get(Outbox.phone == CITIZENS[1])
    assert row.status == OutboxStatus.QUEUED and "unreachable" in row.error  # the sweep tries later
