"""Staff commands by SMS and the rules about who may change a case."""
from cases.casework import lifecycle
from cases.language import segments
from cases.store import reference
from cases.store.models import Case, CaseStatus, Category, Conversation, Village
from web import services

NAI_MUEANG_OFFICER = "0800000101"
PWA_OFFICER = "0800000104"


def file_case(phone, work, text="1 51010103 ถนนพัง"):
    ref = reference.find_in(phone("0812345678").send(text))
    work()
    return ref


def test_staff_of_another_agency_cannot_close(demo, phone, twilio_api, work):
    ref = file_case(phone, work)
    answer = phone(PWA_OFFICER).send(f"เสร็จ {ref} ปิดเอง")
    assert ref in answer and "ทม.ลำพูน" in answer
    assert Case.get(Case.reference == ref).status == CaseStatus.ASSIGNED
    assert [e.kind for e in Case.get(Case.reference == ref).events] == ["filed", "routed"]


def test_bad_check_digit_gets_check_the_number(demo, phone, work):
    ref = file_case(phone, work)
    wrong = ref[:-1] + str((int(ref[-1]) + 1) % 10)
    for text in (f"สถานะ {wrong}", f"status {wrong}", f"รับ {wrong}"):
        sender = phone(NAI_MUEANG_OFFICER) if text.startswith("รับ") else phone("0899999999")
        answer = sender.send(text)
        assert "ตรวจ" in answer, text
    assert Case.get(Case.reference == ref).status == CaseStatus.ASSIGNED


def test_keywords_tolerate_case_spaces_thai_digits_and_slips(demo, phone, work):
    ref = file_case(phone, work)
    thai_ref = ref.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    citizen = phone("0899999999")
    for text in (f"  StAtUs   {ref} ", f"สถานะ{thai_ref}", f"สถาณะ {ref[:3]}-{ref[3:]}", f"STATSU {ref}"):
        assert ref in citizen.send(text), text


def test_accept_forward_and_list(demo, phone, twilio_api, work):
    ref = file_case(phone, work)
    officer = phone(NAI_MUEANG_OFFICER)
    assert ref in officer.send(f"งาน")
    assert ref in officer.send(f"ACCEPT {ref}")
    answer = officer.send(f"FWD {ref} pwa")
    assert ref in answer and "กปภ" in answer
    work()
    case = Case.get(Case.reference == ref)
    assert case.agency_id == "pwa" and case.status == CaseStatus.ASSIGNED
    assert any(ref in body for body in twilio_api.to("+66800000104"))  # the new agency is told
    assert "ไม่มีงานค้าง" in officer.send("LIST")
    assert ref in phone(PWA_OFFICER).send("list")
    assert "ไม่พบหน่วยงาน" in phone(PWA_OFFICER).send(f"ส่งต่อ {ref} nowhere")
    kinds = [e.kind for e in case.events]
    assert kinds == ["filed", "routed", "accepted", "forwarded"]
    assert case.events[-1].actor == "+66800000101"


def test_citizen_using_staff_words_starts_a_report(demo, phone):
    phone("0899999999").send("รับซ่อมถนนไหม")  # a citizen's words, read as a report about a road
    draft = Conversation.get(Conversation.key == "sms:+66899999999").state
    assert draft["node"] == "village" and draft["data"]["category"] == "road"


def test_language_switch_and_cancel(demo, phone):
    citizen = phone("0899999999")
    assert "English" in citizen.send("en")
    assert "problem" in citizen.send("hello")
    assert "Cancelled" in citizen.send("CANCEL")
    assert "Nothing to cancel" in citizen.send("cancel")
    assert "ไทย" in citizen.send("TH")


FULL_FORMS = ("+66812345678", "66812345678", "0812345678", "081 234 5678", "081-234-5678", "81 234 5678", "2345678")
"""Every way the reporter's whole number (0812345678) could be written."""


def test_view_shows_the_number_masked_and_the_whole_text_in_several_sms(demo, phone, twilio_api, work):
    long_text = ("ท่อประปาแตกหน้าโรงเรียน โทร 081 234 5678 น้ำไหลท่วมถนนมาสามวันแล้ว รถจักรยานยนต์ลื่นล้มหลายคัน"
                 " ขอให้มาซ่อมโดยเร็ว")
    ref = file_case(phone, work, f"1 51010103 {long_text}")
    officer = phone(NAI_MUEANG_OFFICER)
    first = officer.send(f"ดู {ref}")
    work()
    more = [body for body in twilio_api.to("+66800000101") if body.startswith(f"{ref}:")]
    parts = [first] + more
    assert len(parts) >= 2 and all(segments.fits(part) for part in parts)
    assert first.startswith(f"{ref}: 08x-xxx-5678 ") and "คอนโซล" in first  # the reply: masked, and where to call
    shown = " ".join(part.split(": ", 1)[1] for part in parts)
    assert "ขอให้มาซ่อมโดยเร็ว" in shown and "โทร 08x-xxx-5678" in shown  # numbers in the text masked too
    for part in parts:
        assert not any(form in part for form in FULL_FORMS), part  # never the whole number
        assert reference.find_in(part) == ref  # the number is no second reference
    assert "อยู่กับ" in phone(PWA_OFFICER).send(f"VIEW {ref}")  # not their agency: no details
    assert not [e for e in Case.get(Case.reference == ref).events if e.kind == "phone_viewed"]  # no number shown
    assert "whole number in the console" in phone(NAI_MUEANG_OFFICER).send("EN") + officer.send(f"VIEW {ref}")


def test_view_of_a_case_without_a_phone(demo, app, phone, work):
    with services(app).work():
        case = lifecycle.file_report(Category.get_by_id("road"), Village.get_by_id("51010103"), "ถนนพัง", None)
    work()
    answer = phone(NAI_MUEANG_OFFICER).send(f"ดู {case.reference}")
    assert answer.startswith(f"{case.reference}: ไม่มีเบอร์โทร ") and "ถนนพัง" in answer and segments.fits(answer)


def test_list_spreads_over_two_sms(demo, phone, twilio_api, work):
    refs = [file_case(phone, work, f"{n} 51010103 เรื่องที่ {n}") for n in (1, 4, 8, 10, 1)]
    refs += [file_case(phone, work, f"{n} 51010102 เรื่องที่ {n}") for n in (1, 4)]
    officer = phone(NAI_MUEANG_OFFICER)
    first = officer.send("งาน")
    work()
    second = [body for body in twilio_api.to("+66800000101") if body.startswith(first.split(":")[0] + ":")]
    shown = first + " ".join(second)
    assert second, "six cases do not fit one SMS: the rest comes in a second"
    assert segments.fits(first) and all(segments.fits(part) for part in second)
    assert all(ref in shown for ref in refs)
