"""The console's cases: who sees which, the list's filters and CSV, one case's page and
timeline, and the actions (the same rules and SMS as the staff's SMS words, nothing twice)."""
import csv
import datetime as dt
import io

import pytest
from markupsafe import escape

from cases.store import reference
from cases.store.models import Case, CaseEvent, CaseStatus, InboundMessage, Outbox
from console import case_list, case_page

from .console_helpers import CITIZEN, OFFICER, PROVINCE, PWA_OFFICER, file, log_in, post

NEIGHBOUR = "+66812345679"


@pytest.fixture
def two_cases(demo, app, work):
    """A road case of ทม.ลำพูน (lao510101) and a water case of the PWA, routed."""
    road = file(app, "road", "51010103", "หลุมใหญ่กลางถนน", CITIZEN)
    water = file(app, "water", "51010203", "น้ำประปาไม่ไหล โทร 081-234-5679", NEIGHBOUR)
    work()
    road, water = Case.get_by_id(road.id), Case.get_by_id(water.id)
    assert (road.agency_id, water.agency_id) == ("lao510101", "pwa")
    return road, water


def test_an_officer_sees_only_the_agency_cases(two_cases, client):
    road, water = two_cases
    log_in(client, OFFICER)
    page = client.get("/console/").get_data(as_text=True)
    assert road.reference in page and water.reference not in page
    assert client.get(f"/console/cases/{water.reference}").status_code == 403
    assert client.get("/console/cases/1234567").status_code == 404
    assert client.get("/console/cases/<script>").status_code == 404
    rows = list(csv.reader(io.StringIO(client.get("/console/cases.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == [road.reference]
    # asking for the other agency's cases by filter gives nothing
    assert water.reference not in client.get("/console/?agency=pwa").get_data(as_text=True)


def test_another_agency_case_refuses_every_action(two_cases, client, work):
    road, water = two_cases
    log_in(client, OFFICER)
    sent = Outbox.select().count()
    for action, fields in (("accept", {}), ("done", {"note": "x"}), ("forward", {"agency": "pea"}), ("note", {"text": "x"})):
        assert post(client, f"/console/cases/{water.reference}/{action}", **fields).status_code == 403, action
        assert post(client, f"/console/cases/7654321/{action}", **fields).status_code == 404, action
    work()
    assert [event.kind for event in Case.get_by_id(water.id).events] == ["filed", "routed"]
    assert Case.get_by_id(water.id).status == CaseStatus.ASSIGNED and Outbox.select().count() == sent


def test_the_province_sees_every_agency_but_only_the_holding_agency_sees_the_phone(two_cases, client):
    road, water = two_cases
    log_in(client, PROVINCE)
    page = client.get("/console/").get_data(as_text=True)
    assert road.reference in page and water.reference in page
    case_page = client.get(f"/console/cases/{water.reference}")
    text = case_page.get_data(as_text=True)
    assert case_page.status_code == 200 and "08x-xxx-5679" in text
    assert "0812345679" not in text and "081-234-5679" not in text  # nor in the text the citizen wrote
    assert "name=\"accept\"" not in text  # no action forms: the PWA holds it
    assert post(client, f"/console/cases/{water.reference}/accept").status_code == 403
    assert not CaseEvent.select().where(CaseEvent.kind == "phone_viewed").exists()
    assert post(client, f"/console/cases/{water.reference}/note", text="โทรตามแล้ว").status_code == 303
    note = CaseEvent.get(CaseEvent.kind == "note")
    assert (note.case_id, note.actor, note.note) == (water.id, "+66800000109", "โทรตามแล้ว")
    rows = client.get("/console/cases.csv").get_data(as_text=True)
    assert road.reference in rows and water.reference in rows


def test_the_case_page_shows_the_phone_records_the_view_and_the_whole_timeline(two_cases, client, app, work):
    road, _ = two_cases
    InboundMessage.create(provider="twilio", provider_id="SM1", phone=CITIZEN, body=f"สถานะ {road.reference} ยังไม่มีใครมาซ่อม")
    linked = file(app, "road", "51010103", "หลุมเดียวกัน", "+66812345670")
    work()
    assert Case.get_by_id(linked.id).duplicate_of_id == road.id
    Case.update(voice_url="https://api.twilio.com/recordings/RE1").where(Case.id == road.id).execute()
    log_in(client, OFFICER)
    text = client.get(f"/console/cases/{road.reference}").get_data(as_text=True)
    assert 'href="https://api.twilio.com/recordings/RE1"' in text  # the voice note
    assert "0812345678" in text and "หลุมใหญ่กลางถนน" in text and "ยังไม่มีใครมาซ่อม" in text
    assert linked.reference in text
    view = CaseEvent.get(CaseEvent.kind == "phone_viewed")
    assert (view.case_id, view.actor) == (road.id, "+66800000101")
    staff_sms = Outbox.get((Outbox.case == road.id) & (Outbox.phone == "+66800000101"))
    assert staff_sms.body in text  # the SMS the case sent, with its delivery state
    assert "พ.ศ." not in text and f"{road.created_at.year + 543}" in text  # Buddhist era


def test_actions_run_the_staff_sms_rules_once(two_cases, client, work):
    road, water = two_cases
    log_in(client, OFFICER)
    for _ in range(2):  # a double submit
        response = post(client, f"/console/cases/{road.reference}/accept")
        assert response.status_code == 303 and response.headers["Location"].endswith(f"/console/cases/{road.reference}")
    work()
    road = Case.get_by_id(road.id)
    assert road.status == CaseStatus.ACCEPTED
    assert [event.kind for event in road.events].count("accepted") == 1
    told = Outbox.select().where((Outbox.phone == CITIZEN) & (Outbox.kind == "citizen_accepted"))
    assert told.count() == 1 and road.reference in told.get().body

    assert post(client, f"/console/cases/{road.reference}/note", text="  ").status_code == 400
    assert post(client, f"/console/cases/{road.reference}/note", text="นัดช่างพรุ่งนี้").status_code == 303
    assert not Outbox.select().where(Outbox.body.contains("นัดช่าง")).exists()  # internal

    for _ in range(2):
        assert post(client, f"/console/cases/{road.reference}/done", note="ซ่อมแล้ว").status_code == 303
    work()
    road = Case.get_by_id(road.id)
    assert road.status == CaseStatus.DONE and [event.kind for event in road.events].count("done") == 1
    done_sms = Outbox.select().where((Outbox.phone == CITIZEN) & (Outbox.kind == "citizen_done_rate"))
    assert done_sms.count() == 1 and "ซ่อมแล้ว" in done_sms.get().body
    assert post(client, f"/console/cases/{road.reference}/forward", agency="pwa").status_code == 303  # closed: refused
    assert Case.get_by_id(road.id).agency_id == "lao510101"


def test_forward_tells_the_new_agency_and_the_citizen(two_cases, client, work):
    road, _ = two_cases
    log_in(client, OFFICER)
    assert post(client, f"/console/cases/{road.reference}/forward", agency="nothing").status_code == 400
    assert post(client, f"/console/cases/{road.reference}/forward").status_code == 400
    assert post(client, f"/console/cases/{road.reference}/forward", agency="highway").status_code == 303
    work()
    road = Case.get_by_id(road.id)
    assert road.agency_id == "highway" and road.status == CaseStatus.ASSIGNED
    assert Outbox.select().where((Outbox.phone == "+66800000106") & (Outbox.kind == "staff_forwarded_in")).count() == 1
    assert Outbox.select().where((Outbox.phone == CITIZEN) & (Outbox.kind == "citizen_forwarded")).count() == 1
    assert client.get(f"/console/cases/{road.reference}").status_code == 403  # no longer ours


def test_list_filters_pagination_and_csv(two_cases, client, app, work, monkeypatch):
    road, water = two_cases
    power = file(app, "power", "51020101", "ไฟดับทั้งหมู่", "+66812345671")
    work()
    power = Case.get_by_id(power.id)
    Case.update(created_at=water.created_at - dt.timedelta(days=3), assigned_at=water.assigned_at - dt.timedelta(days=3)).where(
        Case.id == water.id).execute()
    log_in(client, PROVINCE)

    def refs(query: str) -> list[str]:
        response = client.get(f"/console/cases.csv?{query}")
        assert response.status_code == 200 and response.data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[0] == list(case_list.CSV_COLUMNS)
        return [row[0] for row in rows[1:]]

    assert refs("") == [power.reference, road.reference, water.reference]  # newest first
    assert refs("category=water") == [water.reference]
    assert refs("district=5102") == [power.reference]
    assert refs(f"agency={road.agency_id}") == [road.reference]
    assert refs("overdue=1") == [water.reference]  # not taken within 24 hours
    assert refs(f"q={road.reference[2:6]}") == [road.reference]
    assert refs("status=done") == []
    assert client.get("/console/?status=bogus").status_code == 400
    assert client.get("/console/?page=0").status_code == 400
    assert client.get("/console/?q=" + "1" * 100).status_code == 400

    row = next(csv.DictReader(io.StringIO(client.get(f"/console/cases.csv?q={road.reference}").get_data(as_text=True).lstrip("\ufeff"))))
    assert row["status"] == "assigned" and row["category_code"] == "road" and row["village_code"] == "51010103"
    assert row["agency_code"] == "lao510101" and row["channel"] == "sms" and row["accepted_at"] == "" and row["rating"] == ""
    assert row["created_at"] == road.created_at.replace(microsecond=0).isoformat() + "Z"

    monkeypatch.setattr(case_list, "PAGE_SIZE", 2)
    first, second = client.get("/console/").get_data(as_text=True), client.get("/console/?page=2").get_data(as_text=True)
    assert power.reference in first and road.reference in first and water.reference not in first
    assert water.reference in second and "page=1" in second


def test_thai_first_english_by_choice(two_cases, client):
    log_in(client, OFFICER)
    page = client.get("/console/").get_data(as_text=True)
    assert "ออกจากระบบ" in page
    assert "<script" not in page and "http" not in page.split("<body>")[0] and len(page.encode()) < 20_000  # light
    response = client.get("/console/language/en?next=/console/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/console/")
    page = client.get("/console/").get_data(as_text=True)
    assert "Log out" in page and "ออกจากระบบ" not in page
    assert client.get("/console/language/en?next=//evil.example").headers["Location"].endswith("/console/")


def test_the_timeline_shows_only_the_reporter_sms_about_this_case(two_cases, client, app, phone, work):
    """SMS of the reporter about other matters, at the same time, are not this case's: only
    those that name its reference (the one that filed it, STATUS, CANCEL) with their answers."""
    citizen = phone("0812345677")
    receipt = citizen.send("1 51010103 ถนนทรุดหน้าวัด")
    ref = reference.find_in(receipt)
    work()
    other = file(app, "power", "51020101", "ไฟดับทั้งซอย", "+66812345677")
    work()
    citizen.send(f"สถานะ {other.reference}")  # another case of the same phone
    citizen.send("ขอเบอร์ผู้ใหญ่บ้านหน่อย โทร 089 999 8888")  # another matter
    citizen.send("ยกเลิก")
    thai = ref.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    status = citizen.send(f"สถานะ {thai[:3]}-{thai[3:]}")  # Thai digits and a hyphen: the answer names it
    assert ref in status
    InboundMessage.create(provider="twilio", provider_id="SM9", phone="+66812345677", body=f"โทร 08{ref}")  # inside a longer number
    log_in(client, OFFICER)
    page = client.get(f"/console/cases/{ref}").get_data(as_text=True)
    assert "ถนนทรุดหน้าวัด" in page and escape(receipt) in page and escape(status) in page
    assert other.reference not in page and "ขอเบอร์ผู้ใหญ่บ้าน" not in page and "ยกเลิก</td>" not in page
    assert f"โทร 08{ref}" not in page
    assert [message.body for message in case_page.own_messages(Case.get(Case.reference == ref))] == [
        "1 51010103 ถนนทรุดหน้าวัด", f"สถานะ {thai[:3]}-{thai[3:]}"]
