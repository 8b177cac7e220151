"""Staff commands by SMS and the rules about who may change a case."""
from cases import reference, segments
from cases.models import Case, CaseStatus, Conversation

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


def test_view_sends_the_whole_text_in_several_sms(demo, phone, twilio_api, work):
    long_text = "ท่อประปาแตกหน้าโรงเรียน น้ำไหลท่วมถนนมาสามวันแล้ว รถจักรยานยนต์ลื่นล้มหลายคัน ขอให้มาซ่อมโดยเร็ว"
    ref = file_case(phone, work, f"1 51010103 {long_text}")
    officer = phone(NAI_MUEANG_OFFICER)
    first = officer.send(f"ดู {ref}")
    work()
    parts = [first] + [body for body in twilio_api.to("+66800000101") if body.startswith(f"{ref}:")]
    assert len(parts) >= 2
    assert all(segments.fits(part) and part.startswith(f"{ref}:") for part in parts)
    shown = " ".join(part.split(": ", 1)[1] for part in parts)
    assert "ขอให้มาซ่อมโดยเร็ว" in shown and "081 234 5678" in shown  # the whole number, to call back
    assert all(reference.find_in(part) == ref for part in parts)  # the number is no second reference
    assert "อยู่กับ" in phone(PWA_OFFICER).send(f"VIEW {ref}")  # not their agency: no details
    views = [(e.kind, e.actor) for e in Case.get(Case.reference == ref).events if e.kind == "phone_viewed"]
    assert views == [("phone_viewed", "+66800000101")]  # each view recorded, the refused one not


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
