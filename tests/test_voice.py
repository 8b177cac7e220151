"""Voice menu over signed Twilio webhooks: a full report with a recording, the reference
read back and texted, status by phone, re-prompts, goodbye after three failures, forgery."""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from cases.language import texts
from cases.language.i18n import gettext
from cases.store.models import Case, CaseStatus, Contact
from flows import voice

from .conftest import twilio_signature

OFFICER = "+66800000101"
CITIZEN = "+66812345678"
RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE123"
_calls = itertools.count(1)


class Caller:
    """A phone calling the voice number; each answer is a signed webhook."""

    def __init__(self, client, number: str):
        self.client, self.number, self.sid = client, number, f"CA{next(_calls):032d}"

    def post(self, path: str, **fields) -> ET.Element:
        params = {"CallSid": self.sid, "From": self.number, "To": "+15005550006", **fields}
        response = self.client.post(path, data=params, headers={"X-Twilio-Signature": twilio_signature(path, params)})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "application/xml"
        return ET.fromstring(response.data)

    def call(self) -> ET.Element:
        return self.post("/twilio/voice")

    def press(self, digits: str) -> ET.Element:
        return self.post("/twilio/voice/step", Digits=digits)


def said(twiml: ET.Element) -> str:
    return " ".join(say.text or "" for say in twiml.iter("Say"))


def key_for(twiml: ET.Element, label: str) -> str:
    """The key the menu says to press for ``label`` ("กด 3 ไฟฟ้า")."""
    for sentence in said(twiml).split("กด ")[1:]:
        number, _, rest = sentence.partition(" ")
        if rest.startswith(label):
            return number
    raise AssertionError(f"{label!r} not offered: {said(twiml)}")


def test_full_voice_report_with_recording_then_status_by_phone(demo, twilio_app, twilio_api, work):
    caller = Caller(twilio_app.test_client(), CITIZEN)
    twiml = caller.call()
    gather = twiml.find("Gather")
    assert gather.get("input") == "dtmf" and gather.get("numDigits") == "1"
    say = gather.find("Say")
    assert say.get("language") == "th-TH" and say.get("voice") == "Google.th-TH-Standard-A"
    twiml = caller.press(key_for(twiml, "แจ้งปัญหา"))
    twiml = caller.press(key_for(twiml, "ไฟฟ้า"))
    twiml = caller.press(key_for(twiml, "เมืองลำพูน"))
    twiml = caller.press(key_for(twiml, "ในเมือง"))
    moo = twiml.find("Gather")
    assert moo.get("finishOnKey") == "#" and moo.get("numDigits") is None
    twiml = caller.press("3#")
    record = twiml.find("Record")
    assert record is not None and record.get("maxLength") == "60"
    twiml = caller.post("/twilio/voice/step", RecordingUrl=RECORDING, RecordingDuration="7")
    assert "ไฟฟ้า" in said(twiml)  # confirm
    twiml = caller.press(key_for(twiml, "ส่ง"))
    assert twiml.find("Hangup") is not None
    case = Case.get(Case.reporter_phone == CITIZEN)
    spoken = " ".join(case.reference)
    assert said(twiml).count(spoken) == 2  # read back digit by digit, twice
    assert (case.channel, case.voice_url, case.description, case.category_id) == ("voice", RECORDING, "", "power")

    work()
    case = Case.get_by_id(case.id)
    assert case.status == CaseStatus.ASSIGNED and case.agency_id == "pea"
    staff_sms = twilio_api.to("+66800000103")  # the PEA demo officer
    assert len(staff_sms) == 1 and case.reference in staff_sms[0] and "voice note" in staff_sms[0]
    assert any(case.reference in body for body in twilio_api.to(CITIZEN))

    checker = Caller(twilio_app.test_client(), CITIZEN)
    twiml = checker.call()
    twiml = checker.press(key_for(twiml, "ติดตาม"))
    assert twiml.find("Gather").get("finishOnKey") == "#"
    twiml = checker.press(case.reference + "#")
    assert spoken in said(twiml) and twiml.find("Hangup") is not None
    assert "การไฟฟ้าส่วนภูมิภาค" in said(twiml) and "กฟภ." not in said(twiml)  # abbreviations said in full


def test_silence_and_wrong_keys_reprompt_then_goodbye(demo, twilio_app):
    caller = Caller(twilio_app.test_client(), CITIZEN)
    first = said(caller.call())
    again = caller.press("")  # timeout: Gather posts an empty result
    assert again.find("Gather") is not None and said(again) == first
    assert caller.press("7").find("Gather") is not None  # no option 7
    goodbye = caller.press("8")
    assert goodbye.find("Hangup") is not None and goodbye.find("Gather") is None
    assert said(goodbye) == texts.render("th", "too_many_tries")


def test_nothing_recorded_skips_the_description(demo, twilio_app):
    caller = Caller(twilio_app.test_client(), CITIZEN)
    caller.call()
    caller.press("1")
    caller.press("1")
    twiml = caller.press("51010203#")
    assert twiml.find("Record") is not None
    twiml = caller.post("/twilio/voice/step?silent=1")
    assert "ส่ง" in said(twiml)  # straight to the confirmation


def test_lost_session_starts_the_menu_again(demo, twilio_app):
    caller = Caller(twilio_app.test_client(), CITIZEN)
    twiml = caller.press("1")  # no call started under this CallSid
    assert gettext("th", voice.CALL_LOST) in said(twiml) and twiml.find("Gather") is not None


def test_forged_or_missing_signature_is_403(demo, twilio_app):
    client = twilio_app.test_client()
    params = {"CallSid": "CA1", "From": CITIZEN, "To": "+15005550006"}
    for path in ("/twilio/voice", "/twilio/voice/step"):
        assert client.post(path, data=params).status_code == 403
        forged = twilio_signature(path, params, token="wrong-token")
        assert client.post(path, data=params, headers={"X-Twilio-Signature": forged}).status_code == 403


def test_missing_caller_is_400(demo, twilio_app):
    client = twilio_app.test_client()
    params = {"CallSid": "CA1", "To": "+15005550006"}
    response = client.post("/twilio/voice", data=params, headers={"X-Twilio-Signature": twilio_signature("/twilio/voice", params)})
    assert response.status_code == 400


def test_voice_name_is_configurable(demo, twilio_app):
    twilio_app.config["VOICE_NAME"] = "Polly.Example"
    twiml = Caller(twilio_app.test_client(), CITIZEN).call()
    assert twiml.find("Gather").find("Say").get("voice") == "Polly.Example"


def test_english_speech_uses_the_english_catalog(demo, twilio_app):
    Contact.create(phone=CITIZEN, language="en")
    twiml = Caller(twilio_app.test_client(), CITIZEN).call()
    assert "Press 1 for Report a problem." in said(twiml)
    assert twiml.find("Gather").find("Say").get("language") == "en-US"


def test_a_type_number_of_two_keys_on_a_call(demo, twilio_app):
    """Type 10 keeps its number on a call: read key by key, two keys gathered, then # or a pause."""
    caller = Caller(twilio_app.test_client(), CITIZEN)
    twiml = caller.press(key_for(caller.call(), "แจ้งปัญหา"))
    assert "กด 0 ฟังรายการต่อไป" in said(twiml) and twiml.find("Gather").get("numDigits") == "1"
    twiml = caller.press("0")
    assert "กด 1 0 อื่นๆ" in said(twiml) and "แล้วกดสี่เหลี่ยม" in said(twiml)
    assert twiml.find("Gather").get("numDigits") == "2"
    twiml = caller.press("10")
    assert "อำเภอไหน" in said(twiml)
