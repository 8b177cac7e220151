"""Issue 11 item 6: every subdistrict and village of two directories is found in the forms
people type: with and without ต./ตำบล (names that start with บ้าน too), หมู่ N / ม.N, a
village's name with and without บ้าน, and English."""
from pathlib import Path

import pytest

from cases.language import places
from cases.province import directory
from cases.store.models import Subdistrict, Village
from rongrian.cli import DEMO_DIRECTORY

DATA = Path(__file__).resolve().parent / "data"
EXTREME_DIRECTORY = DATA / "extreme_directory"
NAN_DIRECTORY = DATA / "nan_directory"
DIRECTORIES = {"demo": DEMO_DIRECTORY, "extreme": EXTREME_DIRECTORY, "nan": NAN_DIRECTORY}


@pytest.fixture(params=list(DIRECTORIES.values()), ids=list(DIRECTORIES))
def loaded(app, request):
    directory.load(request.param)
    return request.param


def in_subdistrict(reading, code):
    if reading.village:
        return reading.village.startswith(code)
    return reading.subdistrict == code or f"s:{code}" in reading.candidates


def test_every_subdistrict_in_four_forms(loaded):
    subs = list(Subdistrict.select())
    missed = []
    for sub in subs:
        for form in (f"ต.{sub.name_th}", f"ตำบล {sub.name_th}", sub.name_th, f"tambon {sub.name_en}"):
            if not in_subdistrict(places.read(f"ถนนพัง {form}"), sub.code):
                missed.append(form)
    assert not missed, missed
    assert any(sub.name_th.startswith("บ้าน") for sub in subs) or loaded == EXTREME_DIRECTORY


def test_every_village_in_four_forms(loaded):
    missed = []
    for village in Village.select():
        sub = village.subdistrict
        forms = [f"หมู่ {village.moo} ต.{sub.name_th}", f"ม.{village.moo} {sub.name_th}",
                 f"{sub.name_th} {village.moo}", f"moo {village.moo} {sub.name_en}"]
        if village.name_th.startswith("บ้าน"):  # a named village: with and without บ้าน, and English
            core = village.name_th[len("บ้าน"):]
            forms += [f"{village.name_th} ต.{sub.name_th}", f"{core} {sub.name_th}", f"บ.{core} ต.{sub.name_th}",
                      f"{village.name_en} {sub.name_en}"]
            unique = Village.select().where(Village.name_th == village.name_th).count() == 1
            if unique and not Subdistrict.select().where(Subdistrict.name_th == core).exists():
                forms += [village.name_th, core]  # a name no other village has needs no subdistrict
        for form in forms:
            found = places.read(f"ไฟดับ {form}")
            if found.village != village.code and f"v:{village.code}" not in found.candidates:
                missed.append(form)
    assert not missed, missed


@pytest.mark.parametrize("folder, text, village", [
    ("south", "ยาบ้าระบาดในหมู่บ้านท่าซอม", "80121805"),  # บ้านท่าซอมพัฒนาสามัคคี, its ornaments left out
    ("central", "เด็กเดินไกลจากบ้านคลองขุดใหม่ไปโรงเรียน", "72040205"),  # …ใหม่พัฒนา (หมู่บ้านเศรษฐกิจพอเพียง)
    ("south", "เพลี้ยลงนา บ้านบางนอก ต.แหลม", "80120902"),  # ต.แหลมตะลุมพุก cut short; three บ้านบางนอก
    ("south", "ยางเป็นโรค บ้านควนเถี๊ยะ ต.โมคลาน", "80080702"),  # a wrong tone mark, in the subdistrict named
    ("south", "น้ำขังในซอยม.1ขนาบนาก", "80121801"),  # ม. glued to the word before it
    ("central", "ท่อตัน บ้านดอนกระเบื้อง บ้านแหลม", "72041004"),  # ต.บ้านแหลม, as a village of it is named
    ("korat", "ขยะไม่มาเก็บ บ้านท่าสงกานต์ ในเมือง", "30150101"),  # a letter left out, beside its subdistrict
    ("korat", "ตัดไม้ในป่า แถวบ้านคลองไทรพัทนา", "30250102"),  # not บ้านคลองไทร: พัฒนา typed as it sounds
])
def test_places_shortened_or_slipped_as_villagers_type_them(app, folder, text, village):
    directory.load(DATA / f"{folder}_directory")
    assert places.read(text).village == village
