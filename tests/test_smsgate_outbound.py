"""Sending through the Android phone: its rate limit, both gateways side by side, the
test command."""
import time

from rq.registry import ScheduledJobRegistry

from cases import outbox
from cases.models import InboundMessage, Outbox, OutboxStatus, Priority
from sms_gateway import services
from sms_gateway.web import init_services
from workers import queue

CITIZENS = [f"+668123456{n:02d}" for n in range(5)]
OFFICER = "+66800000101"


class Clock:
    """The rate limit's clock, moved by hand."""

    def __init__(self, now: float = 1_750_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def limited(app, per_minute: int) -> Clock:
    app.config["SMSGATE_MAX_PER_MINUTE"] = per_minute
    clock = Clock()
    init_services(app).sender.backend("smsgate").limit.clock = clock
    return clock


def queue_texts(app, phones) -> None:
    with services(app).work():
        for phone in phones:
            outbox.queue_text(phone, "Rongrian rate test")


def statuses() -> list[OutboxStatus]:
    return [row.status for row in Outbox.select().order_by(Outbox.id)]


def scheduled_registry(app) -> ScheduledJobRegistry:
    return ScheduledJobRegistry(queue.SMS[Priority.REPLY], connection=services(app).connection)


def a_minute_later(app, clock: Clock) -> None:
    """Move the limiter's clock on and let rq's scheduler release what it holds."""
    clock.now += 61
    registry = scheduled_registry(app)
    for job_id in registry.get_job_ids():
        registry.requeue(job_id)


def test_over_the_rate_rows_wait_on_the_scheduler_and_none_is_lost(smsgate_app, smsgate_api, work):
    clock = limited(smsgate_app, 2)
    queue_texts(smsgate_app, CITIZENS)
    work()
    assert len(smsgate_api.messages) == 2
    assert statuses().count(OutboxStatus.SENT) == 2 and statuses().count(OutboxStatus.QUEUED) == 3
    registry = scheduled_registry(smsgate_app)
    assert registry.count == 3  # one scheduled try per waiting row, about a minute away
    for job_id in registry.get_job_ids():
        wait = registry.get_scheduled_time(job_id).timestamp() - time.time()
        assert job_id.startswith("send_sms-") and 50 <= wait <= 61

    a_minute_later(smsgate_app, clock)
    work()
    assert len(smsgate_api.messages) == 4 and scheduled_registry(smsgate_app).count == 1

    a_minute_later(smsgate_app, clock)
    work()
    assert statuses() == [OutboxStatus.SENT] * 5
    assert sorted(message["phone"] for message in smsgate_api.messages) == CITIZENS  # each once
    assert scheduled_registry(smsgate_app).count == 0


def test_deferred_rows_are_not_failed_nor_counted_as_attempts(smsgate_app, smsgate_api, work):
    limited(smsgate_app, 1)
    queue_texts(smsgate_app, CITIZENS[:3])
    work()
    waiting = [row for row in Outbox.select() if row.status == OutboxStatus.QUEUED]
    assert len(waiting) == 2 and all(row.attempts == 0 and row.error is None for row in waiting)


def test_the_limit_is_shared_and_slides(smsgate_app):
    clock = limited(smsgate_app, 2)
    limit = services(smsgate_app).sender.backend("smsgate").limit
    assert [limit.admit(), limit.admit()] == [0.0, 0.0]
    clock.now += 20
    assert 39 <= limit.admit() <= 40  # the first slot frees 60 s after it was taken
    clock.now += 40
    assert limit.admit() == 0.0


def test_staff_by_twilio_and_citizens_by_the_phone(demo, twilio_app, twilio_api, smsgate_app, smsgate_api, work):
    from cases import reference

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
