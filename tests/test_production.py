"""Production is a mode, and it is closed: start-up refuses a door that cannot check its
caller, naming the setting; Twilio's routes exist only when Twilio is configured; USSD takes
its key in a header; /healthz tells the public only up or down."""
import subprocess
import sys

import pytest

from cases.store.models import InboundMessage
from rongrian import create_app
from rongrian.doors import UnsafeSettings

from .conftest import TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, twilio_signature

STATUS = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered"}
VOICE = {"CallSid": "CA" + "1" * 32, "From": "+66812345678", "To": TWILIO_FROM}


def sms(body: str = "VIEW 1234567", sid: str = "SM" + "2" * 32) -> dict:
    return {"MessageSid": sid, "From": "+66800000101", "To": TWILIO_FROM, "Body": body}


@pytest.fixture
def production(app):
    """Settings of a province running only the Android gateway, in production mode."""
    return {
        "DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": app.config["REDIS_URL"],
        "RONGRIAN_ENV": "production", "SECRET_KEY": "a-long-random-secret", "USSD_SECRET": "ussd-key",
        "SMS_BACKEND": "smsgate", "SMSGATE_URL": "http://127.0.0.1:9/", "SMSGATE_USERNAME": "u",
        "SMSGATE_PASSWORD": "p", "SMSGATE_SIGNING_KEY": "signing-key",
        "TWILIO_AUTH_TOKEN": None, "TWILIO_ACCOUNT_SID": None, "TWILIO_WEBHOOK_SHARED_KEY": None,
    }


def test_unsigned_twilio_requests_find_no_route_without_twilio(demo, production):
    client = create_app(production).test_client()
    for path, form in (("/twilio/sms", sms()), ("/twilio/sms/status", STATUS), ("/twilio/voice", VOICE)):
        assert client.post(path, data=form).status_code == 404, path
    assert InboundMessage.select().count() == 0


def test_twilio_configured_in_production_checks_every_signature(demo, production):
    settings = {**production, "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": TWILIO_SID,
                "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "PUBLIC_BASE_URL": "https://rongrian.example.org"}
    client = create_app(settings).test_client()
    for path, form in (("/twilio/sms", sms()), ("/twilio/sms/status", STATUS), ("/twilio/voice", VOICE)):
        assert client.post(path, data=form).status_code == 403, path
        forged = {"X-Twilio-Signature": twilio_signature(path, form, token="not-the-token")}
        assert client.post(path, data=form, headers=forged).status_code == 403, path
    signed = {"X-Twilio-Signature": twilio_signature("/twilio/sms", sms("HELP"))}
    assert client.post("/twilio/sms", data=sms("HELP"), headers=signed).status_code == 200


@pytest.mark.parametrize("setting", ["USSD_SECRET", "SECRET_KEY", "SMSGATE_SIGNING_KEY"])
def test_production_refuses_to_start_without_a_door_key_and_names_it(production, setting):
    with pytest.raises(UnsafeSettings, match=setting):
        create_app({**production, setting: None})


def test_production_with_twilio_needs_its_token(production):
    with pytest.raises(UnsafeSettings, match="TWILIO_AUTH_TOKEN"):
        create_app({**production, "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": TWILIO_SID})
    with pytest.raises(UnsafeSettings, match="RONGRIAN_ENV"):
        create_app({**production, "RONGRIAN_ENV": "prod"})


def test_the_command_line_refuses_too_and_says_why(production, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "RONGRIAN_ENV": "production", "DATABASE_URL": production["DATABASE_URL"],
           "REDIS_URL": production["REDIS_URL"], "SECRET_KEY": "a-long-random-secret"}
    done = subprocess.run([sys.executable, "-c", "from rongrian import main; main()", "init-db"],
                          env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode != 0
    assert "USSD_SECRET" in done.stderr and "RONGRIAN_ENV=production" in done.stderr


def test_ussd_key_in_a_header_or_the_query(demo, production):
    client = create_app(production).test_client()
    form = {"sessionId": "ATUid_p1", "serviceCode": "*123#", "phoneNumber": "+66812345678", "text": ""}
    assert client.post("/ussd", data=form).status_code == 403
    assert client.post("/ussd", data=form, headers={"X-Ussd-Key": "wrong"}).status_code == 403
    assert client.post("/ussd", data=form, headers={"X-Ussd-Key": "ussd-key"}).get_data(as_text=True).startswith("CON ")
    assert client.post("/ussd?key=ussd-key", data={**form, "sessionId": "ATUid_p2"}).status_code == 200


def test_healthz_tells_the_public_only_up_or_down(production):
    client = create_app({**production, "METRICS_TOKEN": "metrics-token"}).test_client()
    public = client.get("/healthz")
    assert public.status_code == 200 and public.get_json() == {"status": "ok"}
    assert client.get("/healthz", headers={"Authorization": "Bearer wrong"}).get_json() == {"status": "ok"}
    detail = client.get("/healthz", headers={"Authorization": "Bearer metrics-token"}).get_json()
    assert detail["database"] == "ok" and "queues" in detail and "gateways" in detail
    assert create_app(production).test_client().get("/healthz").get_json() == {"status": "ok"}


def test_development_says_it_is_development(demo, client, app, caplog):
    assert "RONGRIAN_ENV=production" in client.get("/console/login").get_data(as_text=True)
    with caplog.at_level("WARNING"):
        create_app({"DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": app.config["REDIS_URL"]})
    warned = " ".join(record.getMessage() for record in caplog.records)
    assert "DEVELOPMENT MODE" in warned and "/ussd" in warned and "/twilio" in warned


def test_production_cookies_are_secure(demo, production):
    page = create_app(production).test_client().get("/console/login")
    assert "Secure" in page.headers["Set-Cookie"] and "HttpOnly" in page.headers["Set-Cookie"]


def test_a_nul_in_an_sms_is_dropped_not_a_500(demo, phone):
    citizen = phone("0812345678")
    assert citizen.send("STATUS\x00 1234567")
    assert "\x00" not in InboundMessage.get().body
    params = {"MessageSid": "SM\x00bad", "From": "+66812345678", "To": TWILIO_FROM, "Body": "hi"}
    response = citizen.client.post("/twilio/sms", data=params,
                                   headers={"X-Twilio-Signature": twilio_signature("/twilio/sms", params)})
    assert response.status_code == 400


def test_open311_keys_only_from_the_body_or_a_header(demo, app, client):
    app.config["OPEN311_API_KEYS"] = ["partner-key"]
    form = {"service_code": "road", "address_id": "51010103", "description": "A hole"}
    in_url = client.post("/open311/v2/requests.json?api_key=partner-key", data=form)
    assert in_url.status_code == 403 and "URL" in in_url.get_json()[0]["description"]
    assert client.post("/open311/v2/requests.json", data=form, headers={"X-Api-Key": "partner-key"}).status_code == 201
