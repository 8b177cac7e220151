"""The console's statistics page and stats.csv over the scripted November (tests/stats_scenario):
who sees which rows, the exact CSV, inline SVG charts without any script, Buddhist-era dates,
the page's weight, and the answers without a session or with bad dates."""
import datetime as dt
import re

import pytest

from cases.reporting import stats as numbers
from cases.store.models import Staff, StaffRole

from .stats_scenario import EXPECTED_CSV, NOW, PROVINCE_USER, TOWN_OFFICER, Clock, load_directory, november

NOVEMBER_ARGS = "from=2026-11-01&to=2026-11-30"
MAX_PAGE_BYTES = 300_000


@pytest.fixture
def month(app, tmp_path, monkeypatch):
    load_directory(tmp_path / "directory")
    return november(Clock(monkeypatch, NOW))


def logged_in(client, phone):
    """A console session for ``phone`` (the login by SMS code is the console's own test)."""
    with client.session_transaction() as session:
        session["staff_phone"] = phone
    return client


def test_province_page_has_headline_tables_charts_and_buddhist_dates(month, client):
    response = logged_in(client, PROVINCE_USER).get(f"/console/stats?{NOVEMBER_ARGS}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "รับแจ้ง 11 เรื่อง เสร็จแล้ว 5 เรื่อง (50.0 %)" in page
    assert "1 พ.ย. 2569" in page and "30 พ.ย. 2569" in page and "2026" not in re.sub(r'value="[^"]*"|href="[^"]*"', "", page)
    assert page.count("<svg") == 4 and "</svg>" in page
    for name in ("ทม.ลำพูน", "กฟภ.ลำพูน", "กปภ.ลำพูน", "ศูนย์ดำรงธรรมลำพูน", "ถนน", "เมืองลำพูน", "แม่ทา"):
        assert name in page, name
    assert len(response.data) < MAX_PAGE_BYTES
    assert "<script" not in page.lower()  # no JavaScript at all, so none from a CDN
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert 'href="/console/stats.csv?from=2026-11-01&amp;to=2026-11-30"' in page and "/console/cases.csv" in page


def test_province_csv_is_exactly_the_expected_rows(month, client):
    response = logged_in(client, PROVINCE_USER).get(f"/console/stats.csv?{NOVEMBER_ARGS}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.data.decode("utf-8") == EXPECTED_CSV


def test_an_officer_sees_only_their_agency(month, client):
    client = logged_in(client, TOWN_OFFICER)
    page = client.get(f"/console/stats?{NOVEMBER_ARGS}").get_data(as_text=True)
    assert "ทม.ลำพูน" in page and "กปภ.ลำพูน" not in page and "ศูนย์ดำรงธรรมลำพูน" not in page
    assert "รับแจ้ง 8 เรื่อง เสร็จแล้ว 4 เรื่อง (57.1 %)" in page
    rows = client.get(f"/console/stats.csv?{NOVEMBER_ARGS}").data.decode("utf-8").splitlines()
    assert rows[1:] == ["lao510101,ทม.ลำพูน,8,3,4,1,0.5714,5.0,28.0,2"]


def test_default_period_is_this_month_in_bangkok(month, client):
    page = logged_in(client, PROVINCE_USER).get("/console/stats").get_data(as_text=True)
    assert "1 ธ.ค. 2569" in page  # NOW is 12:00 on 1 December in Bangkok (05:00 UTC)
    assert "รับแจ้ง 1 เรื่อง เสร็จแล้ว 0 เรื่อง (0.0 %)" in page  # case I, filed 00:30 Bangkok time


def test_without_a_session_and_with_bad_dates(month, client):
    response = client.get("/console/stats")
    assert response.status_code == 303 and response.headers["Location"].endswith("/console/login")
    assert client.get(f"/console/stats.csv?{NOVEMBER_ARGS}").status_code == 401
    client = logged_in(client, PROVINCE_USER)
    for args in ("from=2026-11-31", "from=2026-11-30&to=2026-11-01", "to=%ff%fe", "from=2000-01-01&to=2026-01-01"):
        page = client.get(f"/console/stats?{args}")
        assert page.status_code == 400 and "class=\"error\"" in page.get_data(as_text=True), args
        assert client.get(f"/console/stats.csv?{args}").status_code == 400, args


def test_the_longest_period_over_the_whole_demo_directory_stays_light(demo, client):
    Staff.create(phone="+66800000190", agency="province", name="Governor's office", role=StaffRole.PROVINCE)
    longest = f"from=2024-01-01&to={(dt.date(2024, 1, 1) + dt.timedelta(days=numbers.MAX_DAYS - 1)).isoformat()}"
    response = logged_in(client, "+66800000190").get(f"/console/stats?{longest}")
    assert response.status_code == 200 and response.get_data(as_text=True).count("<svg") == 4
    assert len(response.data) < MAX_PAGE_BYTES  # 61 agencies, 157 weeks
