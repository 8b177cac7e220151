"""The life of a case after the report, over signed Twilio webhooks with a real rq worker:
village heads, ratings and reopening, reminders and the digest at a controlled clock,
repeated and linked reports, surges, STOP/START, the daily limit and failed deliveries."""
import datetime as dt

import pytest

from cases.language import lifecycle_texts, segments, texts
from cases.messages import redelivery
from cases.store import reference
from cases.store.models import Case, CaseStatus, Contact, Notice, Outbox, utcnow
from web import init_services
from workers import jobs

from .conftest import twilio_signature

OFFICER, UNIT_HEAD, PROVINCE_HEAD = "+66800000101", "+66800000102", "+66800000105"
HEAD3 = "+66800000203"  # village head of 51010103 (moo 3 Nai Mueang)
CITIZEN, OTHER = "+66812345678", "+66898765432"


def ref_of(text: str) -> str:
    ref = reference.find_in(text)
    assert ref and reference.is_valid(ref), text
    return ref


def file(phone, body="1 51010103 หลุมใหญ่กลางถนน") -> Case:
    return Case.get(Case.reference == ref_of(phone.send(body)))


def backdate(case: Case, **ago) -> None:
    """Move the case's clock fields back by ``ago`` (field=timedelta)."""
    Case.update(**{field: utcnow() - delta for field, delta in ago.items()}).where(Case.id == case.id).execute()


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_new_template_fits_one_segment_with_worst_case_values(language, demo):
    worst = {
        "ref": "1234567890", "phone": "08x-xxx-5678", "count": 99, "open": 999, "overdue": 999, "done": 999, "max": 10,
        "category": {"th": "ไฟป่า/หมอกควัน", "en": "Stray animals"},
        "village": {"th": "หมู่ 1 ต.หนองปลาสะวาย", "en": "Moo 1 Nong Chang Khuen"},
        "agency": {"th": "ศูนย์ดำรงธรรมลำพูน", "en": "Damrongdhama Centre Lamphun"},
        "subdistrict": {"th": "หนองปลาสะวาย", "en": "Nong Chang Khuen"},
        "district": {"th": "เวียงหนองล่อง", "en": "Wiang Nong Long"},
        "note": "ซ่อม" * 60, "text": "น้ำท่วม" * 40, "body": "เรื่อง 1234567890 เสร็จ " * 10,
    }
    keys = [key for key, value in vars(lifecycle_texts).items() if key.isupper() and isinstance(value, str)]
    assert len(keys) >= 20
    for name in keys:
        key = getattr(lifecycle_texts, name)
        body = texts.render(language, key, **worst)
        assert segments.fits(body), (key, segments.units(body), body)
        if language == "th":
            assert not segments.is_gsm7(body), f"{key} has no Thai translation"


def test_head_reports_for_resident_with_phone(demo, phone, twilio_api, work):
    head, officer = phone("0800000203"), phone("0800000101")
    question = head.send("แทน 0812345678")
    assert "1." in question  # the report flow's first question
    assert "หมู่ 3" in head.send("1")  # the head's own village offered first
    head.send("1")
    ref = ref_of(head.send("ท่อแตก"))
    case = Case.get(Case.reference == ref)
    assert (case.reporter_phone, case.submitter_phone, case.village_id) == (CITIZEN, HEAD3, "51010103")
    work()
    assert ref in twilio_api.to(CITIZEN)[0]  # the resident gets the reference
    officer.send(f"รับ {ref}")
    work()
    assert ref in twilio_api.to(CITIZEN)[-1]
    head_copy = twilio_api.to(HEAD3)[-1]
    assert head_copy.startswith("แทน 08x-xxx-5678") and ref in head_copy and segments.fits(head_copy)
    assert ref in head.send("งาน")  # the head lists the village's open cases


def test_head_reports_for_resident_without_phone_and_non_head_is_told(demo, phone, twilio_api, work):
    head = phone("0800000201")
    head.send("FOR")
    head.send("2")  # water
    head.send("1")  # the offered village: moo 1
    ref = ref_of(head.send("no water"))
    case = Case.get(Case.reference == ref)
    assert (case.reporter_phone, case.submitter_phone) == (None, "+66800000201")
    work()
    assert twilio_api.messages, "the water agency's staff were told"
    officer = phone(twilio_api.messages[-1]["To"])
    officer.send(f"ACCEPT {ref}")
    work()
    assert ref in twilio_api.to("+66800000201")[-1]

    citizen = phone("0812345678")
    answer = citizen.send("แทน 0898765432")
    assert "ผู้ใหญ่บ้าน" in answer
    assert Case.select().where(Case.reporter_phone == OTHER).count() == 0
    assert "แทน" in head.send("FOR 12ab")  # a wrong number gets the how-to


def test_rating_low_reopens_to_agency_then_province_after_two(demo, phone, twilio_api, work):
    citizen, officer, province = phone("0812345678"), phone("0800000101"), phone("0800000105")
    case = file(citizen, "1 51010103 หลุม")
    work()
    for round_ in (1, 2, 3):
        closer = officer if Case.get_by_id(case.id).agency_id == "lao510101" else province
        closer.send(f"DONE {case.reference} ซ่อมแล้ว")
        work()
        asked = twilio_api.to(CITIZEN)[-1]
        assert case.reference in asked and "1 แย่-5 ดี" in asked
        assert case.reference in citizen.send("2")  # low rating: offered to reopen
        assert Case.get_by_id(case.id).rating == 2
        assert case.reference in citizen.send("1")  # reopen
        work()
        reopened = Case.get_by_id(case.id)
        assert reopened.status == CaseStatus.ASSIGNED and reopened.reopen_count == round_
        expected = "lao510101" if round_ <= 2 else "province"
        assert reopened.agency_id == expected
        staff_phone = OFFICER if round_ <= 2 else PROVINCE_HEAD
        assert twilio_api.to(staff_phone)[-1].startswith("เปิดใหม่ " + case.reference)


def test_good_rating_is_stored_and_a_stray_digit_later_picks_nothing(demo, phone, twilio_api, work):
    citizen, officer = phone("0812345678"), phone("0800000101")
    case = file(citizen)
    work()
    officer.send(f"DONE {case.reference}")
    work()
    assert "ขอบคุณ" in citizen.send("5")
    assert Case.get_by_id(case.id).rating == 5 and Contact.get_by_id(CITIZEN).awaiting is None
    assert "1." in citizen.send("1")  # no rating pending: a stray digit gets the type menu, no type taken
    assert Case.get_by_id(case.id).status == CaseStatus.DONE


def run_job(func, at: dt.datetime, work):
    work.enqueue(func, at.isoformat())
    work()


def test_reminder_24h_then_escalation_72h_once_each(demo, phone, twilio_api, work):
    citizen = phone("0812345678")
    case = file(citizen)
    work()
    backdate(case, created_at=dt.timedelta(hours=25), assigned_at=dt.timedelta(hours=25))
    before = len(twilio_api.to(OFFICER))
    run_job(jobs.remind, utcnow(), work)
    run_job(jobs.remind, utcnow(), work)  # twice: nothing twice
    reminders = twilio_api.to(OFFICER)[before:]
    assert len(reminders) == 1 and reminders[0].startswith("เตือน: " + case.reference)
    assert not any(case.reference in body for body in twilio_api.to(PROVINCE_HEAD))

    run_job(jobs.remind, utcnow() + dt.timedelta(hours=48), work)
    run_job(jobs.remind, utcnow() + dt.timedelta(hours=48), work)
    assert len(twilio_api.to(OFFICER)[before:]) == 1
    for head in (UNIT_HEAD, PROVINCE_HEAD):
        escalations = [body for body in twilio_api.to(head) if body.startswith("ค้าง 3 วัน")]
        assert len(escalations) == 1 and case.reference in escalations[0]


def test_deadline_reminder_after_accept(demo, phone, twilio_api, work):
    citizen, officer = phone("0812345678"), phone("0800000101")
    case = file(citizen)
    work()
    officer.send(f"ACCEPT {case.reference}")
    work()
    backdate(case, accepted_at=dt.timedelta(days=16))
    run_job(jobs.remind, utcnow(), work)
    run_job(jobs.remind, utcnow(), work)
    late = [body for body in twilio_api.to(OFFICER) if body.startswith("เกินกำหนด")]
    assert len(late) == 1 and case.reference in late[0]


def test_daily_digest_once_a_day(demo, phone, twilio_api, work):
    citizen, officer = phone("0812345678"), phone("0800000101")
    done = file(citizen, "1 51010103 หลุม")
    work()
    officer.send(f"DONE {done.reference}")
    file(citizen, "4 51010102 ขยะล้น")
    work()
    # 08:00 Bangkok = 01:00 UTC; the done case closed "yesterday" Bangkok time
    today_8am = utcnow().replace(hour=1, minute=0, second=0, microsecond=0)
    if today_8am <= utcnow():
        today_8am += dt.timedelta(days=1)
    Case.update(closed_at=today_8am - dt.timedelta(hours=12)).where(Case.id == done.id).execute()
    run_job(jobs.digest, today_8am, work)
    run_job(jobs.digest, today_8am, work)
    digests = [body for body in twilio_api.to(UNIT_HEAD) if body.startswith("วันนี้")]
    assert digests == ["วันนี้ ค้าง 1 เกินกำหนด 0 เสร็จเมื่อวาน 1"]


def test_same_phone_same_problem_gets_existing_reference(demo, phone, twilio_api, work):
    citizen = phone("0812345678")
    case = file(citizen, "1 51010103 หลุมใหญ่")
    again = citizen.send("1 51010103 หลุมลึกขึ้นอีก")
    assert again.startswith("ได้รับแล้ว") and case.reference in again
    assert Case.select().count() == 1
    assert [e.note for e in Case.get_by_id(case.id).events if e.kind == "repeat"] == ["หลุมลึกขึ้นอีก"]


def test_two_phones_same_problem_are_linked_and_staff_see_more_reports(demo, phone, twilio_api, work):
    first = file(phone("0812345678"), "1 51010103 หลุม")
    work()
    second = file(phone("0898765432"), "1 51010103 ถนนพัง")
    assert second.reference != first.reference and Case.get_by_id(second.id).duplicate_of_id == first.id
    work()
    assert twilio_api.to(OFFICER)[-1].startswith(f"{first.reference} +1")
    assert f"{first.reference} ถนน +1" in phone("0800000101").send("LIST")
    phone("0800000101").send(f"DONE {first.reference}")
    work()
    assert Case.get_by_id(second.id).status == CaseStatus.DONE
    assert second.reference in twilio_api.to(OTHER)[-1]


def test_surge_alerts_the_province_once(demo, phone, twilio_api, work):
    for index in range(7):
        file(phone(f"08111111{index:02d}"), f"5 5101010{index % 3 + 1} น้ำท่วมสูง")
    work()
    surges = [body for body in twilio_api.to(PROVINCE_HEAD) if body.startswith("แจ้งถี่")]
    assert len(surges) == 1 and "7 เรื่อง" in surges[0] and "ต.ในเมือง อ.เมืองลำพูน 6 ชม." in surges[0]  # counted when routed
    assert Notice.select().where(Notice.key.startswith("surge:")).count() == 1


def test_stop_and_start_over_http(demo, phone, twilio_api, work):
    citizen, officer = phone("0812345678"), phone("0800000101")
    case = file(citizen)
    work()
    count = len(twilio_api.to(CITIZEN))
    assert "เริ่ม" in citizen.send("STOP")
    officer.send(f"ACCEPT {case.reference}")
    work()
    assert len(twilio_api.to(CITIZEN)) == count  # no status SMS after STOP
    assert case.reference in citizen.send(f"STATUS {case.reference}")  # answers still come
    citizen.send("เริ่ม")
    officer.send(f"DONE {case.reference}")
    work()
    assert len(twilio_api.to(CITIZEN)) == count + 1 and case.reference in twilio_api.to(CITIZEN)[-1]


def test_daily_limit(demo, phone, twilio_api, work):
    citizen = phone("0812345678")
    for position in range(1, 11):
        ref_of(citizen.send(f"{position} 5101010{position % 3 + 1} เรื่องที่ {position}"))
    refused = citizen.send("1 51010201 อีกเรื่อง")
    assert "10" in refused and reference.find_in(refused) is None
    assert "10" in citizen.send("ไฟดับ")  # a new conversation is refused at once too
    assert Case.select().count() == 10


@pytest.mark.parametrize("answered_by", ["web", "worker"])
def test_the_daily_limit_is_the_setting_in_the_web_and_in_the_workers(
    answered_by, demo, phone, twilio_api, work, twilio_app
):
    twilio_app.config.update(MAX_REPORTS_PER_DAY=2, INLINE_LATENCY_BUDGET=0 if answered_by == "worker" else 1.0)
    init_services(twilio_app)
    citizen = phone("0812345678")
    replies = [citizen.send(body) for body in ("1 51010101 หลุม", "3 51010102 ไฟดับ", "1 51010201 อีกเรื่อง")]
    if answered_by == "worker":
        assert replies == ["", "", ""]  # a flood: every answer comes by SMS
        work()
        replies = twilio_api.to(CITIZEN)
    assert [reference.find_in(reply) is not None for reply in replies] == [True, True, False]
    assert "2" in replies[-1] and Case.select().count() == 2


def status_callback(client, sid: str, status: str):
    params = {"MessageSid": sid, "MessageStatus": status, "ErrorCode": "30003"}
    response = client.post(
        "/twilio/sms/status", data=params,
        headers={"X-Twilio-Signature": twilio_signature("/twilio/sms/status", params)},
    )
    assert response.status_code == 204


def test_failed_status_sms_is_retried_once_then_the_village_head_is_told(
    demo, phone, twilio_api, work, twilio_app, monkeypatch
):
    monkeypatch.setattr(redelivery, "REDELIVERY_DELAY", dt.timedelta(0))
    client = twilio_app.test_client()
    citizen, officer = phone("0812345678"), phone("0800000101")
    case = file(citizen)  # village 51010103, head 0800000203
    work()
    officer.send(f"ACCEPT {case.reference}")
    work()
    accepted = [m for m in twilio_api.messages if m["To"] == CITIZEN][-1]
    status_callback(client, accepted["Sid"], "undelivered")
    status_callback(client, accepted["Sid"], "undelivered")  # Twilio repeats itself
    work()
    retries = [m for m in twilio_api.messages if m["To"] == CITIZEN and m["Body"] == accepted["Body"]]
    assert len(retries) == 2
    status_callback(client, retries[-1]["Sid"], "failed")
    status_callback(client, retries[-1]["Sid"], "failed")
    work()
    told = [body for body in twilio_api.to(HEAD3) if "08x-xxx-5678" in body]
    assert len(told) == 1 and case.reference in told[0] and segments.fits(told[0])
    assert Outbox.select().where(Outbox.retry_of.is_null(False)).count() == 1


def test_no_digest_of_zeros(demo, work):
    today_8am = utcnow().replace(hour=1, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    run_job(jobs.digest, today_8am, work)
    assert not Outbox.select().where(Outbox.kind == lifecycle_texts.DIGEST).exists()
    assert not Notice.select().where(Notice.key.startswith("digest:")).exists()
