"""``rongrian simulate``: whole reports typed in the terminal through the real flows."""
from __future__ import annotations

from cases.store import reference
from cases.store.models import Case, Outbox


def _ref(output: str) -> str:
    lines = [line for line in output.splitlines() if not line.startswith(("sms>", "ussd>", "keys>", "(speak"))]
    refs = [reference.find_in(line) for line in lines if reference.find_in(line)]
    assert refs, output
    return refs[0]


def test_sms_report_through_the_simulator(demo, runner, work):
    result = runner.invoke(args=["simulate", "--channel", "sms", "--phone", "0812345678"],
                           input="2 51010203 น้ำไม่ไหล\n")
    assert result.exit_code == 0, result.output
    case = Case.get(Case.reference == _ref(result.output))
    assert (case.category_id, case.village_id, case.channel) == ("water", "51010203", "sms")
    work()
    assert Case.get_by_id(case.id).agency_id == "pwa"


def test_ussd_report_through_the_simulator(demo, runner, work):
    # 1 report, 1 roads, district 1 (Mueang Lamphun), subdistrict 1 (Nai Mueang), moo 3, skip, send
    result = runner.invoke(args=["simulate", "--channel", "ussd", "--phone", "+66812345678"],
                           input="1\n1\n1\n1\n3\n0\n1\n")
    assert result.exit_code == 0, result.output
    assert "END" not in result.output  # the adapter's prefix is not shown; screens are
    ref = _ref(result.output.split("[SMS to you]")[0])
    case = Case.get(Case.reference == ref)
    assert (case.category_id, case.village_id, case.channel) == ("road", "51010103", "ussd")
    assert "[SMS to you]" in result.output and Outbox.select().where(Outbox.phone == "+66812345678").count() == 1
    work()
    assert Case.get_by_id(case.id).agency_id == "lao510101"


def test_voice_report_through_the_simulator(demo, runner):
    result = runner.invoke(args=["simulate", "--channel", "voice", "--phone", "0812345678"],
                           input="1\n2\n51010203#\nน้ำไม่ไหลสามวัน\n1\n")
    assert result.exit_code == 0, result.output
    case = Case.get(Case.reporter_phone == "+66812345678")
    assert (case.category_id, case.village_id, case.description, case.channel) == ("water", "51010203", "น้ำไม่ไหลสามวัน", "voice")
    assert " ".join(case.reference) in result.output


def test_simulator_refuses_a_bad_phone(app, runner):
    result = runner.invoke(args=["simulate", "--channel", "sms", "--phone", "hello"])
    assert result.exit_code != 0 and "not a phone number" in result.output
