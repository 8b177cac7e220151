"""The province's numbers (cases.reporting.stats) over a scripted month: exact CSV rows, medians,
type × district, weeks, channels, periods in Bangkok time; SUMMARY by SMS."""
import datetime as dt

import pytest

from cases.language import segments, texts
from cases.province.catalog import CATALOG, new_version
from cases.reporting import stats
from cases.reporting.stats import Period, PeriodError
from cases.store import reference
from cases.store.models import Case, CaseStatus, Staff, StaffRole

from .stats_scenario import EXPECTED_CSV, NOW, PROVINCE_USER, TOWN_HEAD, Clock, load_directory, november

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture
def month(app, tmp_path, monkeypatch):
    """November 2026 scripted, the clock left at NOW."""
    load_directory(tmp_path / "directory")
    clock = Clock(monkeypatch, NOW)
    return november(clock)


def test_scripted_month_gives_exactly_the_expected_csv(month):
    cases = stats.received(NOVEMBER, None, NOW)
    assert stats.csv_text(stats.agency_rows(cases, None)) == EXPECTED_CSV
    b, e = (Case.get_by_id(month[name].id) for name in "BE")
    assert b.reopen_count == 1 and b.status == CaseStatus.DONE and e.status == CaseStatus.CANCELLED


def test_medians_rating_and_who_sees_what(month):
    cases = stats.received(NOVEMBER, {"lao510101"}, NOW)
    [town] = stats.agency_rows(cases, {"lao510101"})
    assert sorted(town.to_accept) == [1.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert sorted(town.to_done) == [20.0, 26.0, 30.0, 100.0]
    assert (town.median_hours_to_accept, town.median_hours_to_done) == (5.0, 28.0)
    assert town.mean_rating == 3.0 and town.resolution_rate == pytest.approx(4 / 7)
    officer = Staff.get(Staff.phone == TOWN_HEAD)
    assert stats.visible_to(officer) == {"lao510101"}
    assert stats.visible_to(Staff.get(Staff.phone == PROVINCE_USER)) is None
    text = stats.csv_text(stats.agency_rows(cases, stats.visible_to(officer)))
    assert text.splitlines()[1:] == ["lao510101,ทม.ลำพูน,8,3,4,1,0.5714,5.0,28.0,2"]


def test_type_by_district_weeks_channels_and_headline(month):
    cases = stats.received(NOVEMBER, None, NOW)
    cells = stats.by_type_and_district(cases)
    assert {key: (c.received, c.done) for key, c in cells.items()} == {
        ("road", "5101"): (8, 3), ("water", "5101"): (1, 1), ("garbage", "5102"): (1, 1), ("garbage", "5103"): (1, 0),
    }
    weeks = stats.weekly(NOVEMBER, cases, None)
    assert [(w.monday.isoformat(), w.received, w.resolved) for w in weeks] == [
        ("2026-10-26", 1, 0), ("2026-11-02", 4, 5), ("2026-11-09", 3, 1),
        ("2026-11-16", 1, 0), ("2026-11-23", 2, 0), ("2026-11-30", 0, 0),
    ]
    assert stats.channel_mix(cases) == {"sms": 8, "ussd": 1, "voice": 1, "village_head": 1, "open311": 0}
    total = stats.totals(cases)
    assert (total.received, total.done, total.cancelled, stats.percent(total.resolution_rate)) == (11, 5, 1, "50.0")
    assert stats.days_to_done(cases) == [("<1", 1), ("1-3", 3), ("3-7", 1), ("7-15", 0), ("15-30", 0), (">30", 0)]


def test_a_pwa_officer_sees_only_the_case_forwarded_to_it(month):
    cases = stats.received(NOVEMBER, {"pwa"}, NOW)
    assert [stats.week_of(case.created_at) for case in cases] == [dt.date(2026, 11, 2)]
    weeks = stats.weekly(NOVEMBER, cases, {"pwa"})
    assert sum(w.resolved for w in weeks) == 0  # J was resolved by the town, which holds it now


def test_periods_in_bangkok_time():
    assert Period.this_month(dt.datetime(2026, 11, 30, 17, 30)) == Period(dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    assert Period.this_month(dt.datetime(2026, 11, 30, 16, 30)) == NOVEMBER
    assert NOVEMBER.bounds() == (dt.datetime(2026, 10, 31, 17), dt.datetime(2026, 11, 30, 17))
    assert Period.parse("2026-11-01", "2026-11-30") == NOVEMBER
    assert Period.parse("", None, dt.datetime(2026, 11, 27, 3)) == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 27))
    for start, end in (("2026-13-01", None), ("yesterday", None), ("2026-11-30", "2026-11-01"), ("2020-01-01", "2026-01-01")):
        with pytest.raises(PeriodError):
            Period.parse(start, end)


def test_summary_values_fit_one_segment(month, monkeypatch):
    clock = Clock(monkeypatch, dt.datetime(2026, 11, 30, 12))  # still November in Bangkok
    province = Staff.get(Staff.phone == PROVINCE_USER)
    assert stats.summary_params(province, clock.at) == {
        "received": "11", "resolved": "5", "rate": "50.0", "pending": "5", "late": "4",
    }
    text = texts.render("th", texts.STAFF_SUMMARY, **stats.summary_params(province, clock.at))
    assert text == "เดือนนี้ รับ 11 เสร็จ 5 (50.0%) ค้าง 5 เกินกำหนด 4" and segments.fits(text)


# --- SUMMARY by SMS, over signed Twilio webhooks ----------------------------------------

PROVINCE_PHONE, TOWN_HEAD_PHONE, PWA_OFFICER_PHONE = "0800000190", "0800000102", "0800000104"


def add_province_user():
    Staff.create(phone="+66800000190", agency="province", name="Governor's office", role=StaffRole.PROVINCE)
    new_version()
    CATALOG.forget()


def test_summary_by_sms_for_the_province_a_head_and_an_officer(demo, phone, work):
    add_province_user()
    refs = [reference.find_in(phone(citizen).send(text)) for citizen, text in (
        ("0811111111", "1 51010103 ถนนพัง"), ("0822222222", "1 51010102 ถนนเป็นหลุม"), ("0833333333", "2 51010103 ท่อแตก"),
    )]
    work()
    town = phone("0800000101")
    assert refs[0] in town.send(f"รับ {refs[0]}") and refs[0] in town.send(f"เสร็จ {refs[0]} ซ่อมแล้ว")
    answers = {
        PROVINCE_PHONE: "เดือนนี้ รับ 3 เสร็จ 1 (33.3%) ค้าง 2 เกินกำหนด 0",  # every agency
        TOWN_HEAD_PHONE: "เดือนนี้ รับ 2 เสร็จ 1 (50.0%) ค้าง 1 เกินกำหนด 0",  # the town's own
        PWA_OFFICER_PHONE: "เดือนนี้ รับ 1 เสร็จ 0 (0.0%) ค้าง 1 เกินกำหนด 0",  # an officer: own agency too
    }
    for number, expected in answers.items():
        for word in ("สรุป", "SUMMARY", "summery"):
            answer = phone(number).send(word)
            assert answer == expected, (number, word)
            assert segments.fits(answer) and segments.units(answer) <= 70


def test_a_citizen_typing_the_word_starts_a_report(demo, phone):
    assert "1." in phone("0899999999").send("สรุป")
