"""The desk on day one, in a real browser (Playwright + Debian chromium): after
``rongrian demo-history`` the statistics page shows the database's numbers, reads without
sideways scrolling on a 1,280 px screen and a 360 px phone and takes Buddhist-era dates; the
map's marks match the list; the phone simulator files reports by SMS and USSD and closes one as
staff; no page loads or names anything outside the server."""
import datetime as dt
import re

from cases.reporting.stats import utc_midnight
from cases.store import reference
from cases.store.models import OPEN_STATUSES, Case, CaseStatus, Subdistrict, Village, utcnow

from .browser import browser, live  # noqa: F401  (fixtures)
from .ussd_helpers import pick

PROVINCE_USER, OFFICER, CITIZEN = "0800000109", "0800000101", "0812345678"
WIDTHS = (1280, 360)
OUTSIDE = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


def number(text: str) -> int:
    return int(text.replace(",", ""))


def fits(page) -> bool:
    """No sideways scrolling: the page and every table within the viewport's width."""
    return page.evaluate("""() => document.documentElement.scrollWidth <= window.innerWidth &&
        [...document.querySelectorAll('table, svg, main')].every(e => e.getBoundingClientRect().right <= window.innerWidth + 1)""")


def watch_requests(page, live) -> list[str]:
    """Every URL the page asks for that is not on the server."""
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(live.url) or request.url.startswith("data:")
            else outside.append(request.url))
    return outside


def test_stats_and_map_after_demo_history(demo, runner, live, browser):
    assert runner.invoke(args=["demo-history", "--days", "45"]).exit_code == 0
    today = (utcnow() + dt.timedelta(hours=7)).date()
    first = today - dt.timedelta(days=44)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside = watch_requests(page, live)
    live.login(page, PROVINCE_USER)

    # the statistics of the whole history, the dates typed in the Buddhist era
    page.click("header a[href='/console/stats']")
    page.fill("input[name=from]", f"{first.day}/{first.month}/{first.year + 543}")
    page.fill("input[name=to]", f"{today.day}/{today.month}/{today.year + 543}")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**/console/stats?from={first.isoformat()}&to={today.isoformat()}")
    assert page.input_value("input[name=from]") == f"{first.day}/{first.month}/{first.year + 543}"
    received = Case.select().where((Case.created_at >= utc_midnight(first)) & Case.agency.is_null(False))
    done = received.where(Case.status == CaseStatus.DONE).count()
    headline = [number(n) for n in re.findall(r"\d[\d,]*", page.inner_text("p.headline"))]
    assert headline[:2] == [received.count(), done] and received.count() > 100 and done > 50
    rows = page.locator("table.numbers").first.locator("tbody tr")
    agencies = {case.agency_id for case in received}
    assert rows.count() == len(agencies)  # the idle ones fold into one line
    assert "หน่วยงาน" in page.inner_text("details.idle summary")
    town = Case.select().where((Case.created_at >= utc_midnight(first)) & (Case.agency == "lao510101")).count()
    cells = page.locator("tr", has_text="ทม.ลำพูน").first.locator("td")
    assert number(cells.nth(1).inner_text()) == town
    # sorted by received, then by overdue
    firsts = [number(rows.nth(n).locator("td").nth(1).inner_text()) for n in range(rows.count())]
    assert firsts == sorted(firsts, reverse=True)
    page.click("table.numbers th a:text('เกินกำหนด')")
    overdue = [number(rows.nth(n).locator("td").nth(8).inner_text()) for n in range(rows.count())]
    assert overdue == sorted(overdue, reverse=True) and overdue[0] > 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert fits(page), width
        live.screenshot(page, f"stats-demo-{width}")

    # a Buddhist-era range on the case list: exactly the cases filed on those Bangkok days
    page.set_viewport_size({"width": 1280, "height": 900})
    start, end = today - dt.timedelta(days=20), today - dt.timedelta(days=14)
    page.goto(f"{live.url}/console/")
    page.fill("input[name=from]", f"{start.day}/{start.month}/{start.year + 543}")
    page.fill("input[name=to]", f"{end.day}/{end.month}/{end.year + 543}")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**from={start.isoformat()}&to={end.isoformat()}*")
    expected = Case.select().where((Case.created_at >= utc_midnight(start))
                                   & (Case.created_at < utc_midnight(end + dt.timedelta(days=1)))).count()
    assert expected > 10
    assert page.inner_text("h1 span.muted") == f"({expected})"

    # the map: one mark per subdistrict with coordinates, its count the list's
    page.click("header a[href='/console/map']")
    placed = Subdistrict.select().where(Subdistrict.lat.is_null(False) & Subdistrict.lon.is_null(False)).count()
    marks = page.locator("svg a.mark")
    assert marks.count() == placed
    open_here = {}
    for case in Case.select().where(Case.status.in_(OPEN_STATUSES)):
        code = Village.get_by_id(case.village_id).subdistrict_id
        open_here[code] = open_here.get(code, 0) + 1
    shown = {marks.nth(n).get_attribute("data-subdistrict"): int(marks.nth(n).get_attribute("data-open"))
             for n in range(marks.count())}
    assert {code: count for code, count in shown.items() if count} == open_here
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert fits(page), width
        live.screenshot(page, f"map-{width}")
    busiest = max(open_here, key=open_here.get)
    page.click(f"svg a.mark[data-subdistrict='{busiest}']")
    page.wait_for_url(f"**subdistrict={busiest}*")
    assert page.inner_text("h1 span.muted") == f"({open_here[busiest]})"
    assert not outside, outside


def test_simulator_files_by_sms_and_ussd_and_staff_close_a_case(demo, live, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside = watch_requests(page, live)
    live.login(page, OFFICER)
    page.click("header a[href='/console/simulator']")
    page.fill("#number input[name=phone]", CITIZEN)
    page.click("#number button[type=submit]:not([name])")

    # by SMS: the reference comes back in the thread
    page.fill("#sms input[name=text]", "1 51010103 ถนนเป็นหลุมใหญ่")
    page.click("#sms button[type=submit]")
    ref = reference.find_in(page.locator("#sms .bubble.out").last.inner_text())
    assert ref and reference.is_valid(ref)
    case = Case.get(Case.reference == ref)
    assert (case.channel, case.reporter_phone, case.village_id) == ("sms", "+66812345678", "51010103")

    # by USSD: dial, the menu on the screen, keys on the keypad
    page.click("#ussd button[name=dial]")
    for label in ("แจ้งปัญหา", "ขยะ", "เมืองลำพูน", "ในเมือง"):
        page.click(f"#ussd button[name=key][value='{pick(page.inner_text('#ussd .screen'), label)}']")
    page.click("#ussd button[name=key][value='2']")  # moo 2
    page.fill("#ussd input[name=text]", "ขยะล้นถัง")
    page.click("#ussd .row button[type=submit]")
    page.click(f"#ussd button[name=key][value='{pick(page.inner_text('#ussd .screen'), 'ส่ง')}']")
    ussd_ref = reference.find_in(page.inner_text("#ussd .screen"))
    assert ussd_ref and Case.get(Case.reference == ussd_ref).channel == "ussd"

    # the voice menu answers its buttons
    page.click("#voice button[name=call]")
    assert page.inner_text("#voice .screen").strip()
    page.click("#voice button[name=key][value='1']")
    assert page.inner_text("#voice .screen").strip()

    # the officer, from their own number, closes the SMS report; the citizen is told
    live.work()  # routed to the officer's agency
    page.click("#number button[name=own]")
    page.fill("#sms input[name=text]", f"เสร็จ {ref} ซ่อมแล้ว")
    page.click("#sms button[type=submit]")
    assert Case.get(Case.reference == ref).status == CaseStatus.DONE
    live.work()
    page.fill("#number input[name=phone]", CITIZEN)
    page.click("#number button[type=submit]:not([name])")
    last = page.locator("#sms .bubble.out").last.inner_text()
    assert ref in last and "ซ่อมแล้ว" in last
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert fits(page), width
        live.screenshot(page, f"simulator-{width}")
    assert not outside, outside


def test_no_page_names_anything_outside_the_server(demo, runner, live, browser):
    assert runner.invoke(args=["demo-history", "--days", "10"]).exit_code == 0
    case = Case.select().order_by(Case.id).first()
    page = browser.new_page()
    outside = watch_requests(page, live)
    page.goto(f"{live.url}/console/login")
    pages = {"login": page.content()}
    live.login(page, PROVINCE_USER)  # sees every agency's cases
    for path in ("/console/", f"/console/cases/{case.reference}", "/console/map", "/console/stats",
                 "/console/simulator", "/console/nowhere"):
        page.goto(f"{live.url}{path}")
        pages[path] = page.content()
    for name, html in pages.items():
        assert not OUTSIDE.search(html), (name, OUTSIDE.search(html))
        styles = " ".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.S))
        assert "url(" not in styles and "@import" not in styles, name
    assert not outside, outside
