"""The whole loop through the Android phone gateway: signed webhook events in, replies and
notifications out through the outbox, a real rq worker and the official client."""
from cases.store import reference
from cases.store.models import Case, CaseStatus, InboundMessage, Outbox, OutboxStatus

OFFICER = "+66800000101"  # demo staff of ทม.ลำพูน (Nai Mueang)
CITIZEN = "+66812345678"


def last_to(api, phone: str) -> str:
    texts = api.to(phone)
    assert texts, f"nothing was sent to {phone}"
    return texts[-1]


def test_report_routed_accepted_done_through_the_phone(demo, smsgate_app, smsgate_api, work):
    smsgate_api.text_in("0812345678", "2 51010103 ท่อประปาแตกหน้าวัด")
    assert smsgate_api.to(CITIZEN) == []  # the reply waits in the outbox for the worker
    work()
    ref = reference.find_in(last_to(smsgate_api, CITIZEN))
    assert ref and reference.is_valid(ref)
    case = Case.get(Case.reference == ref)
    assert case.status == CaseStatus.ASSIGNED and case.description == "ท่อประปาแตกหน้าวัด"

    staff_texts = [m for m in smsgate_api.messages if ref in m["text"] and m["phone"] != CITIZEN]
    assert staff_texts, "the agency's staff were told"
    officer = staff_texts[0]["phone"]
    assert "0812345678" not in staff_texts[0]["text"]  # PDPA: masked

    smsgate_api.text_in(officer, f"รับ {ref}")
    work()
    assert Case.get_by_id(case.id).status == CaseStatus.ACCEPTED
    assert ref in last_to(smsgate_api, officer)

    smsgate_api.text_in(officer, f"DONE {ref} ซ่อมท่อแล้ว")
    work()
    assert Case.get_by_id(case.id).status == CaseStatus.DONE
    assert "ซ่อมท่อแล้ว" in last_to(smsgate_api, CITIZEN)

    # every SMS went out through the phone, with the app's message id on its outbox row
    rows = list(Outbox.select())
    assert rows and all(row.status == OutboxStatus.SENT and row.provider == "smsgate" for row in rows)
    assert len(smsgate_api.messages) == len(rows)

    smsgate_api.report("sms:delivered", rows[0].provider_id, deliveredAt="2025-01-01T10:00:00+07:00")
    smsgate_api.report("sms:failed", rows[1].provider_id, reason="RESULT_ERROR_NO_SERVICE")
    assert Outbox.get_by_id(rows[0].id).status == OutboxStatus.DELIVERED
    failed = Outbox.get_by_id(rows[1].id)
    assert failed.status == OutboxStatus.FAILED and "NO_SERVICE" in failed.error


def test_menu_conversation_through_the_phone(demo, smsgate_app, smsgate_api, work):
    smsgate_api.text_in("0812345678", "แจ้งเรื่องหน่อยครับ")  # nothing to read: the type menu
    work()
    assert "1." in last_to(smsgate_api, CITIZEN)
    for answer in ["1", "ในเมือง", "๓", "ถนนหน้าวัดเป็นหลุม"]:
        smsgate_api.text_in("0812345678", answer)
        work()
    ref = reference.find_in(last_to(smsgate_api, CITIZEN))
    case = Case.get(Case.reference == ref)
    assert (case.village_id, case.category_id) == ("51010103", "road")
    assert case.description == "ถนนหน้าวัดเป็นหลุม"  # "please let me report" says nothing of it: asked
    assert InboundMessage.select().where(InboundMessage.provider == "smsgate").count() == 5


def test_same_event_three_times_is_one_message_and_one_reply(demo, smsgate_app, smsgate_api, work):
    event = smsgate_api.received_event("0812345678", "2 51010203 น้ำไม่ไหล")
    for _ in range(3):
        assert smsgate_api.post_event(event).status_code == 204
    # the app reports the same SMS again under a new event id (its messageId is not unique)
    again = {**event, "id": "evt-other", "payload": {**event["payload"], "messageId": "in-other"}}
    assert smsgate_api.post_event(again).status_code == 204
    work()
    assert InboundMessage.select().count() == 1
    assert Case.select().count() == 1
    assert len(smsgate_api.to(CITIZEN)) == 1


def test_a_send_failed_twice_then_accepted_is_one_sms(demo, smsgate_app, smsgate_api, work):
    smsgate_api.fail_next(500, times=2)
    smsgate_api.text_in("0812345678", "สวัสดี")
    work()
    assert smsgate_api.requests == 3
    assert len(smsgate_api.to(CITIZEN)) == 1
    row = Outbox.get(Outbox.phone == CITIZEN)
    assert row.status == OutboxStatus.SENT and row.attempts == 3


def test_a_rejected_number_fails_for_good(demo, smsgate_app, smsgate_api, work):
    smsgate_api.fail_next(400)
    smsgate_api.text_in("0812345678", "สวัสดี")
    work()
    row = Outbox.get(Outbox.phone == CITIZEN)
    assert row.status == OutboxStatus.FAILED and row.attempts == 1 and "400" in row.error
    assert smsgate_api.to(CITIZEN) == []
