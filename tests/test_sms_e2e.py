"""The whole loop over HTTP: signed Twilio webhooks in, a real rq worker routes and sends,
the twilio client's REST calls land at the stand-in."""
from cases.store import reference
from cases.store.models import Case, CaseStatus

OFFICER = "+66800000101"  # demo staff of ทม.ลำพูน (Nai Mueang)
CITIZEN = "+66812345678"


def test_menu_report_routed_accepted_done_and_status(demo, phone, twilio_api, work):
    citizen, officer = phone("0812345678"), phone("0800000101")

    assert "1." not in citizen.send("ถนนหน้าบ้านเป็นหลุม")  # the type is read: only the village is asked
    assert "ในเมือง" in citizen.send("ในเมือง")  # asks the moo of Nai Mueang
    check = citizen.send("๓")  # Thai digit
    assert "ถนน" in check and "หมู่ 3 ต.ในเมือง" in check and "1.ใช่" in check  # the reading, named back
    received = citizen.send("1")
    ref = reference.find_in(received)
    assert ref and reference.is_valid(ref)
    assert "ถนน" in received and "หมู่ 3 ต.ในเมือง" in received  # the receipt echoes type and village

    case = Case.get(Case.reference == ref)
    assert case.village_id == "51010103" and case.category_id == "road" and case.status == CaseStatus.NEW
    assert case.description == "ถนนหน้าบ้านเป็นหลุม"

    work()
    case = Case.get_by_id(case.id)
    assert case.status == CaseStatus.ASSIGNED and case.agency_id == "lao510101"
    staff_sms = twilio_api.to(OFFICER)
    assert len(staff_sms) == 1 and ref in staff_sms[0] and "x-xxx-5678" in staff_sms[0]
    assert "0812345678" not in staff_sms[0]  # PDPA: masked

    assert ref in officer.send(f"รับ {ref}")
    work()
    assert Case.get_by_id(case.id).status == CaseStatus.ACCEPTED
    assert any(ref in body for body in twilio_api.to(CITIZEN))

    officer.send(f"DONE {ref} ซ่อมแล้ว")
    work()
    assert Case.get_by_id(case.id).status == CaseStatus.DONE
    assert "ซ่อมแล้ว" in twilio_api.to(CITIZEN)[-1]

    status = citizen.send(f"สถานะ {ref}")
    assert ref in status and "เสร็จ" in status
    kinds = [event.kind for event in Case.get_by_id(case.id).events]
    assert kinds == ["filed", "routed", "accepted", "done"]


def test_one_shot_report_is_filed_at_once(demo, phone, twilio_api, work):
    citizen = phone("+66812345678")
    reply = citizen.send("2 51010203 น้ำประปาไม่ไหลสามวัน")
    ref = reference.find_in(reply)
    case = Case.get(Case.reference == ref)
    assert (case.category_id, case.village_id, case.description) == ("water", "51010203", "น้ำประปาไม่ไหลสามวัน")
    work()
    case = Case.get_by_id(case.id)
    assert case.agency_id == "pwa" and case.status == CaseStatus.ASSIGNED
    pwa_staff = [m for m in twilio_api.messages if ref in m["Body"]]
    assert pwa_staff, "the water agency's staff were told"
    officer_phone = pwa_staff[0]["To"]
    officer = phone(officer_phone)
    officer.send(f"done {ref}")
    work()
    assert Case.get_by_id(case.id).status == CaseStatus.DONE
    assert ref in twilio_api.to(CITIZEN)[-1]
    assert ref in citizen.send(f"STATUS {ref}")


def test_a_reference_sent_alone_or_in_groups_gets_the_status(demo, phone, work):
    citizen = phone("0812345678")
    ref = reference.find_in(citizen.send("2 51010203 น้ำประปาไม่ไหลสามวัน"))
    work()
    alone = citizen.send(ref)  # the villager sends the receipt's number back, nothing else
    assert ref in alone and "1." not in alone and Case.select().count() == 1
    grouped = f"{ref[:3]} {ref[3:]}"  # typed in two groups, as it was read out on the phone
    assert ref in citizen.send(f"สถานะ {grouped}") and ref in citizen.send(grouped)
    unknown = next(n for n in (f"{k:06d}" for k in range(100000, 200000)) if reference.is_valid(n))
    assert "1." in citizen.send(unknown)  # a number that names no case starts a report, as before
    assert Case.select().count() == 1


def test_thanks_after_the_receipt_opens_no_new_report(demo, phone, work):
    citizen = phone("0812345678")
    assert reference.find_in(citizen.send("2 51010203 น้ำประปาไม่ไหลสามวัน"))
    for thanks in ("ขอบคุณค่ะ", "ok", "ขอบใจเจ้า"):
        answer = citizen.send(thanks)
        assert "ยินดี" in answer and "1." not in answer
    assert "หมู่บ้านไหน" in citizen.send("ขอบคุณ ไฟฟ้าดับ")  # thanks with a problem in it is a report
