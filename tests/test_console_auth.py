"""The console's login and defences: SMS one-time codes, locks, sessions, CSRF, SECRET_KEY."""
from pathlib import Path

import pytest

from cases.store.models import Outbox, Priority
from console.codes import CODE_SECONDS, LOCK_SECONDS, MAX_WRONG
from rongrian import create_app
from rongrian.doors import UnsafeSettings
from web import services

from .console_helpers import OFFICER, file, last_code, log_in, post, token


def test_pages_need_a_session_and_csv_answers_401(demo, client):
    for path in ("/console/", "/console/cases/1234567", "/console/?status=done"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"].endswith("/console/login"), path
    assert client.get("/console/cases.csv").status_code == 401
    for action in ("accept", "done", "forward", "note"):
        response = post(client, f"/console/cases/1234567/{action}", agency="pwa", text="x")
        assert response.status_code == 303 and response.headers["Location"].endswith("/console/login")
    assert client.get("/").headers["Location"].endswith("/console/")


def test_login_by_sms_code(demo, client, app):
    csrf = token(client)
    page = client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    assert page.status_code == 200 and 'name="code"' in page.get_data(as_text=True)
    sms = Outbox.get(Outbox.phone == "+66800000101")
    assert sms.kind == "staff_login_code" and sms.priority == Priority.REPLY.value
    code = last_code(OFFICER)
    assert code in sms.body and "ระบบร้องเรียน" in sms.body
    redis = services(app).connection
    stored = {key: redis.get(key) for key in redis.keys("console:login:*")}
    assert stored and all(code.encode() not in (value or b"") for value in stored.values())  # only a hash
    assert 0 < redis.ttl(b"console:login:code:+66800000101") <= CODE_SECONDS

    response = client.post("/console/login/verify", data={"phone": "+66800000101", "code": code, "csrf_token": csrf})
    assert response.status_code == 303 and response.headers["Location"].endswith("/console/")
    assert client.get("/console/").status_code == 200
    # used up: the same code again is refused
    client.post("/console/logout", data={"csrf_token": token(client)})
    again = client.post("/console/login/verify", data={"phone": OFFICER, "code": code, "csrf_token": token(client)})
    assert again.status_code == 400 and client.get("/console/").status_code == 303


def test_a_new_code_replaces_the_old_one(demo, client):
    csrf = token(client)
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    first = last_code(OFFICER)
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    second = last_code(OFFICER)
    assert Outbox.select().where(Outbox.kind == "staff_login_code").count() == 2
    if first != second:
        assert client.post("/console/login/verify", data={"phone": OFFICER, "code": first, "csrf_token": csrf}).status_code == 400
    assert client.post("/console/login/verify", data={"phone": OFFICER, "code": second, "csrf_token": csrf}).status_code == 303


def test_five_wrong_codes_lock_the_phone_even_for_the_right_code(demo, client, app):
    csrf = token(client)
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    right = last_code(OFFICER)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    answers = [client.post("/console/login/verify", data={"phone": OFFICER, "code": wrong, "csrf_token": csrf}).status_code
               for _ in range(MAX_WRONG)]
    assert answers == [400] * (MAX_WRONG - 1) + [429]
    locked = client.post("/console/login/verify", data={"phone": OFFICER, "code": right, "csrf_token": csrf})
    assert locked.status_code == 429 and client.get("/console/").status_code == 303
    assert 0 < services(app).connection.ttl(b"console:login:locked:+66800000101") <= LOCK_SECONDS
    # a new code is not even sent while the phone is locked
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    assert Outbox.select().where(Outbox.kind == "staff_login_code").count() == 1
    services(app).connection.delete(b"console:login:locked:+66800000101")  # 15 minutes later
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    assert log_in(client, OFFICER).status_code == 303


def test_an_unknown_phone_sees_the_same_page_and_gets_no_sms(demo, client):
    csrf = token(client)
    known = client.post("/console/login", data={"phone": "0800000103", "csrf_token": csrf}).get_data(as_text=True)
    unknown = client.post("/console/login", data={"phone": "0899999999", "csrf_token": csrf}).get_data(as_text=True)
    assert unknown.replace("0899999999", "PHONE").replace("+66899999999", "PHONE") == known.replace(
        "0800000103", "PHONE").replace("+66800000103", "PHONE")
    assert [row.phone for row in Outbox.select()] == ["+66800000103"]
    bad = client.post("/console/login", data={"phone": "not a phone", "csrf_token": csrf})
    assert bad.status_code == 400 and Outbox.select().count() == 1


def test_no_csrf_token_no_change(demo, client, app, work):
    assert client.post("/console/login", data={"phone": OFFICER}).status_code == 400
    assert client.post("/console/login", data={"phone": OFFICER, "csrf_token": "forged"}).status_code == 400
    assert Outbox.select().count() == 0
    case = file(app, "road", "51010103", "หลุม")
    work()
    log_in(client, OFFICER)
    for action in ("accept", "done", "note", "forward"):
        response = client.post(f"/console/cases/{case.reference}/{action}", data={"text": "x", "agency": "pwa"})
        assert response.status_code == 400, action
    assert client.post("/console/logout").status_code == 400
    assert [event.kind for event in case.events] == ["filed", "routed"]
    assert client.get("/console/").status_code == 200  # still logged in


def cookie_header(response) -> str:
    return next(value for name, value in response.headers.items() if name == "Set-Cookie" and "rongrian_session=" in value)


def test_session_cookie_flags(demo, client, app):
    plain = cookie_header(log_in(client, OFFICER))
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain  # plain http in development
    secure_client = app.test_client()
    csrf = token(secure_client)
    secure_client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    over_https = secure_client.post("/console/login/verify", base_url="https://localhost",
                                    headers={"Referer": "https://localhost/console/login"},  # checked over https
                                    data={"phone": OFFICER, "code": last_code(OFFICER), "csrf_token": csrf})
    assert over_https.status_code == 303 and "Secure" in cookie_header(over_https)
    app.config["PUBLIC_BASE_URL"] = "https://rongrian.example.org"  # behind a proxy that ends TLS
    proxied = cookie_header(log_in(app.test_client(), OFFICER))
    assert "Secure" in proxied and "HttpOnly" in proxied and "SameSite=Lax" in proxied


@pytest.mark.parametrize("setting", ["TWILIO_AUTH_TOKEN", "SMSGATE_SIGNING_KEY"])
def test_production_without_secret_key_refuses_to_start(app, setting):
    base = {"DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": app.config["REDIS_URL"], "SECRET_KEY": None}
    with pytest.raises(UnsafeSettings, match="SECRET_KEY"):
        create_app({**base, setting: "set"})
    assert create_app({**base, setting: "set", "SECRET_KEY": "a-long-random-secret"}).secret_key == "a-long-random-secret"
    first, second = create_app(base), create_app(base)  # development: the machine's own key, made once
    assert len(first.secret_key) >= 32 and first.secret_key == second.secret_key
    assert (Path(first.instance_path) / "dev-secret-key").stat().st_mode & 0o077 == 0  # for its owner only
