"""Issue 11 item 4 over signed Twilio webhooks with a real rq worker: HELP for each kind of
phone, AGENCIES, FWD by an agency's name, the village head's list in Thai, one-shot type
numbers = menu numbers, and the simulator showing pushed SMS in order."""
from __future__ import annotations

import pytest

from cases.language import segments, texts
from cases.language.i18n import gettext
from cases.messages.outbox import queue_text
from cases.store import reference
from cases.store.models import Case, CaseStatus, Outbox
from cases.store.work import unit_of_work
from sms_gateway import simulator

CITIZEN = "0812345678"
OFFICER, PWA_OFFICER, PROVINCE = "0800000101", "0800000104", "0800000109"
HEAD = "0800000203"  # village head of 51010103 (moo 3 Nai Mueang)


def file_case(phone, work, text="1 51010103 ถนนพัง"):
    ref = reference.find_in(phone(CITIZEN).send(text))
    work()
    return ref


def test_help_names_the_words_of_each_kind_of_phone(demo, phone):
    answers = {}
    for number in (CITIZEN, OFFICER, HEAD, PROVINCE):
        for word in ("ช่วย", "HELP", "?", " help "):
            answer = phone(number).send(word)
            assert segments.fits(answer), answer
            answers.setdefault(number, set()).add(answer)
    assert all(len(found) == 1 for found in answers.values())  # every alias, the same answer
    citizen, officer, head, province = (answers[number].pop() for number in (CITIZEN, OFFICER, HEAD, PROVINCE))
    assert len({citizen, officer, head, province}) == 4
    assert '"สถานะ เลขที่"' in citizen and '"รับ"' not in citizen and '"แทน' not in citizen
    assert all(f'"{word}"' in officer for word in ("รับ", "ดู", "เสร็จ", "ส่งต่อ", "งาน", "หน่วยงาน", "สรุป"))
    assert '"สถานะ' not in officer  # staff are told staff words
    assert '"แทน เบอร์ลูกบ้าน"' in head and '"งาน"' in head
    assert '"สรุป" ทั้งจังหวัด' in province and '"หน่วยงาน"' in province
    assert phone(CITIZEN).send("ช่วยด้วย ไฟไหม้ป่าหลังบ้าน") != citizen  # words after it: a report, not help


def test_help_in_english(demo, phone):
    citizen = phone("0899999999")
    citizen.send("EN")
    assert citizen.send("HELP") == gettext("en", texts.TEMPLATES[texts.HELP_CITIZEN].msgid)


def test_agencies_lists_codes_and_names_over_a_few_sms(demo, phone, twilio_api, work):
    officer = phone(OFFICER)
    first = officer.send("หน่วยงาน")
    work()
    rest = [body for body in twilio_api.to("+66800000101") if body.startswith(first.split(":")[0] + ":")]
    parts = [first, *rest]
    assert 1 < len(parts) <= texts.TEMPLATES[texts.STAFF_AGENCIES].parts
    assert all(segments.fits(part) and not reference.find_in(part) for part in parts)
    items = [item for part in parts for item in part.split(": ", 1)[1].rstrip(",").split(", ")]
    assert all(item.startswith(("ddpm", "highway", "livestock", "nre", "pea", "ppho", "pwa")) for item in items[:7])
    assert "pwa กปภ.ลำพูน" in items and "pea กฟภ.ลำพูน" in items  # routed province-wide: first; never split
    assert "lao510102 อบต.เหมืองง่า" in officer.send("หน่วยงาน เหมืองง่า")
    narrowed = officer.send("หน่วยงาน กปภ")  # words narrow the list
    assert "pwa กปภ.ลำพูน" in narrowed and "lao510101" not in narrowed
    assert "pwa" in officer.send("AGENCIES PWA")
    assert "1." in phone("0899999999").send("หน่วยงาน")  # not staff: a citizen's words start a report


@pytest.mark.parametrize("named", ["กปภ.ลำพูน", "กปภ ลำพูน", "PWA Lamphun", "pwa lamphun", "กปภ.ลำพุน", "PWA"])
def test_forward_by_an_agencys_name(demo, phone, twilio_api, work, named):
    ref = file_case(phone, work)
    answer = phone(OFFICER).send(f"ส่งต่อ {ref} {named}")
    assert ref in answer and "กปภ" in answer, answer
    case = Case.get(Case.reference == ref)
    assert case.agency_id == "pwa" and case.status == CaseStatus.ASSIGNED


def test_forward_to_an_ambiguous_or_unknown_name_says_how_to_list(demo, phone, work):
    ref = file_case(phone, work)
    for named in ("อบต", "nowhere"):
        answer = phone(OFFICER).send(f"FWD {ref} {named}")
        assert "ไม่พบหน่วยงาน" in answer and '"หน่วยงาน"' in answer and segments.fits(answer)
    assert Case.get(Case.reference == ref).agency_id == "lao510101"


def test_forward_to_the_agency_holding_the_case_changes_nothing(demo, phone, twilio_api, work):
    ref = file_case(phone, work)
    officer = phone(OFFICER)
    officer.send(f"รับ {ref}")
    work()
    told = len(twilio_api.to(CITIZEN))
    answer = officer.send(f"ส่งต่อ {ref} lao510101")
    assert ref in answer and "แล้ว" in answer and segments.fits(answer), answer
    work()
    case = Case.get(Case.reference == ref)
    assert case.status == CaseStatus.ACCEPTED and case.accepted_at is not None  # still taken
    assert len(twilio_api.to(CITIZEN)) == told  # the citizen is not told it was passed on


def test_village_head_list_names_types_in_thai(demo, phone, work):
    ref = file_case(phone, work, "8 51010103 สุนัขจรจัดกัดเด็ก")
    listed = phone(HEAD).send("งาน")
    assert f"{ref} สัตว์จรจัด" in listed and "animals" not in listed


@pytest.mark.parametrize("position, code", [(9, "health"), (10, "other")])
def test_one_shot_type_number_is_the_menu_number(demo, phone, position, code):
    ref = reference.find_in(phone(CITIZEN).send(f"{position} 51010103 เรื่องทดสอบเลขประเภท"))
    assert Case.get(Case.reference == ref).category_id == code


def test_simulator_shows_a_pushed_sms_before_the_next_answer(demo, runner, monkeypatch):
    lines = iter(["สถานะ 1234567", "ช่วย"])

    def typed(prompt):
        line = next(lines, None)
        if line == "ช่วย":  # while the second line is typed, the worker pushes an SMS
            with unit_of_work(None):
                queue_text("+66812345678", "PUSHED-WHILE-TYPING", kind="test")
        return line

    monkeypatch.setattr(simulator, "_read", typed)
    result = runner.invoke(args=["simulate", "--channel", "sms", "--phone", CITIZEN])
    assert result.exit_code == 0, result.output
    output = result.output
    pushed = output.index("[SMS to you] PUSHED-WHILE-TYPING")
    help_answer = output.index("< " + gettext("th", texts.TEMPLATES[texts.HELP_CITIZEN].msgid))
    assert output.index("< ") < pushed < help_answer  # after the first answer, before the second
    assert Outbox.select().where(Outbox.body == "PUSHED-WHILE-TYPING").count() == 1


def test_staff_without_a_reference_are_told_staff_words(demo, phone):
    for word in ("รับ", "เสร็จ", "ดู", "ส่งต่อ"):
        answer = phone(OFFICER).send(word)
        assert answer == gettext("th", texts.TEMPLATES[texts.STAFF_HELP].msgid), word
        assert "สถานะ" not in answer  # never the citizen's word
