"""The console in a real browser (Playwright + Debian chromium) against the app on a real
server: an officer logs in with the code the Twilio stand-in received, sees only the
agency's cases, opens one, takes it and closes it; the citizen's SMS reach the stand-in."""
from cases.store import reference
from cases.store.models import Case, CaseEvent, CaseStatus
from console.formatting import buddhist_datetime

from .browser import browser, live  # noqa: F401  (fixtures)

OFFICER = "0800000101"  # ทม.ลำพูน (lao510101): roads in Nai Mueang
CITIZEN = "+66812345678"
NEIGHBOUR = "+66812345679"


def report(phone, text: str, work) -> str:
    ref = reference.find_in(phone.send(text))
    work()  # routed; the agency's staff told
    return ref


def test_officer_logs_in_by_sms_code_takes_and_closes_a_case(demo, phone, live, browser):
    road = report(phone(CITIZEN), "1 51010103 หลุมใหญ่กลางถนน", live.work)
    water = report(phone(NEIGHBOUR), "2 51010203 น้ำประปาไม่ไหลสามวัน", live.work)
    assert Case.get(Case.reference == road).agency_id == "lao510101"
    assert Case.get(Case.reference == water).agency_id == "pwa"

    page = browser.new_page(viewport={"width": 800, "height": 900})
    page.goto(f"{live.url}/console/login")
    live.screenshot(page, "00-login")
    code = live.login(page, OFFICER, screenshot="01-code")
    assert "ระบบร้องเรียน" in live.sms_to(OFFICER)[-1] and code in live.sms_to(OFFICER)[-1]
    cookie = next(c for c in page.context.cookies() if c["name"] == "rongrian_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["secure"]  # PUBLIC_BASE_URL is https

    assert page.locator(f"a:text-is('{road}')").count() == 1
    assert page.locator(f"a:text-is('{water}')").count() == 0  # another agency's case
    filed = buddhist_datetime(Case.get(Case.reference == road).created_at)
    assert int(filed.split()[2]) >= 2567 and filed in page.inner_text("table")  # Buddhist era, Bangkok time
    live.screenshot(page, "02-cases")

    page.click(f"a:text-is('{road}')")
    page.wait_for_url(f"{live.url}/console/cases/{road}")
    assert "0812345678" in page.content()  # the holding agency sees the phone...
    assert CaseEvent.select().where(CaseEvent.kind == "phone_viewed").count() == 1  # ...and that is recorded
    live.screenshot(page, "03-case")

    page.click("button[name=accept]")
    page.wait_for_selector("p.notice")
    assert Case.get(Case.reference == road).status == CaseStatus.ACCEPTED
    live.work()
    assert len(live.sms_to(CITIZEN)) == 1 and road in live.sms_to(CITIZEN)[0]  # "taken" (the receipt was the TwiML reply)
    live.screenshot(page, "04-accepted")

    page.fill("input[name=note]", "ซ่อมเรียบร้อยแล้ว")
    page.click("button[name=done]")
    page.wait_for_selector("p.notice")
    assert Case.get(Case.reference == road).status == CaseStatus.DONE
    live.work()
    assert len(live.sms_to(CITIZEN)) == 2
    assert "ซ่อมเรียบร้อยแล้ว" in live.sms_to(CITIZEN)[-1] and road in live.sms_to(CITIZEN)[-1]
    timeline = page.locator("table").last.inner_text()
    assert "ซ่อมเรียบร้อยแล้ว" in timeline and "หลุมใหญ่กลางถนน" in timeline
    live.screenshot(page, "05-done")

    page.click("header button[type=submit]")  # log out
    page.wait_for_url(f"{live.url}/console/login")
    page.goto(f"{live.url}/console/cases/{road}")
    assert page.url.endswith("/console/login")
