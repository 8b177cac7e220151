"""Open311 GeoReport v2 at /open311/v2: services, discovery, reading cases, filing a case
that is routed to staff by SMS; never the reporter's phone in any answer."""
import datetime as dt
import json
import re
import threading
import xml.etree.ElementTree as ET

import pytest

from cases.language import texts
from cases.messages.receipts import received_params
from cases.province.catalog import CATALOG
from cases.store import models, reference
from cases.store.models import Case, CaseStatus, Category, Outbox

from .conftest import Phone
from .console_helpers import OFFICER, PWA_OFFICER, log_in
from .console_helpers import post as console_post

API = "/open311/v2"
KEY = "partner-key-1"
CITIZEN = "+66812345678"
CITIZEN_FORMS = (CITIZEN, "0812345678", "66812345678", "081-234-5678")
NAI_MUEANG_OFFICER = "+66800000101"  # lao510101 takes roads in 51010103
OFFSET_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


@pytest.fixture
def keys(app):
    app.config["OPEN311_API_KEYS"] = [KEY, "another-key"]
    return app


def post(client, fmt="json", **fields):
    data = {"api_key": KEY, "service_code": "road", "address_id": "51010103", "description": "หลุมใหญ่กลางถนน"}
    data.update(fields)
    return client.post(f"{API}/requests.{fmt}", data={k: v for k, v in data.items() if v is not None})


def filed(client, **fields) -> str:
    response = post(client, **fields)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()[0]["service_request_id"]


def spec_error(response, code: int) -> str:
    assert response.status_code == code, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body, list) and body[0]["code"] == code and body[0]["description"]
    return body[0]["description"]


def test_services_one_per_category_with_keywords(demo, client):
    Category.update(keywords_th="หลุม;ถนนพัง", keywords_en="pothole;road").where(Category.code == "road").execute()
    CATALOG.forget()
    response = client.get(f"{API}/services.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    services = response.get_json()
    assert [s["service_code"] for s in services] == [c.code for c in Category.select().order_by(Category.position)]
    road = services[0]
    assert road["service_name"] == "ถนน" and road["metadata"] is False and road["type"] == "realtime"
    assert road["keywords"] == "หลุม,ถนนพัง,pothole,road"
    assert road["group"] and "Roads" in road["description"]
    assert "ถนน" in response.get_data(as_text=True)  # Thai as it is, not \\u escapes
    english = client.get(f"{API}/services.json?locale=en").get_json()
    assert english[0]["service_name"] == "Roads"
    assert client.get(f"{API}/services.json", headers={"Accept-Language": "en-US,en;q=0.8"}).get_json()[0]["service_name"] == "Roads"

    root = ET.fromstring(client.get(f"{API}/services.xml").data)
    assert root.tag == "services" and root.find("service/service_code").text == "road"
    assert root.find("service/metadata").text == "false"
    assert client.get(f"{API}/services/road.json").get_json() == {"service_code": "road", "attributes": []}
    spec_error(client.get(f"{API}/services/nothing.json"), 404)


def test_discovery(demo, client, app):
    found = client.get(f"{API}/discovery.json").get_json()
    assert found["changeset"] and found["contact"] and found["key_service"]
    endpoint = found["endpoints"][0]
    assert endpoint["url"] == "http://localhost/open311/v2" and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    app.config["PUBLIC_BASE_URL"] = "https://rongrian.example.org"
    root = ET.fromstring(client.get(f"{API}/discovery.xml").data)
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/url").text == "https://rongrian.example.org/open311/v2"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]
    spec_error(client.get(f"{API}/discovery.html"), 404)
    spec_error(client.get(f"{API}/nothing/here.json"), 404)
    spec_error(client.delete(f"{API}/requests.json"), 404)
    assert ET.fromstring(client.get(f"{API}/nothing/here.xml").data).find("error/code").text == "404"


def test_post_is_routed_to_staff_and_the_phone_gets_the_reference_and_status(
        demo, keys, twilio_app, twilio_api, work):
    client = twilio_app.test_client()
    text = "ถนนเป็นหลุม โทรกลับ 081-234-5678 หรือ +66812345678 ได้ค่ะ"
    response = post(client, description=text, phone="0812345678")
    assert response.status_code == 201 and response.mimetype == "application/json"
    ref = response.get_json()[0]["service_request_id"]
    assert reference.is_valid(ref)
    case = Case.get(Case.reference == ref)
    assert (case.channel, case.reporter_phone, case.category_id, case.village_id) == ("open311", CITIZEN, "road", "51010103")

    work()
    case = Case.get_by_id(case.id)
    assert case.status == CaseStatus.ASSIGNED and case.agency_id == "lao510101"
    staff_sms = twilio_api.to(NAI_MUEANG_OFFICER)
    assert len(staff_sms) == 1 and ref in staff_sms[0] and "0812345678" not in staff_sms[0]
    receipt = twilio_api.to(CITIZEN)
    assert receipt == [texts.render("th", texts.RECEIVED, **received_params(case))]  # as an SMS report's
    assert Outbox.get((Outbox.phone == CITIZEN) & (Outbox.case == case.id)).kind == "received"

    officer = Phone(client, "0800000101")
    officer.send(f"เสร็จ {ref} ซ่อมแล้ว ติดต่อ 0812345678")
    work()
    assert twilio_api.to(CITIZEN)[-1] != receipt[0] and ref in twilio_api.to(CITIZEN)[-1]

    assert client.get(f"{API}/requests/{ref}.json").get_json()[0]["description"] == ""  # the citizen's words: not public
    Case.update(description_public=True).where(Case.id == case.id).execute()  # as staff may make them (below)
    answers = [client.get(f"{API}/requests/{ref}.json"), client.get(f"{API}/requests.json"),
               client.get(f"{API}/requests/{ref}.xml"), client.get(f"{API}/requests.xml?service_request_id={ref}"),
               response]
    shown = answers[0].get_json()[0]
    assert shown["status"] == "closed" and shown["status_notes"].startswith("ซ่อมแล้ว")
    assert "08x-xxx-5678" in shown["description"] and "08x-xxx-5678" in shown["status_notes"]
    assert shown["agency_responsible"] == "ทม.ลำพูน"
    for answer in answers:
        body = answer.get_data(as_text=True)
        assert ref in body
        for form in CITIZEN_FORMS:
            assert form not in body, (form, body)


def test_a_partner_retry_gets_the_same_reference_once(demo, keys, client, work):
    first = filed(client, phone="+66812345678")
    assert filed(client, phone="0812345678") == first  # the same request, the phone written otherwise
    assert Case.select().count() == 1
    receipts = Outbox.select().where(Outbox.phone == CITIZEN)
    assert [row.kind for row in receipts] == ["received"]
    other = filed(client, description="อีกเรื่องหนึ่ง")  # another text: another case
    assert other != first and Case.select().count() == 2


def test_request_fields_and_a_missing_one(demo, keys, client):
    ref = filed(client)
    listed = client.get(f"{API}/requests.json").get_json()
    assert [row["service_request_id"] for row in listed] == [ref]
    row = listed[0]
    assert row["status"] == "open" and row["service_code"] == "road" and row["service_name"] == "ถนน"
    assert row["address_id"] == "51010103" and row["zipcode"] == "51000"
    assert (row["lat"], row["long"]) == (18.573, 99.002)
    assert row["address"] == "หมู่ 3 ต.ในเมือง, ในเมือง, เมืองลำพูน"
    assert OFFSET_TIME.match(row["requested_datetime"]) and OFFSET_TIME.match(row["updated_datetime"])
    assert ref in row["status_notes"]  # the state in the STATUS SMS's words
    english = client.get(f"{API}/requests/{ref}.json?locale=en").get_json()[0]
    assert english["address"] == "Moo 3 Nai Mueang, Nai Mueang, Mueang Lamphun"

    wrong = ref[:-1] + str((int(ref[-1]) + 1) % 10)
    assert "no service request" in spec_error(client.get(f"{API}/requests/{wrong}.json"), 404)
    spec_error(client.get(f"{API}/requests/abc.json"), 404)
    root = ET.fromstring(client.get(f"{API}/requests/{wrong}.xml").data)
    assert root.tag == "errors" and root.find("error/code").text == "404" and root.find("error/description").text


def age(ref: str, days: float, status: CaseStatus | None = None) -> None:
    fields = {Case.created_at: Case.get(Case.reference == ref).created_at - dt.timedelta(days=days)}
    if status is not None:
        fields[Case.status] = status
    Case.update(fields).where(Case.reference == ref).execute()


def test_list_filters(demo, keys, client):
    road = filed(client)
    water = filed(client, service_code="water", address_id="51010203", description="น้ำไม่ไหล")
    done = filed(client, service_code="water", address_id="51010101", description="ท่อแตก")
    age(done, 10, CaseStatus.DONE)
    old = filed(client, service_code="power", description="ไฟดับ")
    age(old, 100)

    def refs(query=""):
        response = client.get(f"{API}/requests.json{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return [row["service_request_id"] for row in response.get_json()]

    assert refs() == [water, road, done]  # newest first, the last 90 days
    assert refs(f"?service_request_id={old},{road}") == [road, old]  # ids override the rest
    assert refs(f"?service_request_id={old}&status=open&service_code=road") == [old]
    assert refs("?service_code=water") == [water, done]
    assert refs("?status=closed") == [done]
    assert refs("?status=open") == [water, road]
    assert refs("?status=open,closed") == [water, road, done]
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    since, until = (today - dt.timedelta(days=20)).isoformat(), (today - dt.timedelta(days=5)).isoformat()
    assert refs(f"?start_date={since}&end_date={until}") == [done]  # "+07:00" not URL-encoded
    assert refs(f"?start_date={since.replace('+', '%2B')}&end_date={until.replace('+', '%2B')}") == [done]
    assert refs(f"?start_date={(today - dt.timedelta(days=101)).date()}") == [old]  # the 90 days from then
    assert refs(f"?start_date={(today - dt.timedelta(days=99)).date()}") == [done]
    assert refs(f"?end_date={(today - dt.timedelta(days=50)).strftime('%Y-%m-%dT%H:%M:%SZ')}") == [old]
    assert refs("?service_code=road&status=closed") == []

    spec_error(client.get(f"{API}/requests.json?status=pending"), 400)
    spec_error(client.get(f"{API}/requests.json?start_date=yesterday"), 400)
    spec_error(client.get(f"{API}/requests.json?start_date=2026-01-01&end_date=2026-12-31"), 400)  # > 90 days
    spec_error(client.get(f"{API}/requests.json?start_date=2026-02-01&end_date=2026-01-01"), 400)
    spec_error(client.get(f"{API}/requests.json?start_date=0001-01-01T00:00:00"), 400)
    spec_error(client.get(f"{API}/requests.json?service_code=nothing"), 400)
    spec_error(client.get(f"{API}/requests.json?service_request_id=12a4567"), 400)


def test_keys(demo, client, app):
    assert "no API keys" in spec_error(post(client), 403)  # none configured: no POST at all
    assert Case.select().count() == 0
    app.config["OPEN311_API_KEYS"] = [KEY]
    spec_error(post(client, api_key="wrong"), 403)
    spec_error(post(client, api_key=None), 403)
    spec_error(post(client, api_key=KEY + "x"), 403)
    root = ET.fromstring(post(client, fmt="xml", api_key="wrong").data)
    assert root.tag == "errors" and root.find("error/code").text == "403"
    assert Case.select().count() == 0
    assert post(client).status_code == 201


def test_bad_fields_get_400_in_the_spec_format(demo, keys, client):
    bad = {
        "service_code": "nothing", "address_id": "99999999", "description": "   ", "phone": "12",
    }
    for name, value in bad.items():
        assert name in spec_error(post(client, **{name: value}), 400)
    for name in ("service_code", "address_id", "description"):
        spec_error(post(client, **{name: None}), 400)
    assert "4000" in spec_error(post(client, description="ก" * 4001), 400)
    spec_error(post(client, description="ถนน\x00พัง"), 400)
    spec_error(post(client, service_code="x" * 10000), 400)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    body = f"api_key={KEY}&service_code=road&address_id=51010103&description=%FF%FE".encode()
    assert "UTF-8" in spec_error(client.post(f"{API}/requests.json", data=body, headers=headers), 400)
    raw = f"api_key={KEY}&service_code=road&address_id=51010103&description=".encode() + b"\xff\xfe"
    assert "UTF-8" in spec_error(client.post(f"{API}/requests.json", data=raw, headers=headers), 400)
    as_json = json.dumps({"api_key": KEY, "service_code": "road", "address_id": "51010103", "description": "x"})
    assert "form" in spec_error(client.post(f"{API}/requests.json", data=as_json, content_type="application/json"), 400)
    spec_error(client.post(f"{API}/requests.json", data=b"\x00\x01\x02" * 100, content_type="application/octet-stream"), 400)
    huge = client.post(f"{API}/requests.json", data={"api_key": KEY, "description": "ก" * 100_000})
    spec_error(huge, 413)
    assert Case.select().count() == 0
    assert post(client, address_id="๕๑๐๑๐๑๐๓", phone="+66 81 234 5678").status_code == 201  # Thai digits


def test_xml_post_and_list(demo, keys, client):
    response = post(client, fmt="xml")
    assert response.status_code == 201 and response.mimetype == "text/xml"
    root = ET.fromstring(response.data)
    ref = root.find("request/service_request_id").text
    assert root.tag == "service_requests" and reference.is_valid(ref)
    listed = ET.fromstring(client.get(f"{API}/requests.xml").data)
    assert listed.find("request/service_request_id").text == ref
    assert listed.find("request/status").text == "open"
    assert listed.find("request/address_id").text == "51010103"
    assert OFFSET_TIME.match(listed.find("request/requested_datetime").text)
    assert listed.find("request/media_url") is None  # nothing to show is left out
    assert response.data.startswith(b"<?xml")
    Case.update(description="ถนน\x0bพัง\x1f", description_public=True).execute()  # as an SMS may carry: XML cannot
    assert ET.fromstring(client.get(f"{API}/requests.xml").data).find("request/description").text == "ถนนพัง"
    thai_digits = ref.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert client.get(f"{API}/requests/{thai_digits}.json").get_json()[0]["service_request_id"] == ref


def test_posts_per_key_are_limited(demo, keys, client, app):
    app.config["OPEN311_MAX_PER_MINUTE"] = 2
    assert post(client, description="หนึ่ง").status_code == 201
    assert post(client, description="สอง").status_code == 201
    assert "try again" in spec_error(post(client, description="สาม"), 429)
    assert post(client, api_key="another-key", description="สาม").status_code == 201  # per key


def test_two_copies_of_one_request_at_once_make_one_case(demo, keys, app):
    """A partner that sends again before the first answer came (two workers serve them at
    once): one case, one reference for both."""
    barrier, answers = threading.Barrier(2), []

    def send():
        client = app.test_client()
        barrier.wait()
        response = post(client, phone="0812345678", description="ไฟถนนดับทั้งซอย")
        answers.append((response.status_code, response.get_json()))
        models.database.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [code for code, _ in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert Case.select().count() == 1
    assert Outbox.select().where(Outbox.phone == CITIZEN).count() == 1


def described(client, ref: str) -> str:
    body = client.get(f"{API}/requests.json").get_data(as_text=True)
    single = client.get(f"{API}/requests/{ref}.json").get_json()[0]
    listed = next(row for row in json.loads(body) if row["service_request_id"] == ref)
    assert "description" in single and single["description"] == listed["description"]  # the field stays
    return single["description"]


def test_the_description_is_public_only_while_staff_show_it(demo, keys, app, work):
    client = app.test_client()
    words = "หลุมใหญ่หน้าบ้าน โทร 081 234 5678 บัตร 1-2345-67890-12-3"
    ref = filed(client, description=words, phone="0812345679")
    work()
    assert described(client, ref) == ""
    assert "หลุมใหญ่" not in client.get(f"{API}/requests.json").get_data(as_text=True)
    assert "หลุมใหญ่" not in client.get(f"{API}/requests/{ref}.xml").get_data(as_text=True)

    log_in(client, OFFICER)
    page = client.get(f"/console/cases/{ref}").get_data(as_text=True)
    assert f'action="/console/cases/{ref}/publish"' in page and 'name="public" value="1"' in page
    assert console_post(client, f"/console/cases/{ref}/publish", public="1").status_code == 303
    shown = described(client, ref)
    assert shown == "หลุมใหญ่หน้าบ้าน โทร 08x-xxx-5678 บัตร x-xxxx-xxxxx-xx-3"
    assert console_post(client, f"/console/cases/{ref}/publish", public="1").status_code == 303  # twice: once
    page = client.get(f"/console/cases/{ref}").get_data(as_text=True)
    assert 'name="public" value="0"' in page and "ซ่อนจากข้อมูลเปิด" in page  # the form now hides it
    assert page.count("แสดงรายละเอียดในข้อมูลเปิด") == 1  # one line of the timeline (by the officer, named)

    assert console_post(client, f"/console/cases/{ref}/publish", public="0").status_code == 303
    assert described(client, ref) == ""
    case = Case.get(Case.reference == ref)
    assert [(event.kind, event.actor) for event in case.events if "published" in event.kind] == [
        ("published", "+66800000101"), ("unpublished", "+66800000101")]
    assert console_post(client, f"/console/cases/{ref}/publish", public="yes").status_code == 400
    assert client.post(f"/console/cases/{ref}/publish", data={"public": "1"}).status_code == 400  # no csrf_token
    assert not Case.get_by_id(case.id).description_public

    officer = Phone(client, "0800000101")  # closed with a note: the agency's words stay public, masked
    officer.send(f"เสร็จ {ref} ซ่อมแล้ว แจ้ง 081/234/5679")
    work()
    notes = client.get(f"{API}/requests/{ref}.json").get_json()[0]["status_notes"]
    assert notes == "ซ่อมแล้ว แจ้ง 08x-xxx-5679" and described(client, ref) == ""
    assert console_post(client, f"/console/cases/{ref}/publish", public="1").status_code == 303  # closed: refused
    assert not Case.get_by_id(case.id).description_public


def test_another_agency_cannot_show_a_description(demo, keys, app, work):
    client = app.test_client()
    ref = filed(client)
    work()
    log_in(client, PWA_OFFICER)
    for public in ("1", "0"):
        assert console_post(client, f"/console/cases/{ref}/publish", public=public).status_code == 403
        assert console_post(client, "/console/cases/7654321/publish", public=public).status_code == 404
    assert not Case.get(Case.reference == ref).description_public
    assert described(client, ref) == ""
    assert [event.kind for event in Case.get(Case.reference == ref).events] == ["filed", "routed"]
