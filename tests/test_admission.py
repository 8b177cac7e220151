"""In a flood the webhook only stores what it cannot answer at once; a worker answers it by
SMS, each phone's messages in their order, each once (workers/admission.py)."""
from cases import reference
from cases.models import Case, InboundMessage

from sms_gateway import services

CITIZEN, OTHER = "+66812345678", "+66812345679"


def flood(app, on: bool) -> None:
    """Make every message of this second over the inline limit (``on``), or none of them."""
    services(app).admission.per_second = -1 if on else 10**6


def test_a_flooded_message_is_stored_then_answered_by_sms_in_the_phones_order(demo, twilio_app, phone, twilio_api, work):
    citizen, other = phone("0812345678"), phone("0812345679")
    flood(twilio_app, True)
    assert citizen.send("ถนนเป็นหลุมใหญ่ หมู่ 3 ต.ในเมือง") == ""  # stored; no answer in the webhook
    assert InboundMessage.select().where(InboundMessage.processed == False).count() == 1  # noqa: E712
    flood(twilio_app, False)
    assert citizen.send("1") == ""  # the first still waits for a worker: this one waits its turn
    assert other.send("ยกเลิก")  # another phone is answered in the webhook again
    work()
    answers = twilio_api.to(CITIZEN)
    assert len(answers) == 2, answers
    assert "ใช่ไหม" in answers[0] and "1.ใช่" in answers[0]  # the reading, asked first
    ref = reference.find_in(answers[1])  # then "1" (yes) files it
    assert ref and Case.get(Case.reference == ref).village_id == "51010103"
    assert InboundMessage.select().where(InboundMessage.processed == False).count() == 0  # noqa: E712
    assert citizen.send(f"สถานะ {ref}")  # the phone's turn is over: answered in the webhook again


def test_a_copy_of_a_flooded_webhook_adds_nothing(demo, twilio_app, phone, twilio_api, work):
    citizen = phone("0812345678")
    flood(twilio_app, True)
    assert citizen.send("1 51010103 ไฟดับทั้งซอย", sid="SMflood1") == ""
    flood(twilio_app, False)
    assert citizen.send("1 51010103 ไฟดับทั้งซอย", sid="SMflood1") == ""  # waits for the first, too
    work()
    assert InboundMessage.select().count() == 1 and Case.select().count() == 1
    answers = twilio_api.to(CITIZEN)
    assert len(answers) == 1 and reference.find_in(answers[0])


def test_redis_down_means_answering_in_the_webhook(demo, twilio_app, phone, redis_server):
    flood(twilio_app, True)
    redis_server.stop()
    try:
        assert reference.find_in(phone("0812345678").send("1 51010103 ไฟดับทั้งซอย"))
    finally:
        redis_server.start()
