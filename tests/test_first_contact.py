"""Issue 11 as its users meet it (a quality pass over real conversations): a grandmother who
greets first, types a place with a slip or ends an answer with ค่ะ; villages of the same name in
another province's directory (in the pick question, as the last village, on a call); a moo that
does not exist; a village head's very first report for a resident; staff SMS naming a village
with its subdistrict; AGENCIES narrowed by a type; "then press #" said where it belongs."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

from cases.language import places, segments, texts
from cases.province import directory
from cases.store import reference
from cases.store.models import Case, Conversation, Subdistrict, Village

from .test_voice import Caller, key_for, said
from .ussd_helpers import UssdPhone, pick

NAN_DIRECTORY = Path(__file__).resolve().parent / "data" / "nan_directory"
CITIZEN = "0812345678"


def draft(number: str) -> dict:
    return Conversation.get(Conversation.key == f"sms:{number}").state


def filed(answer: str) -> Case:
    ref = reference.find_in(answer)
    assert ref, answer
    return Case.get(Case.reference == ref)


def test_a_greeting_is_not_kept_as_the_description(demo, phone):
    citizen = phone(CITIZEN)
    assert "1." in citizen.send("สวัสดีค่ะ")  # nothing to read: the menu
    citizen.send("1")
    assert "เล่าปัญหา" in citizen.send("ในเมือง 2")  # the problem is still asked
    case = filed(citizen.send("ถนนเป็นหลุมใหญ่หน้าวัด"))
    assert (case.category_id, case.village_id, case.description) == ("road", "51010102", "ถนนเป็นหลุมใหญ่หน้าวัด")

    asking = phone("0812345679")
    asking.send("แจ้งเรื่องหน่อยครับ")  # "I'd like to report something": no description either
    assert "description" not in draft("+66812345679")["data"]

    unread = phone("0812345677")
    unread.send("ต้นไม้ใหญ่ล้มขวางหน้าวัด")  # words the reader cannot place are still the description
    assert draft("+66812345677")["data"]["description"] == "ต้นไม้ใหญ่ล้มขวางหน้าวัด"


def test_words_at_the_type_question_also_give_the_place(demo, phone):
    citizen = phone(CITIZEN)
    citizen.send("สวัสดีค่ะ")
    question = citizen.send("ขยะล้น หมู่ 2 ต.ในเมือง")  # type and place in one answer
    assert question.startswith("ขยะ หมู่ 2 ต.ในเมือง ใช่ไหม"), question
    case = filed(citizen.send("1"))
    assert (case.category_id, case.village_id, case.description) == ("garbage", "51010102", "ขยะล้น หมู่ 2 ต.ในเมือง")


def test_a_place_typed_with_a_slip_does_not_hide_the_type(demo, phone):
    question = phone(CITIZEN).send("ไฟดับ ในเมอง 3")  # ในเมือง without its vowel
    assert question.startswith("ไฟฟ้า หมู่ 3 ต.ในเมือง ใช่ไหม"), question
    question = phone("0812345679").send("ไฟดับหนองชางคืน 2")  # no space, a slip
    assert question.startswith("ไฟฟ้า หมู่ 2 ต.หนองช้างคืน ใช่ไหม"), question


def test_a_moo_the_subdistrict_lacks_is_said_and_asked_again(demo, phone):
    citizen = phone(CITIZEN)
    citizen.send("ไฟดับ หมู่ 3 ต.ในเมือง")
    answer = citizen.send("หมู่ 9")  # a correction to a moo that is not there
    assert "ไม่มีหมู่ 9" in answer and "ในเมือง" in answer
    assert citizen.send("2").startswith("ไฟฟ้า หมู่ 2 ต.ในเมือง ใช่ไหม")
    assert filed(citizen.send("1")).village_id == "51010102"

    first = phone("0812345679").send("น้ำไม่ไหล หมู่ 9 ต.เหมืองง่า")  # already in the first message
    assert "ไม่มีหมู่ 9" in first and "เหมืองง่า" in first and segments.fits(first)


def test_a_village_heads_first_report_for_a_resident_offers_the_heads_village(demo, phone):
    head = phone("0800000202")  # head of moo 2 Nai Mueang, never reported before
    question = head.send("แทน 0812345670 น้ำไม่ไหล3วันแล้ว")
    assert "1.หมู่ 2 ต.ในเมือง" in question, question
    assert head.send("1").startswith("ประปา หมู่ 2 ต.ในเมือง ใช่ไหม")
    case = filed(head.send("1"))
    assert (case.reporter_phone, case.submitter_phone, case.village_id) == ("+66812345670", "+66800000202", "51010102")


def load_with_twin_names(tmp_path: Path) -> None:
    """The Nan test directory plus a subdistrict named like ต.ปัว in another district, with
    its own บ้านดอนมูล: only the district tells these two apart."""
    folder = tmp_path / "directory"
    shutil.copytree(NAN_DIRECTORY, folder)
    with open(folder / "subdistricts.csv", encoding="utf-8") as source:
        header = next(csv.reader(source))
    row = dict.fromkeys(header, "")
    row.update(code="550399", district_code="5503", name_th="ปัว", name_en="Pua")
    with open(folder / "subdistricts.csv", "a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow([row[name] for name in header])
    with open(folder / "villages.csv", "a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow(["55039901", "550399", "1", "บ้านดอนมูล", "Ban Don Mun"])
    directory.load(folder)


def options_of(question: str) -> list[str]:
    """The labels of the numbered options in an SMS question (not 0, the page key)."""
    return [label for number, label in OPTION.findall(question) if number != "0"]


OPTION = re.compile(r"(\d+)\.(.*?)(?= \d+\.|$)")


def all_pages(citizen, question: str) -> list[str]:
    labels = options_of(question)
    while "0.ถัดไป" in question:
        question = citizen.send("0")
        labels += options_of(question)
    return labels


def test_villages_of_the_same_name_are_told_apart_in_the_question(app, phone, tmp_path):
    directory.load(NAN_DIRECTORY)  # บ้านดอนมูล is moo 1 of three subdistricts
    citizen = phone(CITIZEN)
    citizen.send("ขัวพัง")
    labels = all_pages(citizen, citizen.send("ดอนมูล"))
    assert {"บ้านดอนมูล ต.ปัว", "บ้านดอนมูล ต.ในเวียง"} <= set(labels) and len(set(labels)) == len(labels) == 3, labels

    load_with_twin_names(tmp_path)
    other = phone("0812345679")
    other.send("ขัวพัง")
    labels = all_pages(other, other.send("ดอนมูล"))
    assert {"บ้านดอนมูล ต.ปัว/ปัว", "บ้านดอนมูล ต.ปัว/บ้านหลวง"} <= set(labels), labels
    assert len(set(labels)) == len(labels) == 4, labels


def test_staff_sms_name_a_village_with_its_subdistrict(app, phone, twilio_api, work):
    directory.load(NAN_DIRECTORY)
    case = filed(phone(CITIZEN).send("5 55050101 ช้างลงไร่ข้าวโพด"))  # บ้านดอนมูล, moo 1 of ต.ปัว
    work()
    new_case = twilio_api.to("+66800000501")[-1]  # the wild-elephant officer
    assert new_case.startswith(f"{case.reference} ช้างป่าบุกรุก บ้านดอนมูล ต.ปัว"), new_case
    view = phone("0800000501").send(f"ดู {case.reference}")
    work()
    parts = [view] + [body for body in twilio_api.to("+66800000501") if body.startswith(f"{case.reference}:")]
    assert "08x-xxx-5678" in view and "บ้านดอนมูล ต.ปัว" in " ".join(parts)
    assert not any("081 234 5678" in part or "0812345678" in part for part in parts)


def test_agencies_by_a_type_word_and_a_list_that_ends_on_a_whole_item(demo, phone, twilio_api, work):
    officer = phone("0800000101")
    assert "pea กฟภ.ลำพูน" in officer.send("หน่วยงาน ไฟฟ้า")  # electricity is routed to กฟภ.
    unknown = officer.send("หน่วยงาน อุทยาน")
    assert "ไม่พบหน่วยงาน อุทยาน" in unknown and "ddpm" not in unknown
    first = officer.send("หน่วยงาน")
    work()
    parts = [first] + [body for body in twilio_api.to("+66800000101") if body.startswith(first.split(":")[0] + ":")]
    assert len(parts) == texts.TEMPLATES[texts.STAFF_AGENCIES].parts
    assert not any(part.endswith(",") for part in parts)
    assert parts[-1].endswith(", …")  # more agencies than three SMS hold ("หน่วยงาน word" narrows)
    last_items = parts[-1].split(": ", 1)[1].removesuffix(", …").split(", ")
    assert all(len(item.split(" ")) == 2 and item.split(" ")[1].endswith("ลำพูน") for item in last_items), parts[-1]


def test_then_press_hash_follows_the_two_key_option_not_the_more_key(demo, twilio_app):
    caller = Caller(twilio_app.test_client(), "+66812345678")
    caller.press(key_for(caller.call(), "แจ้งปัญหา"))
    spoken = said(caller.press("0"))
    assert "กด 1 0 อื่นๆ แล้วกดสี่เหลี่ยม กด 0 ฟังรายการตั้งแต่ต้น" in spoken, spoken


def test_the_last_village_is_offered_with_its_subdistrict(app, phone, work):
    directory.load(NAN_DIRECTORY)
    citizen = phone(CITIZEN)
    filed(citizen.send("5 55050101 ช้างลงไร่"))  # บ้านดอนมูล of ต.ปัว: a name three subdistricts have
    work()  # routing remembers the village
    question = citizen.send("ไฟดับ")
    assert "1.บ้านดอนมูล ต.ปัว " in question, question
    assert citizen.send("1").startswith("ไฟฟ้า/ไฟทาง บ้านดอนมูล ต.ปัว ใช่ไหม")


def test_the_phone_menus_confirm_a_village_with_its_subdistrict(app, twilio_app):
    directory.load(NAN_DIRECTORY)
    caller = Caller(twilio_app.test_client(), "+66812345678")
    twiml = caller.press(key_for(caller.call(), "แจ้งปัญหา"))
    twiml = caller.press(key_for(twiml, "ถนน"))
    twiml = caller.press(key_for(twiml, "ปัว"))  # the district
    twiml = caller.press(key_for(twiml, "ปัว"))  # the subdistrict
    twiml = caller.press("1")  # moo 1: บ้านดอนมูล
    twiml = caller.post("/twilio/voice/step", Digits="0")  # no recording
    assert "บ้านดอนมูล ตำบล ปัว ใช่ไหม" in said(twiml), said(twiml)


def test_a_village_whose_name_holds_its_subdistricts_name_is_still_named_with_it(app, phone):
    directory.load(NAN_DIRECTORY)
    head = phone("0800000601")  # head of บ้านดอนมูล, moo 1 of ต.ปัว
    question = head.send("แทน ไฟกิ่งบ่ติด หมู่ 2")  # moo 2 of ต.ปัว is บ้านน้ำปัว
    assert question.startswith("ไฟฟ้า/ไฟทาง บ้านน้ำปัว ต.ปัว ใช่ไหม"), question
    assert "หมู่ 3 ต.ในเมือง" == places.village_label(Village(name_th="หมู่ 3 ต.ในเมือง", name_en="Moo 3 Nai Mueang",
                                                              subdistrict=Subdistrict(name_th="ในเมือง", name_en="Nai Mueang")))["th"]


def test_answers_with_a_polite_particle(demo, phone, work):
    """Thai answers often end with ค่ะ or ครับ: ``ใช่ค่ะ``, ``1 ค่ะ``, ``ไม่ใช่ครับ``, ``5 ครับ``."""
    for number, yes in (("0812345670", "ใช่ค่ะ"), ("0812345671", "1 ค่ะ"), ("0812345672", "๑ครับ")):
        citizen = phone(number)
        citizen.send("ไฟดับ หมู่ 2 ต.อุโมงค์")
        assert filed(citizen.send(yes)).village_id == "51010302", yes
    other = phone("0812345673")
    other.send("ไฟดับ หมู่ 2 ต.อุโมงค์")
    other.send("ไม่ใช่ครับ")
    assert draft("+66812345673")["node"] == "category"  # a no: the type is asked again
    assert "6.ภัยแล้ง" in other.send("0 ค่ะ")  # the next page
    other.send("3 ค่ะ")
    assert draft("+66812345673")["node"] == "village"

    ref = filed_and_done(phone, work)
    assert "ขอบคุณ" in phone(CITIZEN).send("5 ค่ะ")
    assert Case.get(Case.reference == ref).rating == 5


def filed_and_done(phone, work, note: str = "") -> str:
    """A one-shot report, taken and closed by the demo officer (``note`` after the ref)."""
    ref = reference.find_in(phone(CITIZEN).send("1 51010103 ถนนพัง"))
    work()
    officer = phone("0800000101")
    officer.send(f"รับ {ref}")
    officer.send(f"เสร็จ {ref}{note}")
    work()
    return ref


def test_a_polite_particle_alone_is_no_note_for_the_citizen(demo, phone, twilio_api, work):
    ref = filed_and_done(phone, work, " ครับ")
    told = twilio_api.to("+66812345678")[-1]
    assert told.startswith(f"เรื่อง {ref} เสร็จแล้ว โดย ทม.ลำพูน") and "ครับ" not in told, told


def test_an_unknown_village_code_on_the_keypad_gets_the_list_again(demo, client, twilio_app):
    ussd = UssdPhone(client, "+66812345678")
    ussd.send()
    asked = ussd.send(pick(ussd.send("1"), "ถนน"))  # อำเภอไหน หรือกดรหัสหมู่บ้าน + districts
    again = ussd.send("51019999")  # no village has this code
    assert again.startswith("CON ไม่พบรหัสนี้ โปรดเลือกใหม่\n"), again
    assert again.split("\n")[1:] == asked.split("\n")[1:]  # the same page of districts
    assert "ตำบลไหน" in ussd.send(pick(again, "เมืองลำพูน"))

    caller = Caller(twilio_app.test_client(), "+66812345679")
    twiml = caller.press(key_for(caller.call(), "แจ้งปัญหา"))
    twiml = caller.press(key_for(twiml, "ถนน"))
    spoken = said(caller.press("51019999"))
    assert "ไม่พบรหัสนี้ โปรดเลือกใหม่" in spoken and "กด 1 เมืองลำพูน" in spoken, spoken


def test_a_place_alone_is_not_the_description(app, phone):
    directory.load(NAN_DIRECTORY)
    citizen = phone(CITIZEN)
    citizen.send("บ้านดอนมูล ต.ปัว")  # only where: the type menu
    assert "description" not in draft("+66812345678")["data"]
    assert citizen.send("ช้างเข้าสวนกล้วย").startswith("ช้างป่าบุกรุก บ้านดอนมูล ต.ปัว ใช่ไหม")
    assert filed(citizen.send("1")).description == "ช้างเข้าสวนกล้วย"  # the words that said what

    typed = phone("0812345679")
    typed.send("1 บ้านดอนมูล ต.ปัว")  # a type number and a place: still nothing about the problem
    assert "description" not in draft("+66812345679")["data"]

    short = phone("0812345677")
    short.send("บ้านดอนมูล ต.ปัว")
    assert "เล่าปัญหา" in short.send("ช้าง")  # one word answers the type; what happened is asked
    assert short.send("เหยียบแปลงข้าวโพด").startswith("ช้างป่าบุกรุก บ้านดอนมูล ต.ปัว ใช่ไหม")
