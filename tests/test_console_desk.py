"""The console as a clerk at a desk meets it (issue 10 quality check): a case reported by
SMS shows the answer the citizen got; forwarding leads back to the list; refusals are pages
in the console's language; the timeline names staff and agencies and folds repeated phone
views; every console wording follows the Thai style guide."""
import datetime as dt
import gzip
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from cases.casework import lifecycle
from cases.language import style
from cases.language.i18n import gettext
from cases.reporting import stats
from cases.store import reference
from cases.store.models import Case, CaseEvent, Category, Outbox, Village
from console.blueprint import GZIP_FROM
from web import services

from .browser import browser, live  # noqa: F401  (fixtures)
from .console_helpers import CITIZEN, OFFICER, PROVINCE, log_in, post

CONSOLE = Path(__file__).resolve().parent.parent / "console"


@pytest.fixture
def reported(demo, client, work):
    """A road case of ทม.ลำพูน reported by a one-shot SMS (answered in the webhook), routed."""
    answer = client.post("/twilio/sms", data={
        "MessageSid": "SMdesk1", "From": CITIZEN, "To": "+6620000000", "Body": "1 51010103 ถนนเป็นหลุมใหญ่หน้าวัด",
    }).get_data(as_text=True)
    work()
    case = Case.get(Case.reporter_phone == CITIZEN)
    assert case.agency_id == "lao510101" and case.reference in answer
    return case, re.search(r"<Message>(.*)</Message>", answer).group(1)


def test_the_case_page_shows_the_answer_the_citizen_got_by_sms(reported, client):
    case, receipt = reported
    log_in(client, OFFICER)
    page = client.get(f"/console/cases/{case.reference}").get_data(as_text=True)
    assert receipt.replace('"', "&#34;") in page  # the receipt sent back in the webhook's answer
    assert "ตอบทาง SMS:" in page
    assert "<td>SMS</td>" in page  # the channel in words, not its code


def test_the_timeline_names_staff_and_agencies_and_folds_repeated_phone_views(reported, client):
    case, _ = reported
    log_in(client, OFFICER)
    for _ in range(3):
        page = client.get(f"/console/cases/{case.reference}").get_data(as_text=True)
    assert CaseEvent.select().where((CaseEvent.case == case) & (CaseEvent.kind == "phone_viewed")).count() == 3
    assert "เปิดดูเบอร์ผู้แจ้ง ×3" in page  # every view recorded, one line shown
    timeline = page.split("<h2>ลำดับเหตุการณ์")[1]
    assert "<td>Demo officer 1 <span" in timeline  # who acted, by name
    assert "<td>ถึง Demo head 1 <span" in timeline  # whom the new-case SMS went to
    assert ">ทม.ลำพูน</span>" in page and ">lao510101<" not in page  # the agency by name, not its code


def test_forwarding_goes_back_to_the_list_and_never_to_the_own_agency(reported, client, work):
    case, _ = reported
    log_in(client, OFFICER)
    page = client.get(f"/console/cases/{case.reference}").get_data(as_text=True)
    assert re.search(r'<select id="agency" name="agency" required><option value="">', page)  # no agency preselected
    serving, others = page.index('<optgroup label="หน่วยงานในพื้นที่นี้">'), page.index('<optgroup label="หน่วยงานอื่น">')
    assert all(serving < page.index(f'value="{code}"') < others for code in ("highway", "pwa"))  # roads, water here
    assert others < page.index('value="lao510102"')  # another subdistrict's municipality: listed after
    assert page.index('value="pwa"') < page.index('value="highway"') < page.index('value="ddpm"')  # กปภ. แขวง… ปภ.
    assert 'value="lao510101"' not in page  # not the agency holding it
    same = post(client, f"/console/cases/{case.reference}/forward", agency="lao510101")
    assert same.status_code == 400 and f"{case.reference} อยู่กับ ทม.ลำพูน แล้ว" in same.get_data(as_text=True)  # as by SMS
    work()
    assert not CaseEvent.select().where((CaseEvent.case == case) & (CaseEvent.kind == "forwarded")).exists()
    assert not Outbox.select().where((Outbox.case == case) & (Outbox.kind == "citizen_forwarded")).exists()
    moved = post(client, f"/console/cases/{case.reference}/forward", agency="highway")
    assert moved.status_code == 303 and moved.headers["Location"].endswith("/console/")
    listing = client.get("/console/").get_data(as_text=True)
    assert f"ส่งต่อเรื่อง {case.reference} ให้ แขวงทางหลวงลำพูน แล้ว" in listing
    assert Case.get_by_id(case.id).agency_id == "highway"


def test_refusals_are_pages_in_thai_and_csv_refusals_stay_one_line(reported, client):
    case, _ = reported
    expired = client.post(f"/console/cases/{case.reference}/accept", data={"csrf_token": "stale"})
    text = expired.get_data(as_text=True)
    assert expired.status_code == 400 and expired.mimetype == "text/html"
    assert "แบบฟอร์มนี้หมดอายุแล้ว" in text and 'href="/console/login"' in text
    log_in(client, "0800000104")  # the PWA officer
    other = client.get(f"/console/cases/{case.reference}")
    assert other.status_code == 403 and "เรื่องนี้อยู่กับหน่วยงานอื่น" in other.get_data(as_text=True)
    missing = client.get("/console/cases/1234567")
    assert missing.status_code == 404 and "ไม่พบเรื่องเลขที่นี้" in missing.get_data(as_text=True)
    assert 'href="/console/"' in missing.get_data(as_text=True)  # a way on
    bad = client.get("/console/?status=bogus")
    assert bad.status_code == 400 and "ยังไม่มีอะไรเปลี่ยน" in bad.get_data(as_text=True)
    csv = client.get("/console/cases.csv?status=bogus")
    assert csv.status_code == 400 and csv.mimetype == "text/plain" and csv.get_data(as_text=True).count("\n") == 1


def test_the_province_reads_every_case_but_sees_no_phone(reported, client):
    case, receipt = reported
    log_in(client, PROVINCE)
    page = client.get(f"/console/cases/{case.reference}").get_data(as_text=True)
    assert "0812345678" not in page and "08x-xxx-5678" in page
    assert not CaseEvent.select().where(CaseEvent.kind == "phone_viewed").exists()


def console_msgids() -> set[str]:
    """Every msgid of the console's code and templates."""
    methods = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "N_": None}
    found = {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(CONSOLE), methods, options, keywords=keywords)}
    return found | set(style.STATE_WORDS.values())


def test_every_console_wording_is_translated_and_follows_the_style_guide():
    msgids = console_msgids()
    assert len(msgids) > 100
    for msgid in msgids:
        thai = gettext("th", msgid)
        assert thai != msgid or not re.search(r"[a-z]{3}", msgid), f"not translated: {msgid}"
        assert not [word for word in style.OTHER_STATE_WORDS if word in thai], (msgid, thai)
        assert not set(re.findall(r"[\u0E00-\u0E7F]+", thai)) & style.PARTICLES, (msgid, thai)
        assert not re.search(r"(?<!ขอบ)คุณ|ฉัน", thai), (msgid, thai)  # ท่าน for the reader, never คุณ (guide §1)


def test_the_list_and_cases_csv_take_a_period_and_the_stats_page_links_its_own(reported, client, app):
    case, _ = reported
    log_in(client, PROVINCE)
    day = (case.created_at + dt.timedelta(hours=7)).date()  # its Bangkok day
    for args, found in ((f"from={day}&to={day}", True), (f"to={day - dt.timedelta(days=1)}", False),
                        (f"from={day + dt.timedelta(days=1)}", False)):
        assert (case.reference in client.get(f"/console/cases.csv?{args}").get_data(as_text=True)) is found, args
        assert (f">{case.reference}</a>" in client.get(f"/console/?{args}").get_data(as_text=True)) is found, args
    for bad in ("from=2569-11-01", "to=yesterday", "from=0001-01-01", "to=%00"):
        assert client.get(f"/console/cases.csv?{bad}").status_code == 400, bad
        assert client.get(f"/console/?{bad}").status_code == 400, bad
    stats = client.get(f"/console/stats?from={day}&to={day}").get_data(as_text=True)
    assert f'href="/console/cases.csv?from={day}&amp;to={day}"' in stats


PHONE_WIDTH = 360


def test_a_clerk_on_a_phone_works_a_case_without_scrolling_sideways(demo, phone, live, browser):
    ref = reference.find_in(phone(CITIZEN).send("1 51010103 หลุมใหญ่กลางถนน โทร 0812223333"))
    live.work()
    page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 800})
    live.login(page, OFFICER)
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= PHONE_WIDTH
    live.screenshot(page, "10-cases-phone")
    page.click(f"a:text-is('{ref}')")
    page.wait_for_url(f"{live.url}/console/cases/{ref}")
    assert page.evaluate(width) <= PHONE_WIDTH
    assert "ตอบทาง SMS:" in page.inner_text("table.stack")  # the receipt the citizen got
    page.select_option("#agency", "highway")
    page.click("button[name=forward]")
    page.wait_for_url(f"{live.url}/console/")
    assert f"ส่งต่อเรื่อง {ref}" in page.inner_text("p.notice") and page.evaluate(width) <= PHONE_WIDTH
    live.screenshot(page, "11-forwarded-phone")
    page.goto(f"{live.url}/console/cases/{ref}")  # no longer ours: a page that says so, in Thai
    assert "เรื่องนี้อยู่กับหน่วยงานอื่น" in page.inner_text("h1")
    live.screenshot(page, "12-other-agency-phone")


def test_the_language_switch_goes_back_only_into_the_console(client):
    for target, back in (("/console/stats?from=2026-11-01", "/console/stats?from=2026-11-01"),
                         ("/console/%0d%0aX-Injected:%201", "/console/"), ("//evil.example/console/", "/console/"),
                         ("https://evil.example/", "/console/"), ("/console/\\evil", "/console/")):
        answer = client.get(f"/console/language/en?next={target}")
        assert answer.status_code == 303 and answer.headers["Location"] == back, target
        assert "X-Injected" not in answer.headers


THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def test_a_reference_in_thai_digits_finds_the_case_and_odd_input_is_a_clear_400(reported, client, work):
    case, _ = reported
    log_in(client, OFFICER)
    thai = case.reference.translate(THAI)
    assert f">{case.reference}</a>" in client.get(f"/console/?q={thai[:3]}-{thai[3:]}").get_data(as_text=True)
    assert client.get(f"/console/cases/{thai}").status_code == 200
    assert post(client, f"/console/cases/{thai}/accept").status_code == 303
    for bad in ("/console/?page=%C2%B2", "/console/?page=%E0%B9%92", "/console/?district=%00", "/console/?category=a%0Ab",
                "/console/cases.csv?agency=%00"):
        assert client.get(bad).status_code == 400, bad
    for field, action in (("text", "note"), ("note", "done")):
        assert post(client, f"/console/cases/{case.reference}/{action}", **{field: "ซ่อม\x00แล้ว"}).status_code == 400
    work()
    assert Case.get_by_id(case.id).status.value == "accepted"
    assert not CaseEvent.select().where((CaseEvent.case == case) & (CaseEvent.kind.in_(("note", "done")))).exists()


def test_pages_and_csv_travel_compressed_to_a_browser_that_takes_gzip(reported, client):
    log_in(client, PROVINCE)
    for path in ("/console/stats", "/console/", "/console/stats.csv", "/console/cases.csv"):
        plain = client.get(path)
        packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert plain.status_code == packed.status_code == 200 and "Content-Encoding" not in plain.headers
        assert "Accept-Encoding" in packed.headers["Vary"], path
        if len(plain.data) < GZIP_FROM:  # one case: too small to be worth it
            assert path == "/console/cases.csv" and "Content-Encoding" not in packed.headers and packed.data == plain.data
            continue
        assert packed.headers["Content-Encoding"] == "gzip", path
        unpacked = gzip.decompress(packed.data)  # the same page (up to its CSRF token and the charts' random ids)
        assert unpacked[:40] == plain.data[:40] and abs(len(unpacked) - len(plain.data)) < 100, path
        assert len(packed.data) * 3 < len(plain.data), (path, len(packed.data), len(plain.data))
    stats = client.get("/console/stats?from=2026-01-01&to=2026-12-31", headers={"Accept-Encoding": "gzip"})
    assert len(stats.data) < 30_000  # the whole statistics page, charts included, on a slow link


def test_the_done_form_says_how_much_of_the_note_reaches_the_reporter(reported, client, work):
    case, _ = reported
    log_in(client, OFFICER)
    page = client.get(f"/console/cases/{case.reference}").get_data(as_text=True)
    room = int(re.search(r"SMS ถึงผู้แจ้งมีที่สำหรับ (\d+) ตัวอักษรแรก", page).group(1))
    assert 15 <= room <= 30
    note = "ก" * room
    assert post(client, f"/console/cases/{case.reference}/done", note=note + "ขขขข").status_code == 303
    work()
    sms = Outbox.get((Outbox.case == case) & (Outbox.kind == "citizen_done_rate")).body
    assert note in sms and note + "ขข" not in sms  # what the page said reaches the reporter, hardly more
    assert note + "ขขขข" in client.get(f"/console/cases/{case.reference}").get_data(as_text=True)  # kept whole


def test_a_month_without_cases_has_a_headline_without_an_empty_percentage(demo, client):
    log_in(client, OFFICER)
    page = client.get("/console/stats?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert re.search(r'class="headline">รับแจ้ง 0 เรื่อง เสร็จแล้ว 0 เรื่อง<', page) and "(- %)" not in page


def test_dates_at_the_ends_of_time_are_a_clear_400_on_the_numbers_too(demo, client):
    log_in(client, PROVINCE)
    for period in ("from=9999-12-01&to=9999-12-31", "from=0001-01-01&to=0001-01-31", "from=2569-11-01&to=2569-11-30"):
        page = client.get(f"/console/stats?{period}")
        assert page.status_code == 400 and 'class="headline"' in page.get_data(as_text=True), period  # this month instead
        assert client.get(f"/console/stats.csv?{period}").status_code == 400, period
    with pytest.raises(stats.PeriodError):
        stats.Period.parse("2569-11-01", "2569-11-30")


def test_a_village_heads_number_shown_whole_is_a_recorded_view_too(demo, app, client, work):
    with services(app).work():
        case = lifecycle.file_report(Category.get_by_id("road"), Village.get_by_id("51010103"), "หลุมหน้าบ้านยาย",
                                     None, submitter_phone="+66800000201")  # a resident without a phone
    work()
    log_in(client, OFFICER)
    page = client.get(f"/console/cases/{Case.get_by_id(case.id).reference}").get_data(as_text=True)
    assert "0800000201" in page
    view = CaseEvent.get((CaseEvent.case == case.id) & (CaseEvent.kind == "phone_viewed"))
    assert view.actor == "+66800000101"
