"""USSD: full report over HTTP, status check, resume after a drop, rebuild without Redis,
malformed input, the secret, and every screen measured against the USSD limit."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cases.language import segments, texts
from cases.store import reference
from cases.store.models import Case, CaseStatus, Category, Contact, District, Subdistrict, Village
from flows import menu, render
from flows import ussd as ussd_flow
from flows.engine import MORE, Context
from web import services

from .ussd_helpers import UssdPhone, pick

OFFICER = "+66800000101"  # demo staff of ทม.ลำพูน (Nai Mueang)
CITIZEN = "+66812345678"


def report_to_description(phone: UssdPhone) -> str:
    """Dial and answer up to the description question (roads, Nai Mueang moo 3)."""
    screen = phone.send()
    assert screen.startswith("CON ")
    screen = phone.send(pick(screen, "แจ้งปัญหา"))
    screen = phone.send(pick(screen, "ถนน"))
    screen = phone.send(pick(screen, "เมืองลำพูน"))
    screen = phone.send(pick(screen, "ในเมือง"))
    assert "ในเมือง" in screen  # which moo
    return phone.send("3")


def test_full_ussd_report_is_routed_and_texted_then_status_by_ussd(demo, twilio_app, twilio_api, work):
    client = twilio_app.test_client()
    citizen = UssdPhone(client, CITIZEN)
    report_to_description(citizen)
    confirm = citizen.send("0")  # no description: may be texted later
    assert confirm.startswith("CON ") and "ถนน" in confirm
    done = citizen.send(pick(confirm, "ส่ง"))
    assert done.startswith("END ")
    ref = reference.find_in(done)
    assert ref and reference.is_valid(ref)
    case = Case.get(Case.reference == ref)
    assert (case.category_id, case.village_id, case.channel, case.reporter_phone) == ("road", "51010103", "ussd", CITIZEN)

    work()
    case = Case.get_by_id(case.id)
    assert case.status == CaseStatus.ASSIGNED and case.agency_id == "lao510101"
    staff_sms = twilio_api.to(OFFICER)
    assert len(staff_sms) == 1 and ref in staff_sms[0]
    citizen_sms = twilio_api.to(CITIZEN)
    assert len(citizen_sms) == 1 and ref in citizen_sms[0] and segments.fits(citizen_sms[0])

    citizen.dial()
    screen = citizen.send()
    screen = citizen.send(pick(screen, "ติดตาม"))
    status = citizen.send(ref)
    assert status.startswith("END ") and ref in status and "ทม.ลำพูน" in status


def test_remembered_village_is_offered_first(demo, client):
    Contact.create(phone=CITIZEN, last_village="51010203")
    citizen = UssdPhone(client, CITIZEN)
    citizen.send()
    screen = citizen.send("1")
    screen = citizen.send("2")  # water
    assert pick(screen, Village.get_by_id("51010203").name_th) == "1"
    assert citizen.send("1").startswith("CON ")  # straight to the description


def test_village_code_accepted_at_the_district_question(demo, client):
    citizen = UssdPhone(client, CITIZEN)
    citizen.send()
    citizen.send("1")
    citizen.send("2")
    description = citizen.send("51010203")
    assert description.startswith("CON ") and "0 เพื่อข้าม" in description
    confirm = citizen.send("0")
    assert Village.get_by_id("51010203").name_th in confirm


def test_resume_after_the_gateway_drops_the_session(demo, client):
    citizen = UssdPhone(client, CITIZEN)
    report_to_description(citizen)  # then the gateway drops the session
    citizen.dial()
    offer = citizen.send()
    assert offer.startswith("CON ") and "ค้าง" in offer
    description = citizen.send(pick(offer, "แจ้งต่อ"))
    assert description.startswith("CON ")
    confirm = citizen.send("0")
    done = citizen.send(pick(confirm, "ส่ง"))
    assert done.startswith("END ")
    assert Case.get(Case.reference == reference.find_in(done)).village_id == "51010103"
    citizen.dial()
    assert "ค้าง" not in citizen.send()  # nothing left to continue


def test_start_again_instead_of_resuming(demo, client):
    citizen = UssdPhone(client, CITIZEN)
    report_to_description(citizen)
    citizen.dial()
    offer = citizen.send()
    main = citizen.send(pick(offer, "เริ่มใหม่"))
    assert "แจ้งปัญหา" in main and "ติดตาม" in main


def test_state_rebuilt_from_text_when_the_key_is_lost(demo, client):
    citizen = UssdPhone(client, CITIZEN)
    expected = report_to_description(citizen)
    services(client.application).connection.delete("rongrian:" + ussd_flow.session_key(citizen.session))
    assert citizen.post("*".join(citizen.inputs)).get_data(as_text=True) == expected
    confirm = citizen.send("0")
    assert "ถนน" in confirm and "ในเมือง" in confirm


def test_session_works_with_redis_down(demo, client, redis_server):
    citizen = UssdPhone(client, CITIZEN)
    citizen.send()
    citizen.send("1")
    redis_server.stop()
    try:
        screen = citizen.send("1")
        screen = citizen.send(pick(screen, "เมืองลำพูน"))
        screen = citizen.send(pick(screen, "ในเมือง"))
        citizen.send("3")
        confirm = citizen.send("0")
        done = citizen.send(pick(confirm, "ส่ง"))
    finally:
        redis_server.start()
    assert done.startswith("END ")
    assert Case.get(Case.reference == reference.find_in(done)).channel == "ussd"


@pytest.mark.parametrize("text", ["**", "*", "1**", "abc", "1*ข*x", "1*" + "9*" * 30, "*".join(["5"] * 500), "\x00\xff", "1*1*99999999"])
def test_malformed_text_gets_a_screen_never_a_500(demo, client, text):
    citizen = UssdPhone(client, CITIZEN)
    response = citizen.post(text)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith(("CON ", "END ")) and len(body) > 4


def test_three_wrong_answers_end_the_session(demo, client):
    citizen = UssdPhone(client, CITIZEN)
    citizen.send()
    citizen.send("x")
    citizen.send("x")
    assert citizen.send("x").startswith("END ")


@pytest.mark.parametrize("missing", ["sessionId", "phoneNumber"])
def test_missing_fields_are_400(demo, client, missing):
    form = {"sessionId": "s1", "serviceCode": "*123#", "phoneNumber": CITIZEN, "text": ""}
    del form[missing]
    assert client.post("/ussd", data=form).status_code == 400
    assert client.post("/ussd", data={**form, missing: "not a phone" if missing == "phoneNumber" else ""}).status_code == 400


def test_ussd_secret_guards_the_route(demo, app, client):
    app.config["USSD_SECRET"] = "s3cret"
    form = {"sessionId": "s1", "serviceCode": "*123#", "phoneNumber": CITIZEN, "text": ""}
    assert client.post("/ussd", data=form).status_code == 403
    assert client.post("/ussd?key=wrong", data=form).status_code == 403
    response = client.post("/ussd?key=s3cret", data=form)
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("CON ")


def test_village_head_may_report_for_a_resident_without_a_phone(demo, client):
    head = UssdPhone(client, "+66800000201")
    screen = head.send()
    screen = head.send(pick(screen, "แจ้งแทน"))
    screen = head.send("0")  # the resident has no phone
    screen = head.send(pick(screen, "ไฟฟ้า") if "ไฟฟ้า" in screen else "3")
    screen = head.send("51010101")
    confirm = head.send("0")
    done = head.send(pick(confirm, "ส่ง"))
    case = Case.get(Case.reference == reference.find_in(done))
    assert case.reporter_phone is None and case.submitter_phone == "+66800000201"


# --- every screen fits --------------------------------------------------------------


def _check(screen, ctx, seen):
    shown = render.text(screen, ctx)
    on_wire = render.USSD_PREFIX + shown  # counted with the CON/END prefix, to be safe
    assert segments.fits(on_wire, ussd=True), f"{segments.units(on_wire)} units:\n{shown}"
    seen.append(shown)
    return shown


def _page_all(state, screen, ctx, seen):
    """Every page of the current question: the option values on all of them."""
    values = []
    while True:
        _check(screen, ctx, seen)
        values += state["visible"]
        if not screen.more:
            return values
        screen, state = menu.ENGINE.step(state, MORE, ctx)


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_ussd_screen_fits(demo, app, language):
    seen: list[str] = []
    longest_village = max(Village.select(), key=lambda v: segments.units(v.name_th if language == "th" else v.name_en))
    Contact.create(phone=CITIZEN, language=language, last_village=longest_village)
    ctx = Context(CITIZEN, menu.USSD, language)
    screen, state = menu.ENGINE.start("menu", ctx)
    _check(screen, ctx, seen)
    screen, state = menu.ENGINE.step(state, "1", ctx)
    assert _page_all(state, screen, ctx, seen) == [c.code for c in Category.select().order_by(Category.position)]
    screen, state = menu.ENGINE.step(state, "1", ctx)
    districts = _page_all(state, screen, ctx, seen)
    assert districts[0] == f"v:{longest_village.code}" and len(districts) == District.select().count() + 1
    for district in District.select():
        ctx.data = {"action": "report", "category": "road", "district": district.code}
        state = {"flow": "menu", "node": "subdistrict", "page": 0, "pages": [0], "visible": [], "fails": 0}
        screen = menu.ENGINE._ask(menu.MENU.nodes["subdistrict"], state, ctx)
        codes = _page_all(state, screen, ctx, seen)
        assert codes == [s.code for s in Subdistrict.select().where(Subdistrict.district == district).order_by(Subdistrict.code)]
        for code in codes:
            ctx.data["subdistrict"] = code
            moo_state = {"flow": "menu", "node": "moo", "page": 0, "pages": [0], "visible": [], "fails": 0}
            _check(menu.ENGINE._ask(menu.MENU.nodes["moo"], moo_state, ctx), ctx, seen)
            _check(menu.ENGINE.step(moo_state, "99", ctx)[0], ctx, seen)
    longest_category = max(Category.select(), key=lambda c: segments.units(c.name_th if language == "th" else c.name_en))
    ctx.data = {"action": "report", "category": longest_category.code, "village": longest_village.code}
    screen, state = menu.ENGINE.start("menu", ctx)  # skips to the description
    _check(screen, ctx, seen)
    screen, state = menu.ENGINE.step(state, "0", ctx)
    _check(screen, ctx, seen)  # confirm
    for key, params in [
        (texts.RECEIVED, {"ref": "9" * 10, "category": longest_category, "village": longest_village}), (texts.BAD_REFERENCE, {}), (texts.UNKNOWN_REFERENCE, {}),
        (menu.ASK_REFERENCE, {}), (menu.ASK_RESIDENT, {}), (menu.BAD_RESIDENT_PHONE, {}), (texts.DRAFT_CANCELLED, {}),
        ("too_many_tries", {}),
    ]:
        _check(render.Screen(key, params), ctx, seen)
    _check(ussd_flow.resume_screen(), ctx, seen)
    assert len(seen) > 120


def test_long_district_is_paged_with_numbers_kept(demo, client):
    """Mueang Lamphun has 15 subdistricts: 0 shows the next page, numbers go on across pages
    (1 to 15), 0 on the last page shows the first again, any number is taken on any page."""
    citizen = UssdPhone(client, CITIZEN)
    citizen.send()
    citizen.send("1")
    screen = citizen.send("1")
    screen = citizen.send(pick(screen, "เมืองลำพูน"))
    first = screen
    numbered = {}
    pages = 0
    while True:
        pages += 1
        for line in screen.split("\n")[1:]:
            number, _, label = line.partition(".")
            if number != MORE:
                numbered[int(number)] = label
        if "0.ถัดไป" not in screen:
            break
        screen = citizen.send(MORE)
    expected = [s.name_th for s in Subdistrict.select().where(Subdistrict.district == "5101").order_by(Subdistrict.code)]
    assert [numbered[n] for n in sorted(numbered)] == expected and sorted(numbered) == list(range(1, 16)) and pages >= 2
    assert "0.หน้าแรก" in screen
    assert citizen.send(MORE) == first  # back to the first page
    moo = citizen.send("15")  # a number of the last page, typed on the first
    assert expected[14] in moo and "หมู่" in moo


@pytest.mark.parametrize("language", ["th", "en"])
def test_new_sms_templates_fit_one_segment(app, language):
    for key in (menu.ASK_REFERENCE, menu.ASK_RESIDENT, menu.BAD_RESIDENT_PHONE, ussd_flow.RESUME_OFFER, "ask_recording"):
        rendered = texts.render(language, key, options="")
        assert segments.fits(rendered), rendered


def test_flows_import_no_web_or_provider_code():
    for path in (Path(__file__).resolve().parent.parent / "flows").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in {"flask", "twilio", "sms_gateway"}, f"{path.name} imports {name}"
