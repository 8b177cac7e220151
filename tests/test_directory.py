"""The directory loader (cases.province.directory) and the bundled Lamphun demo directory.

These tests bind their own SQLite file and use no other fixture, so they run alone with
``pytest --noconftest tests/test_directory.py``.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from peewee import fn

from cases.province import directory
from cases.store import models, schema

DEMO = Path(__file__).resolve().parent.parent / "cases" / "province" / "demo_directory"

BASE = {
    "districts.csv": "code,name_th,name_en\n5101,A,Mueang\n5102,B,Mae Tha\n",
    "subdistricts.csv": "code,district_code,name_th,name_en\n510101,5101,C,Nai Mueang\n510201,5102,D,Tha Pla Duk\n",
    "villages.csv": "code,subdistrict_code,moo,name_th,name_en\n51010101,510101,1,E,Moo 1\n51010102,510101,2,F,Moo 2\n",
    "categories.csv": "code,name_th,name_en\nroad,G,Roads\nwater,H,Water\n",
    "agencies.csv": "code,name_th,name_en\nlao,I,Local\npwa,J,PWA\nprovince,K,Province\n",
    "routing.csv": "category_code,area_code,agency_code\nroad,510101,lao\nwater,*,pwa\n",
    "staff.csv": "phone,agency_code,name,role\n0812345678,lao,Officer,officer\n",
    "village_heads.csv": "phone,village_code,name\n0898765432,51010101,Head\n",
}


@pytest.fixture
def db(tmp_path):
    models.bind_database(f"sqlite:///{tmp_path / 't.db'}")
    schema.create_tables()
    yield models.database
    models.database.close()


def folder_with(tmp_path: Path, files: dict[str, str | bytes], name: str = "dir") -> Path:
    """A folder holding ``files`` (text is written as UTF-8)."""
    folder = tmp_path / name
    folder.mkdir()
    for filename, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / filename).write_bytes(data)
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(directory.DirectoryError) as caught:
        directory.load(folder)
    return caught.value.problems


def snapshot() -> dict[str, list[tuple]]:
    """Every directory table's rows, to show that nothing changed."""
    tables = [models.District, models.Subdistrict, models.Village, models.Category, models.Agency,
              models.RoutingRule, models.Staff, models.VillageHead]
    return {model.__name__: sorted(map(str, model.select().tuples())) for model in tables}


# --- the bundled demo directory ---------------------------------------------------------


def test_demo_directory_loads(db):
    counts = directory.load(DEMO)
    assert counts["districts"] == 8 and counts["subdistricts"] == 51
    assert counts["categories"] == 10 and counts["village_heads"] == 3
    assert models.District.select().count() == 8
    assert models.Subdistrict.select().count() == 51
    assert list(counts) == ["districts", "subdistricts", "villages", "categories", "agencies",
                            "routing", "staff", "village_heads"]
    for model, name in ((models.Village, "villages"), (models.Agency, "agencies"),
                        (models.RoutingRule, "routing"), (models.Staff, "staff")):
        assert model.select().count() == counts[name]
    categories = list(models.Category.select().order_by(models.Category.position))
    assert [c.position for c in categories] == list(range(1, 11))
    assert [c.code for c in categories] == ["road", "water", "power", "garbage", "flood", "drought",
                                            "fire", "animals", "health", "other"]
    assert models.Agency.get_by_id("province")


def test_demo_directory_content_rules(db):
    directory.load(DEMO)
    for subdistrict in models.Subdistrict.select():
        villages = list(subdistrict.villages)
        assert 3 <= len(villages) <= 5
        for village in villages:
            assert village.code == f"{subdistrict.code}{village.moo:02d}"
            assert village.name_en == f"Moo {village.moo} {subdistrict.name_en}"
            assert village.name_th.endswith(subdistrict.name_th)
    for category in models.Category.select():
        has_star = models.RoutingRule.select().where(
            (models.RoutingRule.category == category) & (models.RoutingRule.area_code == "*")).exists()
        assert has_star == (category.code != "other"), category.code
    for code in ("road", "garbage", "animals", "other"):
        rules = models.RoutingRule.select().where(
            (models.RoutingRule.category == code) & (fn.LENGTH(models.RoutingRule.area_code) == 6))
        assert rules.count() == 51
    for agency in models.Agency.select():
        assert len(agency.name_th) <= 20 and len(agency.name_en) <= 30, agency.code
    for category in models.Category.select():
        assert len(category.name_th) <= 14 and len(category.name_en) <= 14
    phones = [s.phone for s in models.Staff.select()] + [h.phone for h in models.VillageHead.select()]
    assert all(phone.startswith("+6680000") for phone in phones)
    assert {s.role for s in models.Staff.select()} == set(models.StaffRole)  # a province user too (the console)
    assert models.Staff.get_by_id("+66800000105").agency.code == "province"


# --- loading, reloading, all or nothing --------------------------------------------------


def test_load_writes_every_file_and_normalises_phones(db, tmp_path):
    counts = directory.load(folder_with(tmp_path, BASE))
    assert counts == {"districts": 2, "subdistricts": 2, "villages": 2, "categories": 2, "agencies": 3,
                      "routing": 2, "staff": 1, "village_heads": 1}
    staff = models.Staff.get()
    assert (staff.phone, staff.agency.code, staff.role) == ("+66812345678", "lao", models.StaffRole.OFFICER)
    assert models.VillageHead.get().phone == "+66898765432"
    village = models.Village.get_by_id("51010102")
    assert (village.subdistrict.code, village.moo) == ("510101", 2)
    rule = models.RoutingRule.get(area_code="510101")
    assert (rule.category.code, rule.agency.code) == ("road", "lao")


def test_agency_short_names_are_optional(db, tmp_path):
    agencies = "code,name_th,name_en,short_name_th,short_name_en\nlao,A,Local,ก,L\npwa,J,PWA,,\nprovince,K,Province,ข,\n"
    directory.load(folder_with(tmp_path, {**BASE, "agencies.csv": agencies}))
    shorts = {a.code: (a.short_name_th, a.short_name_en) for a in models.Agency.select()}
    assert shorts == {"lao": ("ก", "L"), "pwa": (None, None), "province": ("ข", None)}
    directory.load(folder_with(tmp_path, {"agencies.csv": BASE["agencies.csv"]}, name="without"))
    assert models.Agency.get_by_id("lao").short_name_th == "ก"  # a file without the columns keeps them
    directory.load(folder_with(tmp_path, {"agencies.csv": "code,name_th,name_en,short_name_th\nlao,A,Local,\n"}, name="cleared"))
    assert models.Agency.get_by_id("lao").short_name_th is None


def test_category_keywords_and_the_province_role(db, tmp_path):
    categories = "code,name_th,name_en,keywords_th,keywords_en\nroad,ถนน,Road,ถนน; หลุม ;ทางพัง,road;pothole\nwater,น้ำ,Water,,\n"
    staff = "phone,agency_code,name,role\n0812345678,province,P,province\n"
    directory.load(folder_with(tmp_path, {**BASE, "categories.csv": categories, "staff.csv": staff}))
    keywords = {c.code: (c.keywords_th, c.keywords_en) for c in models.Category.select()}
    assert keywords == {"road": ("ถนน;หลุม;ทางพัง", "road;pothole"), "water": (None, None)}
    assert models.Staff.get().role == models.StaffRole.PROVINCE


def test_phone_forms(db, tmp_path):
    staff = "phone,agency_code,name,role\n0812345678,lao,A,officer\n+66812345679,lao,B,HEAD\n081-234-5670,lao,C,officer\n"
    directory.load(folder_with(tmp_path, {**BASE, "staff.csv": staff}))
    roles = {s.phone: s.role for s in models.Staff.select()}
    assert roles == {"+66812345678": models.StaffRole.OFFICER, "+66812345679": models.StaffRole.HEAD,
                     "+66812345670": models.StaffRole.OFFICER}


def test_same_phone_in_both_forms_is_a_duplicate(db, tmp_path):
    staff = "phone,agency_code,name,role\n0812345678,lao,A,officer\n+66812345678,lao,B,officer\n"
    problems = problems_of(folder_with(tmp_path, {**BASE, "staff.csv": staff}))
    assert problems == ["staff.csv:3: duplicate phone +66812345678 (first on line 2)"]


def test_reload_updates_in_place(db, tmp_path):
    directory.load(DEMO)
    before = {name: len(rows) for name, rows in snapshot().items()}
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy)
    districts = (copy / "districts.csv").read_text(encoding="utf-8")
    (copy / "districts.csv").write_text(districts.replace("Mae Tha", "Mae Tha Renamed"), encoding="utf-8")
    routing = (copy / "routing.csv").read_text(encoding="utf-8")
    (copy / "routing.csv").write_text(routing.replace("water,*,pwa", "water,*,province"), encoding="utf-8")
    directory.load(copy)
    assert {name: len(rows) for name, rows in snapshot().items()} == before
    assert models.District.get_by_id("5102").name_en == "Mae Tha Renamed"
    assert models.RoutingRule.get(category="water", area_code="*").agency.code == "province"


def test_reload_of_one_file_keeps_the_others(db, tmp_path):
    directory.load(DEMO)
    before = snapshot()
    districts = "code,name_th,name_en\n5101,X,Mueang Lamphun New\n"
    assert directory.load(folder_with(tmp_path, {"districts.csv": districts})) == {"districts": 1}
    after = snapshot()
    assert models.District.get_by_id("5101").name_en == "Mueang Lamphun New"
    assert models.District.select().count() == 8
    assert {k: v for k, v in after.items() if k != "District"} == {k: v for k, v in before.items() if k != "District"}


def test_category_positions_follow_the_reloaded_file(db, tmp_path):
    directory.load(folder_with(tmp_path, BASE, "first"))
    categories = "code,name_th,name_en\nflood,L,Flooding\nroad,G,Roads\n"
    directory.load(folder_with(tmp_path, {"categories.csv": categories}, "second"))
    order = [(c.code, c.position) for c in models.Category.select().order_by(models.Category.position)]
    # water is no longer in the file: it keeps existing but goes after the file's categories
    assert order == [("flood", 1), ("road", 2), ("water", 3)]


def test_references_resolve_against_the_database(db, tmp_path):
    directory.load(folder_with(tmp_path, {"districts.csv": BASE["districts.csv"]}, "first"))
    counts = directory.load(folder_with(tmp_path, {"subdistricts.csv": BASE["subdistricts.csv"]}, "second"))
    assert counts == {"subdistricts": 2}


def test_one_bad_row_changes_nothing(db, tmp_path):
    directory.load(DEMO)
    before = snapshot()
    villages = ("code,subdistrict_code,moo,name_th,name_en\n"
                "51010101,510101,1,E,Moo 1 new\n51010102,510101,2,F,Moo 2 new\n51010109,510101,3,G,Moo 3\n"
                "51010104,510101,4,H,Moo 4 new\n")
    districts = "code,name_th,name_en\n5101,X,Renamed\n"
    problems = problems_of(folder_with(tmp_path, {"districts.csv": districts, "villages.csv": villages}))
    assert problems == ["villages.csv:4: code 51010109 must be subdistrict code 510101 + moo 03"]
    assert snapshot() == before


def test_every_problem_is_reported_at_once(db, tmp_path):
    files = {
        **BASE,
        "districts.csv": "code,name_th,name_en\n5101,A,Mueang\n5102,B,Mae Tha\n51,C,Short\n",
        "villages.csv": "code,subdistrict_code,moo,name_th,name_en\n51010101,510101,1,,Moo 1\n",
        "staff.csv": "phone,agency_code,name,role\n12,lao,Officer,boss\n",
    }
    problems = problems_of(folder_with(tmp_path, files))
    assert problems == [
        "districts.csv:4: code must be 4 digits, not '51'",
        "villages.csv:2: name_th is empty",
        "staff.csv:2: phone '12' is not a phone number (0812345678 or +66812345678)",
        "staff.csv:2: role must be 'officer', 'head' or 'province', not 'boss'",
    ]
    assert models.District.select().count() == 0


# --- each kind of validation error -----------------------------------------------------

BAD_ROWS = [
    ("districts.csv", "code,name_th,name_en\n510A,A,B\n", "districts.csv:2: code must be 4 digits"),
    ("districts.csv", "code,name_th,name_en\n5101,,B\n", "districts.csv:2: name_th is empty"),
    ("districts.csv", "code,name_th,name_en\n5101,A, \n", "districts.csv:2: name_en is empty"),
    ("districts.csv", "code,name_th,name_en\n5101,A,B\n5101,C,D\n", "districts.csv:3: duplicate code 5101 (first on line 2)"),
    ("subdistricts.csv", "code,district_code,name_th,name_en\n51010,5101,A,B\n", "subdistricts.csv:2: code must be 6 digits"),
    ("subdistricts.csv", "code,district_code,name_th,name_en\n510301,5101,A,B\n",
     "subdistricts.csv:2: code 510301 does not start with its district code 5101"),
    ("subdistricts.csv", "code,district_code,name_th,name_en\n510901,5109,A,B\n",
     "subdistricts.csv:2: unknown district district_code '5109'"),
    ("subdistricts.csv", "code,district_code,name_th,name_en,zip_code,lat,lon\n510102,5101,A,B,5100,18.5,99\n",
     "subdistricts.csv:2: zip_code must be 5 digits"),
    ("subdistricts.csv", "code,district_code,name_th,name_en,zip_code,lat,lon\n510102,5101,A,B,51000,north,99\n",
     "subdistricts.csv:2: lat must be a number from -90 to 90, not 'north'"),
    ("subdistricts.csv", "code,district_code,name_th,name_en,lon\n510102,5101,A,B,999\n",
     "subdistricts.csv:2: lon must be a number from -180 to 180"),
    ("villages.csv", "code,subdistrict_code,moo,name_th,name_en\n51010103,510101,three,A,B\n",
     "villages.csv:2: moo must be a whole number from 1 to 99, not 'three'"),
    ("villages.csv", "code,subdistrict_code,moo,name_th,name_en\n51010103,510101,4,A,B\n",
     "villages.csv:2: code 51010103 must be subdistrict code 510101 + moo 04"),
    ("villages.csv", "code,subdistrict_code,moo,name_th,name_en\n51010203,510102,3,A,B\n",
     "villages.csv:2: unknown subdistrict subdistrict_code '510102'"),
    ("villages.csv", "code,subdistrict_code,moo,name_th,name_en\n5101010,510101,3,A,B\n", "villages.csv:2: code must be 8 digits"),
    ("categories.csv", "code,name_th,name_en\nbad code,A,B\n", "categories.csv:2: code must be 1-32 letters"),
    ("categories.csv", "code,name_th,name_en,days\nroad,A,B,soon\n", "categories.csv:2: days must be a whole number"),
    ("agencies.csv", "code,name_th,name_en\nlao,A," + "x" * 300 + "\n", "agencies.csv:2: name_en is longer than 255"),
    ("agencies.csv", "code,name_th,name_en\n,A,B\n", "agencies.csv:2: code must be 1-32 letters"),
    ("agencies.csv", "code,name_th,name_en,short_name_th\nlao,A,B," + "ก" * 300 + "\n",
     "agencies.csv:2: short_name_th is longer than 255"),
    ("routing.csv", "category_code,area_code,agency_code\nroad,5199,lao\n",
     "routing.csv:2: area_code '5199' is not a known district, subdistrict or village code, nor '*'"),
    ("routing.csv", "category_code,area_code,agency_code\nfire,*,lao\n", "routing.csv:2: unknown category category_code 'fire'"),
    ("routing.csv", "category_code,area_code,agency_code\nroad,*,police\n", "routing.csv:2: unknown agency agency_code 'police'"),
    ("routing.csv", "category_code,area_code,agency_code\nroad,*,lao\nroad,*,pwa\n",
     "routing.csv:3: duplicate category/area_code road/* (first on line 2)"),
    ("staff.csv", "phone,agency_code,name,role\n0812345678,lao,A,chief\n", "staff.csv:2: role must be 'officer', 'head' or 'province'"),
    ("staff.csv", "phone,agency_code,name,role\nnot a phone,lao,A,officer\n", "staff.csv:2: phone 'not a phone' is not a phone number"),
    ("staff.csv", "phone,agency_code,name,role\n0812345678,nobody,A,officer\n", "staff.csv:2: unknown agency agency_code 'nobody'"),
    ("staff.csv", "phone,agency_code,name,role\n0812345678,lao,,officer\n", "staff.csv:2: name is empty"),
    ("village_heads.csv", "phone,village_code,name\n0898765432,51010199,A\n",
     "village_heads.csv:2: unknown village village_code '51010199'"),
    ("village_heads.csv", "phone,village_code,name\n0898765432,5101019,A\n", "village_heads.csv:2: village_code must be 8 digits"),
    ("districts.csv", "code,name_th,name_en\n5101,A\n", "districts.csv:2: expected 3 columns, found 2"),
    ("districts.csv", "code,name_th,name_en\n5101,A,B,C\n", "districts.csv:2: expected 3 columns, found 4"),
    ("districts.csv", "", "districts.csv:1: empty file, a header row is required"),
    ("districts.csv", "5101,A,B\n", "districts.csv:1: bad header (missing column code, name_th, name_en; unknown column 5101, a, b)"),
    ("districts.csv", "code,name,name_en\n5101,A,B\n", "districts.csv:1: bad header (missing column name_th; unknown column name)"),
    ("districts.csv", "code,name_th,name_en,name_en\n5101,A,B,B\n", "districts.csv:1: bad header (repeated column name_en)"),
    ("district.csv", "code,name_th,name_en\n5101,A,B\n", "district.csv:1: unknown directory file"),
]


@pytest.mark.parametrize(("filename", "content", "expected"), BAD_ROWS)
def test_validation_errors(db, tmp_path, filename, content, expected):
    problems = problems_of(folder_with(tmp_path, {**BASE, filename: content}))
    assert any(problem.startswith(expected) for problem in problems), problems
    assert models.District.select().count() == 0


def test_line_numbers_count_blank_and_multiline_rows(db, tmp_path):
    districts = 'code,name_th,name_en\n5101,A,B\n\n5102,"two\nlines",B\n5103,,B\n'
    problems = problems_of(folder_with(tmp_path, {"districts.csv": districts}))
    assert problems == ["districts.csv:6: name_th is empty"]


def test_a_broken_header_does_not_cascade(db, tmp_path):
    files = {**BASE, "districts.csv": "id,name_th,name_en\n5101,A,B\n"}
    assert problems_of(folder_with(tmp_path, files)) == [
        "districts.csv:1: bad header (missing column code; unknown column id); expected code,name_th,name_en"]


# --- encodings and odd files -------------------------------------------------------------


def test_utf8_bom_and_crlf_are_accepted(db, tmp_path):
    districts = "\ufeffcode,name_th,name_en\r\n5101,\u0e40\u0e21\u0e37\u0e2d\u0e07,Mueang\r\n"
    assert directory.load(folder_with(tmp_path, {"districts.csv": districts})) == {"districts": 1}
    assert models.District.get_by_id("5101").name_th == "\u0e40\u0e21\u0e37\u0e2d\u0e07"


def test_invalid_utf8_is_reported_with_its_line(db, tmp_path):
    data = "code,name_th,name_en\n5101,A,B\n".encode() + b"5102,\xe0\xb8,B\n5103,C,D\n"
    problems = problems_of(folder_with(tmp_path, {"districts.csv": data}))
    assert problems == ["districts.csv:3: not valid UTF-8 (byte 0xe0)"]
    assert models.District.select().count() == 0


def test_binary_file_is_a_problem_not_a_traceback(db, tmp_path):
    data = b"\xff\xfe\x00binary\n" * 50
    problems = problems_of(folder_with(tmp_path, {**BASE, "districts.csv": data}))
    # ten lines, a summary, and no cascade of unknown districts in subdistricts.csv
    assert problems[0] == "districts.csv:1: not valid UTF-8 (byte 0xff)"
    assert len(problems) == 11
    assert problems[-1] == "districts.csv: ... and 40 more lines that are not UTF-8"


def test_empty_or_missing_folder(db, tmp_path):
    assert problems_of(folder_with(tmp_path, {"notes.txt": "hello"}))[0].endswith(
        "no directory files (expected agencies.csv, categories.csv, districts.csv, routing.csv, staff.csv,"
        " subdistricts.csv, village_heads.csv, villages.csv)")
    assert problems_of(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: not a folder"]
