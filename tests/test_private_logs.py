"""Logs without secrets: the paths that touch a citizen's number or a login code leave no
whole number and no code in any log line (every test is watched for whole numbers by
``conftest.log_watch``; here the code is watched too, and the lines are read again)."""
import logging

from cases.province.phones import masked
from cases.store.models import Outbox, OutboxStatus

from .console_helpers import OFFICER, last_code, token
from .leakwatch import WHOLE_NUMBER

CITIZEN = "0812345678"


def test_a_login_code_and_the_numbers_never_reach_the_log(demo, client, work, log_watch, caplog):
    caplog.set_level(logging.INFO)
    csrf = token(client)
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    code = last_code(OFFICER)
    log_watch.secrets.add(code)
    work()  # the console backend "sends" it: into the log, in development
    sent = [line for line in log_watch.lines if "staff_login_code" in line]
    assert sent and masked("+66800000101") in sent[0] and "never in a log" in sent[0]
    assert client.post("/console/login/verify", data={"phone": OFFICER, "code": code, "csrf_token": csrf}).status_code == 303
    assert any("console login: 08x-xxx-0101" in line for line in log_watch.lines)
    assert not log_watch.leaked()


def test_a_citizens_report_a_failed_send_and_a_dead_session_log_no_number(
        demo, phone, twilio_api, work, redis_server, log_watch):
    log_watch.secrets.add("ถนนเป็นหลุม")  # a citizen's words reach no log line either
    citizen = phone(CITIZEN)
    citizen.send("1 51010103 ถนนเป็นหลุม โทร 081-234-5678")
    twilio_api.fail_next(400, code=21211)  # the receipt cannot be delivered: logged, masked
    work()
    failed = Outbox.get(Outbox.status == OutboxStatus.FAILED)
    assert any(f"SMS {failed.id} to {masked(failed.phone)} failed for good" in line for line in log_watch.lines)
    redis_server.stop()  # the USSD session cannot be kept: logged without the number
    try:
        citizen.client.post("/ussd", data={"sessionId": "ATUid_log", "phoneNumber": CITIZEN, "text": ""})
    finally:
        redis_server.start()
    assert any("Redis unavailable" in line for line in log_watch.lines)
    assert log_watch.lines and not [line for line in log_watch.lines if WHOLE_NUMBER.search(line)]
    assert not log_watch.leaked()
