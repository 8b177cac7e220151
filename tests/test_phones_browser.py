"""The console's phones page in a real browser (Playwright + Debian chromium): per gateway
phone up or down, the SMS waiting for it by priority, sent in the last hour, the pace and
the last error — the same figures as /healthz. Staff log in by Twilio; citizens' SMS leave
through two Android phones (the SMS Gateway stand-in), one of them down."""
from cases.language import lifecycle_texts, texts
from cases.messages import outbox
from cases.store.models import Priority
from web import init_services, services

from .browser import browser, live  # noqa: F401  (fixtures)
from .standins.smsgate_api import PASSWORD, USERNAME

OFFICER = "0800000101"


def test_the_phones_page_shows_the_queues_healthz_shows(demo, live, browser, smsgate_api):
    app = live.app
    app.config.update(SMS_BACKEND_CITIZENS="smsgate", SMSGATE_URL=smsgate_api.url, SMSGATE_USERNAME=USERNAME,
                      SMSGATE_PASSWORD=PASSWORD, SMSGATE_DEVICES=["phone-a=ais", "phone-b=dtac/true"],
                      SMSGATE_MAX_PER_MINUTE=20)
    phones = init_services(app).sender.backend("smsgate").phones
    for _ in range(3):
        phones.get("phone-b").health.failed("smsgate 500")  # phone-b is down
    for _ in range(30):
        phones.get("phone-a").limit.admit(ceiling=30)  # phone-a just sent 30: everything below waits
    with services(app).work():
        for n in range(2):
            outbox.queue_text(f"+6681234560{n}", "next question")
        outbox.queue_text("+66812345609", "receipt 1234567", kind=texts.RECEIVED)
        for n in range(3):
            outbox.queue_sms(f"+6689000000{n}", lifecycle_texts.TELL_RESIDENT, phone="0812345678", body="ถนนซ่อมแล้ว")
    live.work()
    health = app.test_client().get("/healthz").get_json()["gateways"]["smsgate"]["phones"]
    assert health["phone-a"]["waiting"]["reply"]["count"] == 2 and health["phone-a"]["waiting"]["staff"]["count"] == 3

    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.goto(f"{live.url}/console/phones")
    assert page.url.endswith("/console/login")  # staff only
    live.login(page, OFFICER)
    page.click("a[href='/console/phones']")
    page.wait_for_url(f"{live.url}/console/phones")
    live.screenshot(page, "phones")
    assert "โทรศัพท์ที่ส่ง SMS" in page.inner_text("h1")
    for label, report in health.items():
        row = page.locator(f"tr[data-phone='{label}'][data-gateway='smsgate']")
        for priority in Priority:
            shown = row.locator(f"td[data-priority='{priority.name.lower()}']").inner_text()
            assert int(shown) == report["waiting"].get(priority.name.lower(), {}).get("count", 0), (label, priority)
        assert int(row.locator("td[data-sent-hour]").inner_text()) == report["sent_last_hour"]
        assert row.locator("[data-up]").get_attribute("data-up") == ("1" if report["up"] else "0")
    phone_b = page.locator("tr[data-phone='phone-b']")
    assert "ใช้ไม่ได้" in phone_b.inner_text() and "smsgate 500" in phone_b.inner_text()
    assert "dtac / true" in phone_b.inner_text()
    assert page.locator("tr[data-phone='phone-a'] td[data-pace]").inner_text().endswith("/ 20")
    assert int(page.locator("tr[data-phone='phone-a'] td[data-oldest]").inner_text()) >= 0
