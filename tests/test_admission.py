"""In a flood the webhook only stores what it cannot answer at once; a worker answers it by
SMS, each phone's messages in their order, each once (workers/admission.py)."""
import datetime as dt
import time

from rq import Queue
from rq.registry import FinishedJobRegistry

from cases.province.phones import to_e164
from cases.store import reference
from cases.store.models import Case, InboundMessage, utcnow
from flows import inbound
from web import services
from workers import admission, queue, sweeping
from workers.admission import DRAINING

CITIZEN, OTHER = "+66812345678", "+66812345679"


def flood(app, on: bool) -> None:
    """Make every message from now on over the inline allowance (``on``), or none of them."""
    services(app).admission.per_second = -1 if on else 10**6


def test_a_flooded_message_is_stored_then_answered_by_sms_in_the_phones_order(demo, twilio_app, phone, twilio_api, work):
    citizen, other = phone("0812345678"), phone("0812345679")
    flood(twilio_app, True)
    assert citizen.send("ถนนเป็นหลุมใหญ่ หมู่ 3 ต.ในเมือง") == ""  # stored; no answer in the webhook
    assert InboundMessage.select().where(InboundMessage.processed == False).count() == 1  # noqa: E712
    flood(twilio_app, False)
    assert citizen.send("1") == ""  # the first still waits for a worker: this one waits its turn
    assert other.send("ยกเลิก")  # another phone is answered in the webhook again
    work()
    answers = twilio_api.to(CITIZEN)
    assert len(answers) == 2, answers
    assert "ใช่ไหม" in answers[0] and "1.ใช่" in answers[0]  # the reading, asked first
    ref = reference.find_in(answers[1])  # then "1" (yes) files it
    assert ref and Case.get(Case.reference == ref).village_id == "51010103"
    assert InboundMessage.select().where(InboundMessage.processed == False).count() == 0  # noqa: E712
    assert citizen.send(f"สถานะ {ref}")  # the phone's turn is over: answered in the webhook again


def test_a_copy_of_a_flooded_webhook_adds_nothing(demo, twilio_app, phone, twilio_api, work):
    citizen = phone("0812345678")
    flood(twilio_app, True)
    assert citizen.send("1 51010103 ไฟดับทั้งซอย", sid="SMflood1") == ""
    flood(twilio_app, False)
    assert citizen.send("1 51010103 ไฟดับทั้งซอย", sid="SMflood1") == ""  # waits for the first, too
    work()
    assert InboundMessage.select().count() == 1 and Case.select().count() == 1
    answers = twilio_api.to(CITIZEN)
    assert len(answers) == 1 and reference.find_in(answers[0])


def test_redis_down_means_answering_in_the_webhook(demo, twilio_app, phone, redis_server):
    flood(twilio_app, True)
    redis_server.stop()
    try:
        assert reference.find_in(phone("0812345678").send("1 51010103 ไฟดับทั้งซอย"))
    finally:
        redis_server.start()


def flooded_reports(phone, count: int) -> list[str]:
    """``count`` one-shot reports from as many phones, all left to the workers."""
    numbers = [f"0862{index:06d}" for index in range(count)]
    for index, number in enumerate(numbers):
        assert phone(number).send(f"{1 + index % 3} 51010103 ไฟดับทั้งซอย {index}") == ""
    return [to_e164(number) for number in numbers]


def lua_calls(connection) -> int:
    """Admission's calls to Redis (each is one Lua script)."""
    return connection.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)


def test_a_flood_costs_the_webhook_no_redis_call_per_message_and_the_drains_answer_all(
    demo, twilio_app, phone, twilio_api, work, monkeypatch
):
    monkeypatch.setattr(admission, "TRUST", 1.0)  # as deployed while the flood comes
    connection = services(twilio_app).connection
    flood(twilio_app, True)
    before = lua_calls(connection)
    started = time.monotonic()
    phones = flooded_reports(phone, 30)
    syncs = (time.monotonic() - started) / admission.SYNC_EVERY + 1
    # a count each SYNC_EVERY, the drains started once (and each script's first call loads it)
    assert lua_calls(connection) - before <= syncs + 1 + 2
    assert Queue(queue.INBOUND, connection=connection).count == admission.DRAINS  # the drains, not 30 jobs
    assert inbound.left_to_workers_count() == 30
    assert twilio_app.test_client().get("/healthz").get_json()["inbound_left_to_workers"] == 30
    monkeypatch.setattr(admission, "TRUST", 0.02)
    work()
    assert all(len(twilio_api.to(number)) == 1 and reference.find_in(twilio_api.to(number)[0]) for number in phones)
    assert Case.select().count() == 30
    assert inbound.left_to_workers_count() == 0 and not connection.exists(*DRAINING)


def test_a_long_drain_hands_the_rest_to_a_fresh_job(demo, twilio_app, phone, twilio_api, work, monkeypatch):
    monkeypatch.setattr(admission, "DRAIN_SECONDS", 0)  # each drain job takes one batch, then hands over
    monkeypatch.setattr(admission, "DRAINING", admission.DRAINING[:1])  # one drain slot
    flood(twilio_app, True)
    phones = flooded_reports(phone, admission.TAKE + 5)
    work()
    assert [len(twilio_api.to(number)) for number in phones] == [1] * len(phones)
    finished = FinishedJobRegistry(queue.INBOUND, connection=services(twilio_app).connection)
    assert len(finished.get_job_ids()) == 2


def test_messages_of_a_drain_that_died_are_answered_once(demo, twilio_app, phone, twilio_api, work):
    connection = services(twilio_app).connection
    flood(twilio_app, True)
    phones = flooded_reports(phone, 5)
    Queue(queue.INBOUND, connection=connection).empty()  # the drains' jobs lost with their workers
    connection.delete(*DRAINING)  # their marks lapsed
    time.sleep(admission.TRUST)  # and the web no longer trusts it saw them
    assert phone("0863000000").send("2 51010103 น้ำไม่ไหล") == ""  # the next flooded message starts a drain
    work()
    for number in phones + ["+66863000000"]:
        assert len(twilio_api.to(number)) == 1, number
    assert InboundMessage.select().where(InboundMessage.processed == False).count() == 0  # noqa: E712


def test_the_sweep_leaves_a_running_drain_its_messages_and_takes_those_of_a_dead_one(
    demo, twilio_app, phone, twilio_api, work
):
    found = services(twilio_app)
    flood(twilio_app, True)
    phones = flooded_reports(phone, 3)
    InboundMessage.update(received_at=utcnow() - dt.timedelta(minutes=10)).execute()  # long stale
    assert sweeping.sweep(found)["inbound"] == 0  # the drains started for them will answer them
    Queue(queue.INBOUND, connection=found.connection).empty()  # the drains' jobs lost with their workers
    found.connection.delete(*DRAINING)  # their marks lapsed
    assert sweeping.sweep(found)["inbound"] == 3
    work()
    assert [len(twilio_api.to(number)) for number in phones] == [1, 1, 1]


def test_a_phones_next_message_waits_its_turn_even_when_its_drain_died(demo, twilio_app, phone, twilio_api, work):
    citizen = phone("0812345678")
    flood(twilio_app, True)
    assert citizen.send("ถนนเป็นหลุมใหญ่ หมู่ 3 ต.ในเมือง") == ""
    connection = services(twilio_app).connection
    Queue(queue.INBOUND, connection=connection).empty()  # the drain's job lost with its worker
    connection.delete(*DRAINING)  # its mark lapsed
    flood(twilio_app, False)
    time.sleep(admission.SYNC_EVERY)  # the next count sees no drain running
    assert citizen.send("1") == ""  # the first still waits: so does this one (a fresh drain starts)
    work()
    answers = twilio_api.to(CITIZEN)
    assert len(answers) == 2 and "ใช่ไหม" in answers[0] and reference.find_in(answers[1]), answers


def test_inbound_drains_sets_how_many_drains_share_a_flood(demo, twilio_app, phone, twilio_api, work):
    found = services(twilio_app)
    found.admission.drains = 3  # INBOUND_DRAINS=3: three worker processes
    flood(twilio_app, True)
    phones = flooded_reports(phone, 9)
    jobs = Queue(queue.INBOUND, connection=found.connection).get_jobs()
    assert sorted(job.args for job in jobs) == [(0, 3), (1, 3), (2, 3)]  # each drain knows its share of three
    assert found.connection.exists(*admission.marks(3)) == 3
    work()
    assert [len(twilio_api.to(number)) for number in phones] == [1] * 9
    assert inbound.left_to_workers_count() == 0
