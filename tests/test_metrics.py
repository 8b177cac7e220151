"""GET /metrics: closed without METRICS_TOKEN, refused without the token, and with it the
Prometheus text of what one SMS through Twilio did (its count, its webhook's latency, the
queues it filled, the SMS sent for it)."""
import pytest
from prometheus_client.parser import text_string_to_metric_families

from cases.store.models import Outbox, OutboxStatus, Priority
from workers import queue

TOKEN = "metrics-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def scrape(client) -> dict:
    """The samples of one scrape: (name, sorted labels) → value."""
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


@pytest.fixture
def watched(twilio_app):
    twilio_app.config["METRICS_TOKEN"] = TOKEN
    return twilio_app


def test_no_token_set_no_metrics(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers=BEARER).status_code == 404


def test_the_token_is_required(app):
    app.config["METRICS_TOKEN"] = TOKEN
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401
    refused = client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers=BEARER).status_code == 200


def test_one_sms_through_twilio_is_counted(demo, watched, phone, work):
    client = watched.test_client()
    quiet = scrape(client)
    assert quiet[("rongrian_inbound_sms_total", (("provider", "twilio"),))] == 0
    assert quiet[("rongrian_webhook_duration_seconds_count", (("channel", "twilio_sms"),))] == 0
    assert quiet[("rongrian_database_up", ())] == 1 and quiet[("rongrian_redis_up", ())] == 1

    assert phone("0812345678").send("1 51010103 no water since Monday")
    received = scrape(client)
    assert received[("rongrian_inbound_sms_total", (("provider", "twilio"),))] == 1
    assert received[("rongrian_inbound_sms_total", (("provider", "smsgate"),))] == 0
    assert received[("rongrian_webhook_duration_seconds_count", (("channel", "twilio_sms"),))] == 1
    assert received[("rongrian_webhook_duration_seconds_bucket", (("channel", "twilio_sms"), ("le", "+Inf")))] == 1
    assert received[("rongrian_webhook_duration_seconds_sum", (("channel", "twilio_sms"),))] > 0
    assert received[("rongrian_webhook_duration_seconds_count", (("channel", "ussd"),))] == 0
    assert received[("rongrian_rq_queue_length", (("queue", queue.ROUTE),))] == 1
    assert received[("rongrian_inbound_drains_running", ())] == 0

    work()
    sent = Outbox.select().where(Outbox.provider == "twilio", Outbox.sent_at.is_null(False)).count()
    assert sent > 0 and not Outbox.select().where(Outbox.status == OutboxStatus.QUEUED).exists()
    done = scrape(client)
    assert done[("rongrian_sms_sent_last_hour", (("provider", "twilio"),))] == sent
    assert done[("rongrian_sms_failed_last_hour", (("provider", "twilio"),))] == 0
    assert all(done[("rongrian_rq_queue_length", (("queue", name),))] == 0 for name in queue.ORDER)
    for priority in Priority:
        assert done[("rongrian_outbox_waiting", (("priority", priority.name.lower()),))] == 0
    assert done[("rongrian_gateway_up", (("gateway", "twilio"),))] == 1
    assert done[("rongrian_inbound_sms_total", (("provider", "twilio"),))] == 1  # the scrapes are not counted


def test_waiting_sms_show_by_priority_and_failures_by_provider(watched):
    Outbox.create(phone="+66812345678", body="a reply", priority=Priority.REPLY.value)
    Outbox.create(phone="+66812345679", body="a notice", priority=Priority.STAFF.value)
    Outbox.create(phone="+66812345679", body="another", priority=Priority.STAFF.value)
    Outbox.create(phone="+66812345670", body="lost", status=OutboxStatus.FAILED, provider="twilio")
    found = scrape(watched.test_client())
    assert found[("rongrian_outbox_waiting", (("priority", "reply"),))] == 1
    assert found[("rongrian_outbox_waiting", (("priority", "staff"),))] == 2
    assert found[("rongrian_outbox_waiting", (("priority", "bulk"),))] == 0
    assert found[("rongrian_sms_failed_last_hour", (("provider", "twilio"),))] == 1
    assert found[("rongrian_sms_sent_last_hour", (("provider", "twilio"),))] == 0


def test_a_phone_number_is_never_a_label(demo, watched, phone, work):
    phone("0812345678").send("1 51010103 no water since Monday")
    work()
    text = watched.test_client().get("/metrics", headers=BEARER).get_data(as_text=True)
    assert "812345678" not in text and "no water" not in text


def test_each_gateway_phone_shows(smsgate_app):
    smsgate_app.config["METRICS_TOKEN"] = TOKEN
    found = scrape(smsgate_app.test_client())
    phones = {labels for (name, labels) in found if name == "rongrian_gateway_phone_up"}
    assert phones and all(dict(labels)["gateway"] == "smsgate" for labels in phones)
    device = dict(next(iter(phones)))["device"]
    assert found[("rongrian_gateway_phone_waiting", (("device", device), ("gateway", "smsgate"), ("priority", "reply")))] == 0
