"""Issue 23: a province's own list of types, however it groups them — eight broad ones, a
municipality's fine ones, types a generic system would not expect — gets each problem under
the type it names, and what none of them names under the catch-all."""
import csv
import shutil
from pathlib import Path

import pytest

from cases.language import places, reading
from cases.province import directory

DATA = Path(__file__).resolve().parent / "data"
NAN_DIRECTORY = DATA / "nan_directory"


def load(name: str) -> None:
    directory.load(DATA / f"{name}_directory")


@pytest.mark.parametrize("text, category", [
    ("ช้างลงมากินข้าวโพดอีกแล้ว บ.ซับตะเคียน", "forest"),  # a wildlife type: elephants are its
    ("มีคนลักลอบตัดไม้ ได้ยินเสียงเลื่อยยนต์ บ.ซับตะเคียน", "forest"),
    ("ลมพายุพัดหลังคาบ้านปลิวไป4หลัง บ.ซับตะเคียน", "disaster"),
    ("เบี้ยความพิการไม่ได้มา4เดือน บ.ซับตะเคียน", "welfare"),
    ("หอกระจายข่าวเปิดดังตั้งแต่ตีห้า บ.ซับตะเคียน", "enviro"),  # noise, within the environment type
    ("หมาจรจัดเต็มซอย กัดเด็ก บ.ซับตะเคียน", "general"),  # no type holds stray dogs: the catch-all
    ("ลูกจ้างโดนเลิกจ้างไม่ได้ค่าชดเชย บ.ซับตะเคียน", "general"),  # money owed is no welfare
])
def test_eight_broad_types_take_the_problems_they_group(app, text, category):
    load("korat")
    assert reading.read(text).category == category


def test_a_word_that_only_says_a_state_in_a_types_name_reads_no_type(app):
    load("ubon")  # its traffic signs type is named "… ชำรุด/ไม่มี"
    assert reading.read("ขยะกองหน้าศาลา ไม่มีรถมาเก็บ บ้านหนองแต้").category == "garbage"


def test_a_concept_named_in_passing_in_another_types_name_is_not_that_type(app):
    load("east")  # "ฝุ่น เสียง และแรงสั่นสะเทือนจากโรงโม่หิน/เหมืองหิน": a type for quarries
    assert reading.read("ข้างบ้านเปิดเพลงดังทุกคืน บ้านตกพรม").category == "etc"
    assert reading.read("ระเบิดหินที่โรงโม่ บ้านร้าวหมด บ้านตกพรม").category == "quarry"


@pytest.mark.parametrize("text, category", [
    ("น้ำเค็มขึ้นมาถึงคลองแล้ว รดสวนไม่ได้ บ้านตกพรม", "saltwater"),
    ("สวนข้างๆใช้ยาฆ่าหญ้า ลมพัดเข้าบ้าน บ้านตกพรม", "spray"),
    ("เรือลากคู่เข้ามาลากใกล้ฝั่ง อวนขาดหมด บ้านตกพรม", "trawler"),
])
def test_types_a_generic_list_lacks_are_read_from_citizens_words(app, text, category):
    load("east")
    assert reading.read(text).category == category


def test_a_type_with_no_words_but_its_name_is_read_by_the_words_cut_from_it(app, tmp_path):
    folder = tmp_path / "directory"
    shutil.copytree(NAN_DIRECTORY, folder)
    rows = list(csv.reader(open(folder / "categories.csv", encoding="utf-8")))
    rows.insert(-1, ["cassava", "โรคใบด่างมันสำปะหลัง", "Cassava mosaic", "", ""])  # no keywords
    with open(folder / "categories.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with open(folder / "routing.csv", "a", encoding="utf-8") as handle:
        handle.write("cassava,*,province\n")
    directory.load(folder)
    assert reading.read("มันสำปะหลังใบหงิกเหลืองทั้งไร่ บ้านสะจุก").category == "cassava"
    assert reading.read("ไฟดับทั้งหมู่บ้าน บ้านสะจุก").category == "power"


def test_places_typed_as_they_sound(app):
    load("korat")
    assert places.read("ไฟไม่มา ร้านข้าวแกงบ้านสัมริทธิ์").village == "30150201"  # ฤ typed as ริ
    assert places.read("หมูสีม3 ช้างเหยียบบ้านพัง").village == "30210503"  # ม glued to its number
