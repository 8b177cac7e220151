"""The Android gateway under load and with several phones: the citizen's replies leave within
seconds while 300 reminders wait at 20 a minute (a real `rongrian worker` process, real time);
replies leave from the phone and SIM that received the citizen's SMS; a failing or silent
phone is skipped, its waiting SMS carried by the others, and /healthz names it as down."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from cases.language import lifecycle_texts
from cases.store import reference
from cases.store.models import Outbox, OutboxStatus, Priority
from web import init_services, services

from .standins.smsgate_api import PASSWORD, SIGNING_KEY, USERNAME
from .test_smsgate_outbound import a_minute_later, limited, queue_notices
from .waiting import wait_for

CITIZEN = "+66812345678"
DEVICES = ["phone-a", "phone-b", "phone-c"]
MENU = ["ถนนหน้าบ้านเป็นหลุม", "ในเมือง", "๓", "1"]
"""A citizen's whole report: their words (the type is read), subdistrict, moo, yes to the reading."""
REMINDED = [f"+6690000{n:04d}" for n in range(300)]


def with_phones(app, per_minute: int = 100):
    """The gateway account with three phones; the pace's clock, moved by hand."""
    app.config["SMSGATE_DEVICES"] = ",".join(DEVICES)
    return limited(app, per_minute)


def phones_report(client) -> dict:
    return client.get("/healthz").get_json()["gateways"]["smsgate"]["phones"]


@pytest.fixture
def worker(smsgate_app, smsgate_api, tmp_path):
    """A `rongrian worker` process against the test's database, Redis and gateway stand-in."""
    env = {
        **os.environ, "DATABASE_URL": smsgate_app.config["DATABASE_URL"], "REDIS_URL": smsgate_app.config["REDIS_URL"],
        "SECRET_KEY": "test", "SMS_BACKEND": "smsgate", "SMSGATE_URL": smsgate_api.url, "SMSGATE_USERNAME": USERNAME,
        "SMSGATE_PASSWORD": PASSWORD, "SMSGATE_SIGNING_KEY": SIGNING_KEY, "SMSGATE_MAX_PER_MINUTE": "20",
        "SMS_RETRY_INTERVALS": "1,1,1",
    }
    env.pop("SMSGATE_DEVICES", None)
    log = open(tmp_path / "worker.log", "wb")
    process = subprocess.Popen([sys.executable, "-c", "from rongrian import main; main()", "worker"],
                               env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    yield process
    for signal_number, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):  # the worker and rq's scheduler child
        try:
            os.killpg(process.pid, signal_number)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    log.close()


def test_the_citizen_first_while_300_reminders_wait(demo, smsgate_app, smsgate_api, worker, client, tmp_path):
    smsgate_app.config["SMSGATE_MAX_PER_MINUTE"] = 20
    init_services(smsgate_app)
    queue_notices(smsgate_app, REMINDED, key=lifecycle_texts.DIGEST)  # 300 bulk SMS for the one phone
    bulk = lambda: [message for message in smsgate_api.messages if message["phone"] in set(REMINDED)]  # noqa: E731
    parked = lambda: phones_report(client)["default"]["waiting"].get("bulk", {}).get("count", 0)  # noqa: E731
    assert wait_for(lambda: parked() >= 290, 60, step=0.5), (tmp_path / "worker.log").read_text()[-3000:]
    assert wait_for(lambda: len(bulk()) >= 3, 15)  # the backlog drains at its pace, one every 3 s

    latencies = []
    for text in MENU:
        before = len(smsgate_api.sent_to(CITIZEN))
        texted = time.time()
        smsgate_api.text_in("0812345678", text)
        assert wait_for(lambda: len(smsgate_api.sent_to(CITIZEN)) > before, 10), f"no reply to {text!r} in 10 s"
        reply = smsgate_api.sent_to(CITIZEN)[-1]
        latencies.append(reply["at"] - texted)
        receipt = text == MENU[-1]  # the reference is never stale: no expiry; the questions expire
        assert reply["priority"] == 100 and (reply["ttl"] is None if receipt else reply["ttl"] <= 900)
    ref = reference.find_in(smsgate_api.sent_to(CITIZEN)[-1]["text"])
    assert ref, smsgate_api.sent_to(CITIZEN)[-1]["text"]
    assert wait_for(lambda: any(ref in m["text"] and m["phone"] != CITIZEN for m in smsgate_api.messages), 10)
    officer = next(m["phone"] for m in smsgate_api.messages if ref in m["text"] and m["phone"] != CITIZEN)

    smsgate_api.text_in(officer, f"รับ {ref}")
    assert wait_for(lambda: len(smsgate_api.sent_to(CITIZEN)) > len(MENU), 10)  # "accepted" to the citizen
    done_at = time.time()
    smsgate_api.text_in(officer, f"DONE {ref} ซ่อมหลุมแล้ว")
    assert wait_for(lambda: "ซ่อมหลุมแล้ว" in smsgate_api.sent_to(CITIZEN)[-1]["text"], 10)
    status = smsgate_api.sent_to(CITIZEN)[-1]
    still_waiting = Outbox.select().where((Outbox.status == OutboxStatus.QUEUED) & (Outbox.priority == Priority.BULK)).count()
    overtaken = [message for message in bulk() if done_at <= message["at"] <= status["at"]]
    print(f"\nreply latencies (s): {[round(latency, 2) for latency in latencies]}; status SMS after DONE: "
          f"{status['at'] - done_at:.2f} s; reminders sent {len(bulk())}, waiting {still_waiting}")
    assert max(latencies) < 10 and status["at"] - done_at < 10
    assert still_waiting > 250 and len(overtaken) <= 1  # the status SMS went before the queued reminders

    sent = [message["at"] for message in bulk()]
    assert all(later - earlier >= 2.9 for earlier, later in zip(sent, sent[1:]))  # 20 a minute, spread out
    phone = phones_report(client)["default"]
    assert phone["up"] and phone["waiting"]["bulk"]["count"] == still_waiting
    assert phone["waiting"]["bulk"]["oldest_seconds"] >= 5 and phone["last_success_seconds_ago"] <= 10
    assert phone["sent_last_minute"] >= len(MENU) + len(sent)
    assert len({message["id"] for message in smsgate_api.messages}) == len(smsgate_api.messages)  # none twice


def test_replies_leave_from_the_phone_and_sim_that_received_them(demo, smsgate_app, smsgate_api, work):
    with_phones(smsgate_app)
    received_by = {"+66812345601": ("phone-a", 1), "+66812345602": ("phone-b", 2), "+66812345603": ("phone-c", 1)}
    for text in MENU:
        for citizen, (device, sim) in received_by.items():
            smsgate_api.text_in(citizen, text, device=device, sim=sim)
        work()
    for citizen, (device, sim) in received_by.items():
        replies = [m for m in smsgate_api.sent_to(citizen) if m["priority"] == 100]
        assert len(replies) == len(MENU), [(r.id, r.phone, r.status, r.device, r.provider, r.error, r.attempts) for r in Outbox.select()]
        assert {(m["deviceId"], m["simNumber"]) for m in replies} == {(device, sim)}

    smsgate_api.text_in("+66812345601", "สถานะ", device="phone-c", sim=2)  # the same citizen, another phone
    work()
    last = smsgate_api.sent_to("+66812345601")[-1]
    assert (last["deviceId"], last["simNumber"]) == ("phone-c", 2)
    assert all(message["deviceId"] in DEVICES for message in smsgate_api.messages)


def test_notices_go_to_the_least_loaded_phone_each_at_its_pace(smsgate_app, smsgate_api, work):
    clock = with_phones(smsgate_app, per_minute=2)
    queue_notices(smsgate_app, [f"+6689000{n:04d}" for n in range(9)])
    work()
    assert Counter(message["deviceId"] for message in smsgate_api.messages) == {"phone-a": 2, "phone-b": 2, "phone-c": 2}
    parked = Counter(row.device for row in Outbox.select().where(Outbox.status == OutboxStatus.QUEUED))
    assert parked == {"phone-a": 1, "phone-b": 1, "phone-c": 1}  # each phone at its own pace
    a_minute_later(smsgate_app, clock)
    work()
    assert Counter(message["deviceId"] for message in smsgate_api.messages) == {"phone-a": 3, "phone-b": 3, "phone-c": 3}
    assert [row.status for row in Outbox.select()] == [OutboxStatus.SENT] * 9


def test_a_failing_phone_is_skipped_its_sms_carried_and_shown_down(demo, smsgate_app, smsgate_api, work, client):
    clock = with_phones(smsgate_app, per_minute=1)
    queue_notices(smsgate_app, [f"+6689000{n:04d}" for n in range(6)])
    work()  # one notice per phone leaves, one per phone is parked
    parked_on_c = Outbox.get((Outbox.status == OutboxStatus.QUEUED) & (Outbox.device == "phone-c"))
    smsgate_api.fail_device("phone-c")
    smsgate_api.text_in(CITIZEN, "สวัสดี", device="phone-c", sim=2)
    work()  # the reply fails on phone-c until it is down, then leaves from another phone
    (reply,) = smsgate_api.sent_to(CITIZEN)
    assert reply["deviceId"] in ("phone-a", "phone-b") and reply["simNumber"] is None
    assert Outbox.get(Outbox.phone == CITIZEN).attempts == 4  # three failures on phone-c, then down
    report = phones_report(client)
    assert report["phone-c"]["up"] is False and report["phone-c"]["down_because"] == "failing"
    assert report["phone-a"]["up"] and report["phone-b"]["up"]

    for _ in range(3):  # phone-c's wake-up hands its notice over; the others send at their pace
        a_minute_later(smsgate_app, clock)
        work()
    assert [row.status for row in Outbox.select()] == [OutboxStatus.SENT] * 7
    carried = Outbox.get_by_id(parked_on_c.id)
    assert carried.device in ("phone-a", "phone-b") and carried.attempts == 1
    assert all(message["device"] != "phone-c" for message in smsgate_api.messages[3:])


def test_a_silent_phone_is_shown_down_and_skipped(smsgate_app, smsgate_api, work, client):
    with_phones(smsgate_app)
    phone_c = services(smsgate_app).sender.backend("smsgate").phones.get("phone-c")
    # the gateway took an SMS for phone-c three minutes ago, and phone-c has not fetched it
    smsgate_api.silent.add("phone-c")
    smsgate_api.last_seen["phone-c"] = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    phone_c.health.sent(at=time.time() - 180)
    queue_notices(smsgate_app, [f"+6689000{n:04d}" for n in range(6)])
    work()
    assert Counter(message["deviceId"] for message in smsgate_api.messages) == {"phone-a": 3, "phone-b": 3}
    report = phones_report(client)
    assert report["phone-c"]["up"] is False and report["phone-c"]["down_because"] == "silent"
