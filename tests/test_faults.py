"""Faults the service must survive, with real parts: Redis going away during intake, a
worker killed mid-send, a provider failing or timing out, one webhook posted three times at
once, a crash between answering a message and committing. Nothing lost, nothing twice."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from cases.messages import outbox
from cases.store import reference
from cases.store.models import Case, InboundMessage, Outbox, OutboxStatus, Staff, database
from flows import inbound
from web import init_services, services
from workers import jobs

from .conftest import PUBLIC_BASE_URL, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, twilio_signature
from .waiting import wait_for

REPORTS = ["1 51010101 ถนนทรุด", "1 51010102 ถนนแตก", "2 51010201 ท่อประปาแตก", "3 51010202 ไฟดับ",
           "1 51010103 หลุมใหญ่", "3 51010301 เสาไฟล้ม"]
"""Each about its own problem (reports of one problem are linked) at an agency with staff."""
FAST_SWEEP = {"SWEEP_EVERY": "1", "STALE_AFTER": "2", "SENDING_TIMEOUT": "3", "SMS_RETRY_INTERVALS": "1,1,1"}
"""Settings that make the sweep's thresholds seconds, not minutes (the logic is the same)."""


class Workers:
    """`rongrian worker` processes against the test's database, Redis and Twilio stand-in."""

    def __init__(self, app, twilio_api, tmp_path):
        self.env = {
            **os.environ, **FAST_SWEEP,
            "DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": app.config["REDIS_URL"], "SECRET_KEY": "test",
            "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TWILIO_FROM_NUMBER": TWILIO_FROM, "TWILIO_API_BASE": twilio_api.url, "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        }
        self.logs, self.processes = tmp_path, []

    def start(self) -> subprocess.Popen:
        log = open(self.logs / f"worker-{len(self.processes)}.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-c", "from rongrian import main; main()", "worker"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.processes.append(process)
        return process

    def log_text(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.logs.glob("worker-*.log")))

    def stop(self) -> None:
        """Stop each worker as an operator would (SIGTERM); then its whole process group
        (rq's scheduler child too), so that nothing outlives the test."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def workers(twilio_app, twilio_api, tmp_path):
    running = Workers(twilio_app, twilio_api, tmp_path)
    yield running
    running.stop()


def reported(phone, count: int, prefix: str = "0870") -> list[str]:
    """``count`` one-shot reports from as many phones, each about its own problem; their references."""
    return [reference.find_in(phone(f"{prefix}{index:06d}").send(REPORTS[index])) for index in range(count)]


def at_staff(twilio_api, references: list[str]) -> bool:
    """True when every reference has reached every staff phone of the agency holding it."""
    for ref in references:
        case = Case.get(Case.reference == ref)
        phones = [member.phone for member in Staff.select().where(Staff.agency == case.agency_id)]
        if not phones or not all(any(ref in body for body in twilio_api.to(member)) for member in phones):
            return False
    return True


def missing(twilio_api, references: list[str]) -> list[tuple]:
    """What has not reached staff yet: (reference, status, agency, staff phones), for a failure's message."""
    cases = [Case.get(Case.reference == ref) for ref in references]
    return [(case.reference, case.status.value, case.agency_id) for case in cases if not at_staff(twilio_api, [case.reference])]


def duplicates(twilio_api) -> int:
    counts = Counter((message["To"], message["Body"]) for message in twilio_api.messages)
    return sum(count - 1 for count in counts.values())


def test_redis_down_during_intake_then_back(demo, phone, twilio_api, redis_server, workers):
    workers.start()
    redis_server.stop()
    try:
        references = reported(phone, 5)
    finally:
        redis_server.start()
    back = time.monotonic()
    assert all(references)  # every citizen got a reference while Redis was away
    assert wait_for(lambda: at_staff(twilio_api, references), 120), (missing(twilio_api, references), twilio_api.messages, workers.log_text()[-1500:])
    assert time.monotonic() - back < 120
    assert duplicates(twilio_api) == 0
    assert Case.select().where(Case.status == "new").count() == 0


def test_worker_killed_mid_send_then_a_new_one(demo, phone, twilio_api, workers):
    twilio_api.delay = 1.0  # each send takes a second: a kill lands in the middle of one
    first = workers.start()
    references = reported(phone, 3)
    assert wait_for(lambda: twilio_api.requests >= 1, 60), (missing(twilio_api, references), twilio_api.messages, workers.log_text()[-1500:])
    time.sleep(0.3)
    first.send_signal(signal.SIGKILL)
    first.wait()
    twilio_api.delay = 0.0
    second = workers.start()
    assert wait_for(lambda: at_staff(twilio_api, references), 180), (missing(twilio_api, references), twilio_api.messages, workers.log_text()[-1500:])
    assert duplicates(twilio_api) <= 1  # at most one per killed send
    assert wait_for(lambda: Outbox.select().where(Outbox.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING])).count() == 0, 30)
    second.terminate()  # and a worker asked to stop, stops
    assert second.wait(timeout=15) is not None


def test_provider_500_429_and_a_timeout_each_send_one_sms(demo, twilio_app, twilio_api, work):
    twilio_app.config["SEND_TIMEOUT"] = 1
    found = init_services(twilio_app)
    phones = ["+66811100001", "+66811100002", "+66811100003"]
    for trouble, number in zip(("500", "429", "timeout"), phones):
        if trouble == "timeout":
            twilio_api.hang_next(2.5)  # accepted, but the answer comes after the client gave up
        else:
            twilio_api.fail_next(int(trouble), code=20429 if trouble == "429" else 20500)
        with found.work():
            outbox.queue_text(number, f"ทดสอบ {trouble}")
        work()
    assert [len(twilio_api.to(number)) for number in phones] == [1, 1, 1]
    assert [row.status for row in Outbox.select().order_by(Outbox.id)] == [OutboxStatus.SENT] * 3


def test_same_message_sid_three_times_at_once(demo, twilio_app):
    params = {"MessageSid": "SM" + "7" * 32, "From": "+66812345678", "To": TWILIO_FROM, "Body": "1 51010103 ถนนแตกยาว"}
    headers = {"X-Twilio-Signature": twilio_signature("/twilio/sms", params)}
    replies, barrier = [], threading.Barrier(3)

    def post():
        client = twilio_app.test_client()
        barrier.wait()
        response = client.post("/twilio/sms", data=params, headers=headers)
        replies.append((response.status_code, ET.fromstring(response.data).findtext("Message")))

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(replies) == 3 and {status for status, _ in replies} == {200}
    assert len({text for _, text in replies}) == 1 and reference.find_in(replies[0][1])
    assert Case.select().count() == 1 and InboundMessage.select().count() == 1


def test_crash_before_commit_is_answered_later_by_sms_once(demo, phone, twilio_api, work, monkeypatch):
    real_respond, crashes = inbound.sms.respond, []

    def answer_then_crash(number, text):
        reply = real_respond(number, text)  # the flow answered and wrote its changes...
        if not crashes:
            crashes.append(reply.text)
            raise ConnectionError("injected: the database went away before the commit")
        return reply

    monkeypatch.setattr(inbound.sms, "respond", answer_then_crash)
    citizen = phone("0812345678")
    assert citizen.send("1 51010103 ไฟดับทั้งซอย") == ""  # no apology: the answer will come by SMS
    assert Case.select().count() == 0  # ...and they were rolled back
    work()
    answers = twilio_api.to("+66812345678")
    assert len(answers) == 1 and reference.find_in(answers[0]) and answers[0] == crashes[0].replace(
        reference.find_in(crashes[0]), reference.find_in(answers[0]))
    assert Case.select().count() == 1
    message = InboundMessage.get()
    assert message.processed and message.attempts == 1
    work()
    assert len(twilio_api.to("+66812345678")) == 1


def test_two_workers_routing_a_surge_at_once_alert_the_province_once(demo, phone, twilio_app, twilio_api):
    for index, village in enumerate(["51010101", "51010102", "51010103"] * 2):
        phone(f"08822200{index:02d}").send(f"5 {village} น้ำท่วมถึงเข่า")
    cases = [case.id for case in Case.select().order_by(Case.id)]
    barrier, errors = threading.Barrier(2), []

    def worker(ids):  # what two rq workers do with these route jobs, at the same moment
        try:
            with services(twilio_app).current():
                barrier.wait()
                for case_id in ids:
                    jobs.route_case(case_id)
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            database.close()

    threads = [threading.Thread(target=worker, args=(cases[start::2],)) for start in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Case.select().where(Case.status == "new").count() == 0
    alerts = [body for body in twilio_api.to("+66800000105") if body.startswith("แจ้งถี่")]
    assert len(alerts) == 1, alerts
