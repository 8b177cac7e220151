"""The console's login against guessing and flooding: limits per address and in all, growing
locks, codes per phone a day, the same answers for staff and unknown phones, server-side
sessions (log-out, absolute lifetime) and no sent code left in the outbox."""
import datetime as dt
import re
import time

from cases.store.models import Outbox, OutboxStatus
from console import codes, sessions
from console.formatting import retry_time
from web import services

from .console_helpers import CODE, OFFICER, TOKEN, last_code, log_in, token

UNKNOWN = "0899999999"
UNTIL = re.compile(r"(หลังเวลา|ถึงเวลา) [^<]*?\d{1,2}:\d{2}")
"""A refusal's page says when to try again (in Thai, the pages' language)."""
NOTICE = 'class="notice"'
"""The "a code is on its way" paragraph."""


def ask(client, phone: str, csrf: str, address: str = "127.0.0.1"):
    return client.post("/console/login", data={"phone": phone, "csrf_token": csrf}, environ_base={"REMOTE_ADDR": address})


def attempt(client, phone: str, code: str, csrf: str, address: str = "127.0.0.1"):
    return client.post("/console/login/verify", data={"phone": phone, "code": code, "csrf_token": csrf},
                       environ_base={"REMOTE_ADDR": address})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1000000:06d}"


def anonymous(page: str, phone: str) -> str:
    """A page with its phone number (either form) replaced, and what changes with the clock
    (the CSRF token's signed time, a minute to try again after)."""
    local = "0" + phone.lstrip("0")
    page = TOKEN.sub("TOKEN", page.replace(local, "PHONE").replace("+66" + local[1:], "PHONE"))
    return re.sub(r"\d{1,2}:\d{2}", "HH:MM", page)


def test_one_address_may_ask_10_codes_and_try_20_an_hour(demo, client):
    csrf = token(client)
    answers = [ask(client, f"08999990{n:02d}", csrf).status_code for n in range(codes.IP_MAX_CODES + 1)]
    assert answers == [200] * codes.IP_MAX_CODES + [429]
    refused = ask(client, OFFICER, csrf)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and NOTICE not in page and UNTIL.search(page)
    assert Outbox.select().count() == 0  # the officer's code was not sent either
    assert ask(client, OFFICER, csrf, address="10.0.0.2").status_code == 200  # another address may
    code = last_code(OFFICER)

    tries = [attempt(client, UNKNOWN, "123456", csrf).status_code for _ in range(codes.IP_MAX_TRIES)]
    assert tries == [400] * codes.IP_MAX_TRIES
    refused = attempt(client, OFFICER, code, csrf)  # even the right code, from this address
    assert refused.status_code == 429 and UNTIL.search(refused.get_data(as_text=True))
    assert client.get("/console/").status_code == 303
    assert attempt(client, OFFICER, code, csrf, address="10.0.0.2").status_code == 303


def test_the_whole_console_takes_300_tries_an_hour(demo, client):
    csrf = token(client)
    per_address = codes.IP_MAX_TRIES
    for n in range(codes.ALL_MAX_TRIES):  # a slow guess spread over many addresses and phones
        assert attempt(client, f"0899{n:06d}", "123456", csrf, address=f"10.1.{n // per_address}.1").status_code == 400
    assert ask(client, OFFICER, csrf, address="10.2.0.1").status_code == 200
    refused = attempt(client, OFFICER, last_code(OFFICER), csrf, address="10.2.0.2")
    assert refused.status_code == 429 and UNTIL.search(refused.get_data(as_text=True))
    assert client.get("/console/").status_code == 303
    ttl = services(client.application).connection.ttl("console:login:all-tries:all")
    assert 0 < ttl <= codes.LIMIT_SECONDS


def test_the_whole_console_sends_600_codes_an_hour(demo, client):
    csrf = token(client)
    for n in range(codes.ALL_MAX_CODES):
        assert ask(client, f"0899{n:06d}", csrf, address=f"10.1.{n // codes.IP_MAX_CODES}.1").status_code == 200
    refused = ask(client, OFFICER, csrf, address="10.2.0.1")
    assert refused.status_code == 429 and UNTIL.search(refused.get_data(as_text=True))
    assert Outbox.select().count() == 0


def test_locks_grow_from_15_minutes_doubling_up_to_a_day(demo, client, app):
    redis = services(app).connection
    csrf = token(client)
    for nth, expected in enumerate((15 * 60, 30 * 60, 60 * 60), start=1):
        redis.delete("console:login:asked:+66800000101")  # 15 minutes later
        assert ask(client, OFFICER, csrf, address=f"10.0.{nth}.1").status_code == 200
        bad = wrong(last_code(OFFICER))
        answers = [attempt(client, OFFICER, bad, csrf, address=f"10.0.{nth}.1") for _ in range(codes.MAX_WRONG)]
        assert [answer.status_code for answer in answers] == [400] * (codes.MAX_WRONG - 1) + [429]
        assert UNTIL.search(answers[-1].get_data(as_text=True))
        assert expected - 5 < redis.ttl("console:login:locked:+66800000101") <= expected, nth
        locked = ask(client, OFFICER, csrf, address=f"10.0.{nth}.2")
        assert locked.status_code == 429 and UNTIL.search(locked.get_data(as_text=True))
        redis.delete("console:login:locked:+66800000101")  # the lock ran out
    assert redis.ttl("console:login:locks:+66800000101") > codes.LOCK_MEMORY_SECONDS
    assert [codes.lock_seconds(nth) for nth in (1, 2, 3, 4, 7, 8, 100)] == [
        900, 1800, 3600, 7200, 57600, 86400, 86400]
    assert Outbox.select().count() == 3


def test_wrong_codes_without_an_active_code_lock_nobody(demo, client, app):
    csrf = token(client)
    for n in range(3 * codes.MAX_WRONG):  # someone who knows the number, no code asked for
        assert attempt(client, OFFICER, f"{n:06d}", csrf, address=f"10.0.{n}.1").status_code == 400
    redis = services(app).connection
    assert not redis.exists("console:login:locked:+66800000101", "console:login:wrong:+66800000101")
    assert log_in(client, OFFICER).status_code == 303
    client.post("/console/logout", data={"csrf_token": token(client)})
    csrf = token(client)
    for n in range(codes.MAX_WRONG):  # the code was used up: nothing active again
        assert attempt(client, OFFICER, f"{n:06d}", csrf, address="10.1.0.1").status_code == 400
    assert not redis.exists("console:login:locked:+66800000101")


def test_a_phone_gets_at_most_10_codes_a_day(demo, client, app):
    redis = services(app).connection
    csrf = token(client)
    statuses = []
    for n in range(codes.MAX_CODES_PER_DAY + 3):
        if n and n % codes.MAX_CODES == 0:
            redis.delete("console:login:asked:+66800000101")  # 15 minutes later
        statuses.append(ask(client, OFFICER, csrf, address=f"10.0.{n}.1").status_code)
    assert statuses == [200] * codes.MAX_CODES_PER_DAY + [429] * 3
    assert Outbox.select().where(Outbox.kind == "staff_login_code").count() == codes.MAX_CODES_PER_DAY
    refused = ask(client, OFFICER, csrf, address="10.1.0.1").get_data(as_text=True)
    assert UNTIL.search(refused) and NOTICE not in refused
    assert codes.DAY_SECONDS - 60 < redis.ttl("console:login:asked-day:+66800000101") <= codes.DAY_SECONDS


def test_staff_and_unknown_phones_get_the_same_answers_even_at_the_limits(demo, client, app):
    csrf = token(client)
    pages = {}
    for phone in (OFFICER, UNKNOWN):
        answers = [ask(client, phone, csrf, address=f"10.0.{n}.1") for n in range(codes.MAX_CODES + 1)]
        answers += [attempt(client, phone, "000000", csrf, address=f"10.1.{n}.1") for n in range(codes.MAX_WRONG + 1)]
        answers.append(ask(client, phone, csrf, address="10.2.0.1"))  # while locked
        pages[phone] = [(answer.status_code, anonymous(answer.get_data(as_text=True), phone)) for answer in answers]
    assert pages[OFFICER] == pages[UNKNOWN]
    assert [status for status, _page in pages[OFFICER]] == (
        [200] * codes.MAX_CODES + [429] + [400] * (codes.MAX_WRONG - 1) + [429, 429, 429])
    assert {row.phone for row in Outbox.select()} == {"+66800000101"}


def test_the_code_sms_is_written_after_the_answer_has_left(demo, app):
    client = app.test_client()
    csrf = token(client)
    response = client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf}, buffered=False)
    assert response.status_code == 200 and Outbox.select().count() == 0  # the answer first
    response.close()  # the server has sent it
    assert Outbox.get().kind == "staff_login_code"


def test_no_outbox_row_keeps_a_sent_code(demo, client, work):
    assert log_in(client, OFFICER).status_code == 303
    client.post("/console/logout", data={"csrf_token": token(client)})
    csrf = token(client)
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    work()
    rows = list(Outbox.select().where(Outbox.kind == "staff_login_code"))
    assert len(rows) == 2 and {row.status for row in rows} == {OutboxStatus.SENT}
    assert not any(CODE.search(row.body) for row in rows)


def session_cookie(client) -> str:
    return client.get_cookie("rongrian_session").value


def test_a_cookie_copied_before_log_out_is_refused_after_it(demo, client, app):
    anonymous_id = (token(client), session_cookie(client))[1]
    redis = services(app).connection
    assert 0 < redis.ttl(sessions.session_key(anonymous_id)) <= sessions.ANONYMOUS_SECONDS
    assert log_in(client, OFFICER).status_code == 303
    copied = session_cookie(client)
    assert copied != anonymous_id and not redis.exists(sessions.session_key(anonymous_id))  # a new id at log-in
    assert len(copied) >= 43 and "800000101" not in copied and not redis.keys(f"*{copied}*")  # a random id, stored hashed
    assert 0 < redis.ttl(sessions.session_key(copied)) <= sessions.SESSION_IDLE_SECONDS
    assert client.post("/console/logout", data={"csrf_token": token(client)}).status_code == 303
    assert not redis.exists(sessions.session_key(copied))

    thief = app.test_client()
    thief.set_cookie("rongrian_session", copied)
    response = thief.get("/console/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/console/login")
    fixation = app.test_client()  # an id planted before log-in is not the one logged in
    fixation.set_cookie("rongrian_session", anonymous_id)
    assert log_in(fixation, OFFICER).status_code == 303 and session_cookie(fixation) != anonymous_id


def test_a_login_ends_12_hours_after_it_began_whatever_the_activity(demo, client, app):
    assert log_in(client, OFFICER).status_code == 303
    key = sessions.session_key(session_cookie(client))
    redis = services(app).connection
    assert client.get("/console/").status_code == 200
    redis.hset(key, "login_at", repr(time.time() - sessions.SESSION_HOURS * 3600 + 60))  # 11 h 59 min ago
    assert client.get("/console/").status_code == 200 and 0 < redis.ttl(key) <= 60
    redis.hset(key, "login_at", repr(time.time() - sessions.SESSION_HOURS * 3600 - 1))
    response = client.get("/console/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/console/login")
    assert not redis.exists(key)


def test_cookies_are_secure_in_production(demo, app):
    app.config["RONGRIAN_ENV"] = "production"
    response = app.test_client().get("/console/login")
    cookie = response.headers["Set-Cookie"]
    assert "rongrian_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_refusal_names_the_minute_to_try_again_in_bangkok_time():
    now = dt.datetime(2026, 12, 4, 7, 0, 30)  # 14:00:30 in Bangkok
    assert retry_time(900, "th", now) == "14:16"  # rounded up: not a minute too early
    assert retry_time(0, "th", now) == "14:01"
    assert retry_time(codes.DAY_SECONDS, "th", now) == "5 ธ.ค. 2569 14:01"


def test_a_code_that_expired_unsent_leaves_the_outbox_too(demo, client, work):
    csrf = token(client)
    client.post("/console/login", data={"phone": OFFICER, "csrf_token": csrf})
    assert CODE.search(Outbox.get().body)  # readable until it is done with (the tests' last_code)
    Outbox.update(expires_at=dt.datetime(2000, 1, 1)).execute()  # the gateway was down too long
    work()
    row = Outbox.get()
    assert row.status == OutboxStatus.EXPIRED and not CODE.search(row.body)
