"""The statistics page in a real browser (Playwright + Debian chromium) as the province user,
over the scripted November: login by SMS code, the period chosen in the form, the headline,
the tables, four inline SVG charts drawn and readable, Thai rendered; a screenshot is left
in build/screenshots/stats-province.png."""
from cases.store.models import Outbox, OutboxStatus

from .browser import browser, live  # noqa: F401  (fixtures)
from .stats_scenario import NOW, Clock, load_directory, november

PROVINCE_USER = "0800000109"


def test_province_user_reads_the_numbers_of_november(twilio_app, tmp_path, monkeypatch, live, browser):
    load_directory(tmp_path / "directory")
    november(Clock(monkeypatch, NOW))
    Outbox.update(status=OutboxStatus.SENT).execute()  # the month's SMS left long ago

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    live.login(page, PROVINCE_USER)
    page.click("header a[href='/console/stats']")
    page.wait_for_url(f"{live.url}/console/stats")
    page.fill("input[name=from]", "2026-11-01")
    page.fill("input[name=to]", "2026-11-30")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/console/stats?from=2026-11-01&to=2026-11-30")

    assert page.inner_text("p.headline") == "รับแจ้ง 11 เรื่อง เสร็จแล้ว 5 เรื่อง (50.0 %)"
    assert "1 พ.ย. 2569 – 30 พ.ย. 2569" in page.inner_text("main")
    town = page.locator("tr", has_text="ทม.ลำพูน").first.inner_text().split("\t")
    assert town[:6] == ["ทม.ลำพูน", "8", "3", "4", "1", "57.1"]
    charts = page.locator("div.chart svg")
    assert charts.count() == 4
    for index in range(4):
        box = charts.nth(index).bounding_box()
        assert box["width"] >= 300 and box["height"] >= 120, box  # drawn at a readable size
    assert page.locator("div.chart svg text", has_text="เรื่องที่รับแจ้งต่อสัปดาห์").count() >= 1
    # Thai glyphs really render: a Thai label is as wide as its text needs, not a row of boxes
    label = page.locator("div.chart svg text", has_text="เรื่องตามช่องทางที่แจ้ง").first.bounding_box()
    assert label["width"] > 100
    shot = live.screenshot(page, "stats-province")
    assert shot.stat().st_size > 20_000
