"""The Twilio SMS adapter: signatures, duplicates, bad input, delivery reports."""
import pytest
from twilio.request_validator import RequestValidator

from cases.store.models import Case, InboundMessage, Outbox, OutboxStatus

from .conftest import TWILIO_FROM, twilio_signature


def post_signed(client, params, path="/twilio/sms", signature=None):
    headers = {"X-Twilio-Signature": signature if signature is not None else twilio_signature(path, params)}
    return client.post(path, data=params, headers=headers)


def test_duplicate_message_sid_creates_nothing_twice(demo, twilio_app, work):
    client = twilio_app.test_client()
    params = {"MessageSid": "SMdup1", "From": "0812345678", "To": TWILIO_FROM, "Body": "1 51010103 ไฟดับทั้งซอย"}
    first = post_signed(client, params)
    second = post_signed(client, params)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert InboundMessage.select().count() == 1
    assert Case.select().count() == 1
    work()
    assert Case.select().count() == 1


def test_forged_signature_gets_403_and_nothing_is_stored(demo, twilio_app):
    client = twilio_app.test_client()
    params = {"MessageSid": "SMforged", "From": "+66812345678", "To": TWILIO_FROM, "Body": "hello"}
    assert post_signed(client, params, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert post_signed(client, params, signature="").status_code == 403
    tampered = dict(params, Body="something else")
    assert post_signed(client, tampered, signature=twilio_signature("/twilio/sms", params)).status_code == 403
    assert InboundMessage.select().count() == 0


def test_signature_is_checked_against_public_base_url(demo, twilio_app):
    """Behind a proxy Twilio signs the public URL, not the one Flask sees."""
    client = twilio_app.test_client()
    params = {"MessageSid": "SMproxy", "From": "+66812345678", "To": TWILIO_FROM, "Body": "hello"}
    local = RequestValidator("test-auth-token").compute_signature("http://localhost/twilio/sms", params)
    assert post_signed(client, params, signature=local).status_code == 403
    assert post_signed(client, params).status_code == 200


SHARED_KEY = "webhook-setting-shared-key"


@pytest.mark.parametrize("algorithm", ["HMAC_SHA256", "HMAC_SHA1"])
def test_a_webhook_signed_by_a_webhook_setting_is_checked_with_its_shared_key(demo, twilio_app, algorithm):
    client = twilio_app.test_client()
    params = {"MessageSid": f"SMkey{algorithm}", "From": "+66812345678", "To": TWILIO_FROM, "Body": "ไฟดับ"}
    settings = {"X-Twilio-Webhooks-Signature-Settings": f"key=webhooks_sharedkey_1,algorithm={algorithm}"}

    def post(signature):
        return client.post("/twilio/sms", data=params, headers={"X-Twilio-Signature": signature, **settings})

    signed = RequestValidator(SHARED_KEY).compute_signature(twilio_app.config["PUBLIC_BASE_URL"] + "/twilio/sms",
                                                            params, algorithm)
    refused = post(signed)  # the app was not given the SharedKey: refused, and said why
    assert refused.status_code == 403 and b"TWILIO_WEBHOOK_SHARED_KEY" in refused.data
    twilio_app.config["TWILIO_WEBHOOK_SHARED_KEY"] = SHARED_KEY
    assert post(twilio_signature("/twilio/sms", params)).status_code == 403  # the Auth Token's: not this time
    assert InboundMessage.select().count() == 0
    assert post(signed).status_code == 200 and InboundMessage.select().count() == 1


def test_an_unknown_signature_algorithm_is_refused(demo, twilio_app):
    twilio_app.config["TWILIO_WEBHOOK_SHARED_KEY"] = SHARED_KEY
    params = {"MessageSid": "SMalgo", "From": "+66812345678", "To": TWILIO_FROM, "Body": "ไฟดับ"}
    response = twilio_app.test_client().post("/twilio/sms", data=params, headers={
        "X-Twilio-Signature": twilio_signature("/twilio/sms", params),
        "X-Twilio-Webhooks-Signature-Settings": "key=k,algorithm=HMAC_SHA3_512",
    })
    assert response.status_code == 403 and InboundMessage.select().count() == 0


def test_a_repeated_parameter_is_signed_with_every_value(demo, twilio_app):
    params = {"MessageSid": "SMmulti", "From": "+66812345678", "To": TWILIO_FROM, "Body": "ไฟดับ",
              "MediaUrl": ["https://a.example/1", "https://a.example/2"]}
    signature = RequestValidator("test-auth-token").compute_signature(
        twilio_app.config["PUBLIC_BASE_URL"] + "/twilio/sms", _MultiParams(params))
    response = twilio_app.test_client().post("/twilio/sms", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


class _MultiParams(dict):
    """Parameters as Twilio signs them: every value of a repeated one."""

    def getall(self, name):
        value = self[name]
        return value if isinstance(value, list) else [value]


def test_no_token_means_no_signature_check_in_development(demo, client):
    params = {"MessageSid": "SMdev", "From": "+66812345678", "To": TWILIO_FROM, "Body": "hello"}
    assert client.post("/twilio/sms", data=params).status_code == 200


FUZZ_BODIES = [
    b"",
    b"x" * 10_000,
    bytes(range(256)),
    b"MessageSid=SM1&From=%2B66812345678&Body=%FF%FE%FD",
    "MessageSid=SM2&From=%2B66812345678&Body=🚧🚧 ถนนพัง 💥".encode(),
    b"MessageSid=SM3&From=not-a-phone&Body=hi",
    b"MessageSid=&From=%2B66812345678&Body=hi",
    b"MessageSid=SM4&From=%2B66812345678&Body=" + b"A" * 70_000,
]


@pytest.mark.parametrize("body", FUZZ_BODIES, ids=range(len(FUZZ_BODIES)))
def test_fuzzed_bodies_never_500(demo, client, body):
    response = client.post("/twilio/sms", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    if response.status_code == 200:
        assert response.data.startswith(b"<?xml")
    else:
        assert 400 <= response.status_code < 500 and response.data


def test_json_and_wrong_methods_are_4xx(demo, client):
    assert client.post("/twilio/sms", json={"Body": "hi"}).status_code == 400
    assert client.get("/twilio/sms").status_code == 405


def test_status_callback_records_delivery(demo, phone, twilio_app, twilio_api, work):
    phone("0812345678").send("1 51010103 ถนนพัง")
    work()
    row = Outbox.select().where(Outbox.status == OutboxStatus.SENT).first()
    params = {"MessageSid": row.provider_id, "MessageStatus": "delivered"}
    client = twilio_app.test_client()
    response = post_signed(client, params, path="/twilio/sms/status")
    assert response.status_code == 204
    assert Outbox.get_by_id(row.id).status == OutboxStatus.DELIVERED
    assert post_signed(client, {"MessageSid": "SMunknown", "MessageStatus": "failed"}, path="/twilio/sms/status").status_code == 204
    assert post_signed(client, {"MessageStatus": "failed"}, path="/twilio/sms/status").status_code == 400
    assert post_signed(client, params, path="/twilio/sms/status", signature="forged").status_code == 403


def test_webhooks_carry_no_session_cookie_but_the_console_does(demo, twilio_app):
    client = twilio_app.test_client()
    client.set_cookie("rongrian_session", "not-even-signed")  # read by nothing outside the console
    answer = post_signed(client, {"MessageSid": "SMcookie", "From": "0812345678", "To": TWILIO_FROM, "Body": "สถานะ"})
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    assert "Set-Cookie" not in client.get("/open311/v2/services.json").headers
    login = client.get("/console/login")
    assert login.status_code == 200 and "rongrian_session=" in login.headers.get("Set-Cookie", "")
