"""The desk's new pages over Flask's test client: Buddhist-era dates typed into the statistics
and the list, the statistics table sorted and folded, the map's marks and its list of
subdistricts without coordinates, and the phone simulator's doors."""
import re

from cases.store.models import Case, CaseStatus, Subdistrict

from .console_helpers import OFFICER, PROVINCE, file, log_in, post, token


def test_typed_buddhist_era_dates_come_back_as_iso(demo, client):
    log_in(client, PROVINCE)
    for path in ("/console/stats", "/console/", "/console/map"):
        found = client.get(f"{path}?from=๑/๑๑/๒๕๖๙&to=30.11.2569&sort=overdue")
        assert found.status_code == 303, path
        assert found.headers["Location"] == f"{path}?from=2026-11-01&to=2026-11-30&sort=overdue"
    assert client.get("/console/stats?from=2026-11-01&to=2026-11-30").status_code == 200
    refused = client.get("/console/stats?from=31/2/2569")
    assert refused.status_code == 400 and "วัน/เดือน/ปี พ.ศ." in refused.get_data(as_text=True)
    page = client.get("/console/stats?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert 'value="1/11/2569"' in page and 'value="30/11/2569"' in page and 'type="date"' not in page
    assert re.search(r'<a href="/console/stats\?from=\d{4}-\d\d-\d\d&amp;to=\d{4}-\d\d-\d\d[^"]*">30 วันล่าสุด</a>', page)


def test_agencies_sorted_and_the_idle_ones_folded(demo, app, client, work):
    for _ in range(2):
        file(app, "road", "51010103", "หลุม")  # ทม.ลำพูน, twice (another village each: not linked)
    file(app, "water", "51010201", "น้ำไม่ไหล")
    file(app, "road", "51010201", "ถนนพัง", phone="+66898765432")
    work()
    log_in(client, PROVINCE)
    page = client.get("/console/stats?sort=received").get_data(as_text=True)
    agencies = {case.agency_id for case in Case.select()}
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    assert body.count("<tr>") == len(agencies)
    assert re.search(r"<summary>อีก \d+ หน่วยงานไม่ได้รับเรื่องในช่วงนี้</summary>", page)
    received = [int(n) for n in re.findall(r'data-label="รับแจ้ง">(\d+)<', body)]
    assert received == sorted(received, reverse=True)
    ascending = client.get("/console/stats?sort=received&order=asc").get_data(as_text=True)
    body = ascending[ascending.index("<tbody>"):ascending.index("</tbody>")]
    assert [int(n) for n in re.findall(r'data-label="รับแจ้ง">(\d+)<', body)] == sorted(received)


def test_map_marks_and_subdistricts_without_coordinates(demo, app, client, work):
    file(app, "road", "51010103", "หลุม")
    work()
    Subdistrict.update(lat=None, lon=None).where(Subdistrict.code == "510102").execute()
    log_in(client, PROVINCE)
    page = client.get("/console/map").get_data(as_text=True)
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count('class="mark"') == Subdistrict.select().where(Subdistrict.lat.is_null(False)).count()
    assert re.search(r'class="mark" data-subdistrict="510101" data-open="1"', svg)
    assert 'data-subdistrict="510102"' not in svg
    side = page[page.index('class="unplaced"'):]
    assert 'data-subdistrict="510102" data-open="0"' in side and "เหมืองง่า" in side
    listed = client.get("/console/?status=open&subdistrict=510101").get_data(as_text=True)
    assert '<span class="muted">(1)</span>' in listed
    assert client.get("/console/map?status=done").status_code == 200


def test_simulator_is_open_in_development_and_behind_the_login_in_production(demo, app, client):
    page = client.get("/console/simulator")  # a trainer at `make run`: no login in development
    assert page.status_code == 200 and "0812345678" in page.get_data(as_text=True)
    assert 'name="own"' not in page.get_data(as_text=True)  # no own number to act as staff
    assert post(client, "/console/simulator/sms", text="1 51010103 ถนนเป็นหลุม").status_code == 303
    assert Case.get(Case.reporter_phone == "+66812345678").channel == "sms"
    app.config["RONGRIAN_ENV"] = "production"
    for path in ("/console/simulator",):
        assert client.get(path).status_code == 303  # staff only
    assert client.post("/console/simulator/sms", data={"text": "x", "csrf_token": token(client)}).status_code == 303
    assert Case.select().count() == 1


def test_simulator_doors(demo, app, client):
    log_in(client, OFFICER)
    assert 'name="own"' in client.get("/console/simulator").get_data(as_text=True)
    assert client.post("/console/simulator/sms", data={"text": "1 51010103 หลุม"}).status_code == 400  # no CSRF
    assert post(client, "/console/simulator/phone", phone="not a phone").status_code == 400
    assert post(client, "/console/simulator/phone", phone="0812345678").status_code == 303
    assert post(client, "/console/simulator/sms", text="1 51010103 หลุมใหญ่").status_code == 303
    case = Case.get(Case.reporter_phone == "+66812345678")
    assert case.channel == "sms" and case.status == CaseStatus.NEW
    page = client.get("/console/simulator").get_data(as_text=True)
    assert case.reference in page and "0812345678" in page
    # production: a citizen's number or one's own, never a colleague's
    app.config["RONGRIAN_ENV"] = "production"
    csrf = token(client)
    assert client.post("/console/simulator/phone", data={"phone": "0800000104", "csrf_token": csrf}).status_code == 403
    assert client.post("/console/simulator/phone", data={"phone": "0800000201", "csrf_token": csrf}).status_code == 403
    assert client.post("/console/simulator/phone", data={"phone": OFFICER, "csrf_token": csrf}).status_code == 303
    assert client.post("/console/simulator/phone", data={"phone": "0898765432", "csrf_token": csrf}).status_code == 303
    assert client.post("/console/simulator/phone", data={"phone": "0812345678", "csrf_token": csrf}).status_code == 403
