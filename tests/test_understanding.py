"""Issue 23: understood on words never seen. The first SMS of every kind gets an exact reply
that never asks for a number after the citizen sent one; effects, slips and a province's own
keywords are read; a type's word used in another sense is not; two close types get one
either/or question; a problem no listed type fits is named back as the catch-all and filed after
one yes, with the citizen's words."""
import csv
import os
import shutil
from pathlib import Path

import pytest

from bench import reading as bench_reading
from bench.directory import generate
from cases.language import reading, segments
from cases.casework import routing
from cases.province import directory
from cases.store import models, reference, schema, work
from cases.store.models import Case

from .conftest import empty_server_database

NAN_DIRECTORY = Path(__file__).resolve().parent / "data" / "nan_directory"
MENU = "1.ถนน 2.ประปา 3.ไฟฟ้า 4.ขยะ 5.น้ำท่วม 0.ถัดไป"
ASK_VILLAGE = "หมู่บ้านไหน พิมพ์ตำบลกับเลขหมู่ เช่น ในเมือง 1 หรือรหัสหมู่บ้าน"
OTHER_QUESTION = "ไม่มีในรายการ ส่งเป็นอื่นๆ หมู่ 2 ต.ในเมือง ใช่ไหม 1.ใช่ 2.ไม่ใช่"


def filed(answer: str) -> Case:
    ref = reference.find_in(answer)
    assert ref, answer
    return Case.get(Case.reference == ref)


FIRST_CONTACT = [
    ("1", "แจ้งปัญหาเรื่องใด\n" + MENU),  # a digit: the start of a report, no "reply a number"
    ("๑", "แจ้งปัญหาเรื่องใด\n" + MENU),  # a Thai digit
    ("1 ค่ะ", "แจ้งปัญหาเรื่องใด\n" + MENU),
    ("0", "แจ้งปัญหาเรื่องใด\n" + MENU),
    ("", "ปัญหาเรื่องอะไร ตอบเลข\n" + MENU),  # empty
    ("😀", "ปัญหาเรื่องอะไร ตอบเลข\n" + MENU),  # emoji
    ("hello", "ปัญหาเรื่องอะไร ตอบเลข\n" + MENU),  # English greeting
    ("สวัสดีค่ะ", "ปัญหาเรื่องอะไร ตอบเลข\n" + MENU),
    ("ทดสอบ", "ปัญหาเรื่องอะไร ตอบเลข\n" + MENU),  # one word that reports nothing: the menu, not "other"
    ("Hello, road broken moo 2 nai mueang", "ถนน หมู่ 2 ต.ในเมือง ใช่ไหม 1.ใช่ 2.ไม่ใช่"),  # English words
    ("ถนน", ASK_VILLAGE),  # a type's keyword alone
    ("สถานะ", 'โปรดส่งคำว่า "สถานะ" เว้นวรรค ตามด้วยเลขที่เรื่อง'),  # an SMS keyword alone
    ("ถนนพัง หมู่ 2 ต.ในเมือง", "ถนน หมู่ 2 ต.ในเมือง ใช่ไหม 1.ใช่ 2.ไม่ใช่"),  # free text
    ("เปิดก๊อกแล้วไม่มีน้ำ หมู่ 1 ต.ในเมือง", "ประปา หมู่ 1 ต.ในเมือง ใช่ไหม 1.ใช่ 2.ไม่ใช่"),  # an effect
    ("ไฟดับ หมู่ 2 ต.ศรีบัวบาร", "ไฟฟ้า หมู่ 2 ต.ศรีบัวบาน ใช่ไหม 1.ใช่ 2.ไม่ใช่"),  # a final typed wrong
    ("ไฟดับ ถนนพัง หมู่ 2 ต.ในเมือง", "หมู่ 2 ต.ในเมือง เป็นเรื่องใด\n1.ถนน 2.ไฟฟ้า 3.ไม่ใช่ทั้งสอง"),  # two close
    ("เสียงคาราโอเกะดังทั้งคืน หมู่ 2 ต.ในเมือง", OTHER_QUESTION),
    ("เสียงคาราโอเกะดังทั้งคืน", ASK_VILLAGE),  # no type, no place: the place first, then named back
    ("เด็กแว้นแข่งรถบนถนนทุกคืน หมู่ 2 ต.ในเมือง", OTHER_QUESTION),  # the road only says where
    ("ยาบ้า หมู่ 2 ต.ในเมือง", OTHER_QUESTION),  # one word naming a trouble
    ("ขอถังน้ำ หมู่ 2 ต.ในเมือง", "หมู่ 2 ต.ในเมือง เป็นเรื่องใด\n1.ภัยแล้ง 2.อื่นๆ 3.ไม่ใช่ทั้งสอง"),  # a request:
    # no listed word, the learned guess beside other
    ("2 ทุ่มแล้วยังเปิดเพลงดัง หมู่ 2 ต.ในเมือง", OTHER_QUESTION),  # a number that counts: no menu number
]


@pytest.mark.parametrize("text, expected", FIRST_CONTACT)
def test_every_first_contact_gets_its_exact_reply(demo, phone, text, expected):
    reply = phone("0812345678").send(text)
    assert reply == expected
    assert segments.fits(reply)
    if text and text.split()[0].isdigit() or text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).strip(" ค่ะ").isdigit():
        assert "ตอบเลข" not in reply and "โปรดตอบ" not in reply  # never "reply a number" after a number


def test_a_digit_first_then_the_type_number_goes_on_with_the_report(demo, phone):
    citizen = phone("0812345678")
    citizen.send("1")
    assert citizen.send("3") == ASK_VILLAGE  # the type chosen from the menu
    citizen.send("หมู่ 2 ต.ในเมือง")
    case = filed(citizen.send("ไฟดับทั้งซอย"))
    assert (case.category_id, case.village_id) == ("power", "51010102")


def test_a_problem_no_type_fits_is_filed_as_other_after_one_yes_with_its_words(demo, phone):
    citizen = phone("0812345678")
    citizen.send("เสียงคาราโอเกะดังทั้งคืน หมู่ 2 ต.ในเมือง")
    case = filed(citizen.send("1"))
    assert (case.category_id, case.village_id) == ("other", "51010102")
    assert case.description == "เสียงคาราโอเกะดังทั้งคืน หมู่ 2 ต.ในเมือง"

    no = phone("0812345679")
    no.send("เสียงคาราโอเกะดังทั้งคืน หมู่ 2 ต.ในเมือง")
    assert no.send("2").startswith("ปัญหาเรื่องอะไร ตอบเลข")  # a no: the menu, nothing filed
    assert not Case.select().where(Case.reporter_phone == "+66812345679").exists()

    later = phone("0812345677")
    later.send("เสียงคาราโอเกะดังทั้งคืน")
    question = later.send("หมู่ 3 ต.ในเมือง")
    assert question == "ไม่มีในรายการ ส่งเป็นอื่นๆ หมู่ 3 ต.ในเมือง ใช่ไหม 1.ใช่ 2.ไม่ใช่"
    assert filed(later.send("1")).category_id == "other"


def test_a_problem_of_a_kind_the_directory_has_no_type_for_is_offered_as_other(app, phone):
    directory.load(NAN_DIRECTORY)  # Nan has no type for stray animals, noise or drugs
    assert reading.read("หมาจรจัดกัดเด็กหน้าโรงเรียน บ้านสะจุก").category == "other"
    citizen = phone("0812345678")
    question = citizen.send("คาราโอเกะข้างสะพานเปิดดังทั้งคืน บ้านสะจุก")  # the bridge only says where
    assert question == "ไม่มีในรายการ ส่งเป็นเรื่องอื่น บ้านสะจุก ต.สวด ใช่ไหม 1.ใช่ 2.ไม่ใช่"
    assert filed(citizen.send("1")).category_id == "other"


def test_a_types_trouble_beside_a_word_of_another_kind_is_still_the_type(app):
    directory.load(NAN_DIRECTORY)
    assert reading.read("ช้างป่ายืนขวางถนน รถผ่านไม่ได้ บ้านสะจุก").category == "elephant"  # an effect counts less
    assert reading.read("หม้อแปลงหน้าบ้านมีเสียงดัง บ้านสะจุก").category == "power"  # the noise is the thing's
    assert reading.read("ถนนพัง วัยรุ่นมั่วสุมทุกคืน").either == ("road", "other")  # two kinds alike: asked
    assert reading.read("ถนนพังเป็นหลุมใหญ่ ขโมยป้ายไปด้วย").category == "road"  # the type leads


def test_two_close_types_get_one_either_or_question(demo, phone):
    citizen = phone("0812345678")
    citizen.send("ไฟดับ ถนนพัง หมู่ 2 ต.ในเมือง")
    case = filed(citizen.send("1"))  # the pick names the village too: filed at the second SMS
    assert (case.category_id, case.village_id) == ("road", "51010102")

    neither = phone("0812345679")
    neither.send("ไฟดับ ถนนพัง หมู่ 2 ต.ในเมือง")
    assert neither.send("3").startswith("ปัญหาเรื่องอะไร ตอบเลข")  # neither: the whole menu
    assert neither.send("4").startswith("ขยะ หมู่ 2 ต.ในเมือง ใช่ไหม")  # the place read is still named back
    assert filed(neither.send("1")).category_id == "garbage"


def _with_extra_type(tmp_path: Path) -> Path:
    folder = tmp_path / "directory"
    shutil.copytree(NAN_DIRECTORY, folder)
    rows = list(csv.reader(open(folder / "categories.csv", encoding="utf-8")))
    rows.insert(-1, ["pest", "ศัตรูพืชระบาด", "Crop pests", "หอยเชอรี่;หนอนกระทู้;เพลี้ย", "snail;armyworm"])
    with open(folder / "categories.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with open(folder / "routing.csv", "a", encoding="utf-8") as handle:
        handle.write("pest,*,province\n")
    return folder


def _with_finer_types(tmp_path: Path) -> Path:
    """Nan with a finer list of types, in its own order and words: street lights apart from the
    grid (listed first), bridges apart from roads, drains."""
    folder = tmp_path / "finer"
    shutil.copytree(NAN_DIRECTORY, folder)
    types = [["lamp", "ไฟฟ้าส่องสว่างสาธารณะ", "Public lighting"], ["grid", "ไฟฟ้าขัดข้อง", "Power supply faults"],
             ["road", "ถนนชำรุด", "Damaged roads"], ["bridge", "สะพานชำรุด", "Damaged bridges"],
             ["drain", "ท่อระบายน้ำ/น้ำเน่าเสีย", "Drains and wastewater"], ["other", "อื่นๆ", "Other"]]
    with open(folder / "categories.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["code", "name_th", "name_en"], *types])
    with open(folder / "routing.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["category_code", "area_code", "agency_code"], *([code, "*", "province"] for code, *_ in types)])
    return folder


@pytest.mark.parametrize("text, category", [
    ("ไฟกิ่งดับทั้งซอยมืดมาก บ้านสะจุก", "lamp"),
    ("หม้อแปลงระเบิด ไฟดับทั้งหมู่บ้าน บ้านสะจุก", "grid"),
    ("สะพานไม้ผุจะหักแล้ว บ้านสะจุก", "bridge"),
    ("ถนนเป็นหลุมใหญ่ บ้านสะจุก", "road"),
    ("ท่อตันน้ำเน่าส่งกลิ่น บ้านสะจุก", "drain"),
])
def test_a_finer_list_of_types_gets_each_its_own_words(app, tmp_path, text, category):
    directory.load(_with_finer_types(tmp_path))
    assert reading.read(text).category == category


def test_a_provinces_own_keywords_are_read(app, phone, tmp_path):
    directory.load(_with_extra_type(tmp_path))  # a type only this directory has, known by its keywords
    found = reading.read("หนอนกระทู้ลงกินข้าวโพดหมดแปลง บ้านสะจุก")  # only its keyword, not its name
    assert (found.category, found.place.village) == ("pest", "55030302")
    citizen = phone("0812345678")
    question = citizen.send("หนอนกระทู้ลงกินข้าวโพดหมดแปลง บ้านสะจุก")
    assert question == "ศัตรูพืชระบาด บ้านสะจุก ต.สวด ใช่ไหม 1.ใช่ 2.ไม่ใช่"
    assert filed(citizen.send("1")).category_id == "pest"


def test_a_directory_without_a_catch_all_is_given_one_for_what_fits_no_type(app, phone, runner, tmp_path):
    folder = tmp_path / "directory"
    shutil.copytree(NAN_DIRECTORY, folder)
    for name in ("categories.csv", "routing.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        (folder / name).write_text("\n".join(line for line in lines if not line.startswith("other,")) + "\n", encoding="utf-8")
    loaded = runner.invoke(args=["load-directory", str(folder)])
    assert loaded.exit_code == 0 and "8 categories" in loaded.output  # the file's 7 and the catch-all
    added = models.Category.get_by_id(reading.catch_all())
    assert (added.code, added.name_th, added.name_en) == ("other", "อื่นๆ", "Other")
    assert added.position == models.Category.select().count()  # last in the menu
    citizen = phone("0812345678")
    reply = citizen.send("เสียงคาราโอเกะดังทั้งคืน บ้านสะจุก")  # no type fits: offered as other, no menu
    assert reply == "ไม่มีในรายการ ส่งเป็นอื่นๆ บ้านสะจุก ต.สวด ใช่ไหม 1.ใช่ 2.ไม่ใช่"
    case = filed(citizen.send("1"))
    assert case.category_id == "other"
    with work.unit_of_work(None):
        routed = routing.route_case(case.id)  # no rule names it: the province office forwards it
    assert (routed.agency_id, routed.unrouted) == ("province", True)
    assert runner.invoke(args=["load-directory", str(folder)]).exit_code == 0  # loaded again: still one
    assert models.Category.select().where(models.Category.code == "other").count() == 1


HELD_OUT_FLOORS = {
    # part: (messages, within two SMS, share of "other" after one yes); 0 filed wrong in each
    "held-out": (130, 0.90, 0.95),  # the figures: measured 99.1 %, 100 % (README)
    "held-out-stranger": (170, 0.90, 0.95),  # written by a stranger: the floors; measured 100 %, 99.0 %
    # Provinces with their own lists of types, by strangers: guards against regressions, a few
    # points below what was measured (README: reading); some are below the 90 % and 95 %.
    "held-out-isan": (160, 0.90, 0.90),  # Roi Et: measured 96.1 %, 94.8 %
    "held-out-west": (200, 0.76, 0.92),  # Kanchanaburi: 80.8 %, 97.5 %
    "held-out-north": (200, 0.80, 0.84),  # Chiang Rai, eight broad types: 84.9 %, 88.9 %
    "held-out-sisaket": (200, 0.82, 0.88),  # 86.7 %, 93.8 %
    "held-out-phitsanulok": (200, 0.86, 0.85),  # fifteen Traffy-style types: 90.9 %, 89.9 %
}


@pytest.mark.parametrize("part", sorted(HELD_OUT_FLOORS))
def test_held_out_first_messages_meet_the_acceptance(app, part):
    """Each held-out part (never tuned on), through the real SMS flow, in both directories."""
    total = bench_reading.Figures()
    for number, (folder, path, only) in enumerate(bench_reading.PARTS[part]):
        if number:  # each directory on an empty database, as the bench does
            if os.environ.get("TEST_DATABASE_URL"):
                empty_server_database()
            else:
                models.database.drop_tables([*models.MODELS, schema.SchemaVersion])
                schema.create_tables()
        directory.load(folder)
        total = total + bench_reading.evaluate(bench_reading.rows(path, only), first_phone=100_000 * number)
    print("\n".join(total.lines()))
    messages, within_two, other_share = HELD_OUT_FLOORS[part]
    assert total.messages >= messages
    assert total.within_two >= within_two
    assert total.wrong_filed == 0
    assert total.other_share >= other_share


def test_reading_a_first_message_costs_under_a_millisecond_on_3000_villages(app, tmp_path):
    """Names with a slip are narrowed by a letter-pair index before scoring: the cost does not
    grow with the province (p50 over the labelled texts and the same with the directory's own
    names, each its best of three reads)."""
    generated = generate(tmp_path / "big", 3000)
    directory.load(generated.folder)
    labelled = [row for part in bench_reading.PARTS.values() for _, path, only in part
                for row in bench_reading.rows(path, only)]
    p50, p99 = bench_reading.reader_cost(bench_reading.big_directory_texts(labelled))
    print(f"reader p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    assert p50 <= 1.0


@pytest.mark.parametrize("text, category", [
    ("มืดทั้งซอยเลย", "power"),  # an effect, not the thing's name
    ("รถผ่านไม่ได้", "road"),
    ("ทางเข้าหมู่บ้านขาด", "road"),  # the thing and what went wrong, apart
    ("น้ำไม่ออกจากก๊อก", "water"),
    ("ขี้เหยื้อเต็มทาง", "garbage"),  # North-eastern
    ("ไฟบ่มาเลย", "power"),  # Northern บ่
    ("ไฟฟ้าดับบบ", "power"),  # a key held down
    ("ถ นน พัง", "road"),  # stray spaces inside the words
    ("น้ำเข้าบ้านหมดแล้ว", "flood"),
    ("ควันโขมงทั้งหมู่บ้าน", "fire"),
])
def test_words_never_listed_for_a_type_still_read_it(demo, text, category):
    assert reading.read(text).category == category


@pytest.mark.parametrize("text, category", [
    ("ควันบุหรี่จากร้านข้างโรงเรียนเหม็นมาก", None),  # a type's word inside a word of another sense
    ("ไม่มีไฟฉุกเฉินที่ศาลา", None),  # ไม่มีไฟ runs into ไฟฉุกเฉิน, a lamp
    ("ทางบ้านขาดรายได้", None),  # ทาง as "the side of": no road broken
    ("มีวัยรุ่นตีกันกลางถนน", None),  # the road only says where
    ("ร้านช้างทองเปิดเพลงดังทุกคืน", None),  # a shop's name
    ("นายสมชาย ช้างเผือก โกงที่ดิน", None),  # a surname
    ("มีคนตัดไม้ผิดกฎหมาย", None),  # หมา inside กฎหมาย, mid-word
    ("ส่งจดหมายไปแล้วไม่มีใครตอบ", None),
    ("เพื่อนบ้านด่าทุกวัน ช่วยมาดูได้ไหม", None),  # ไหม asks: it is no slip for ไหม้
    ("ขอให้มาซ่อมหลังคาศาลา", None),  # ให้มา holds the skeleton of หมา across a cluster
    ("ผมชื่อสมชาย มีคนขโมยวัว", None),  # อสม across ชื่อ|สม: not whole clusters
    ("ยาเสพติดระบาดหนัก", None),  # ระบาด alone is no disease
    ("ริมถนนทรุดตัวลงคลอง", "road"),  # a road's own trouble after a word for where
    ("ขยะมูลฝอยเต็มซอย", "garbage"),  # a word that splits into dictionary words
    ("หมอกควันจากการเผาไร่", "fire"),  # smoke from a source that tells the type
    ("ไข้เลือดออกระบาด", "health"),
    ("ยุงเยอะเพราะน้ำขังในท่อ", "health"),  # the cause after the problem is not the problem
    ("ถนนขาดเพราะน้ำป่า", "road"),
])
def test_a_types_word_in_another_sense_is_not_read(demo, text, category):
    assert_reads(text, category)


@pytest.mark.parametrize("text, category", [
    ("ไฟไหม้บ้านลุงวอดทั้งหลัง", None),  # what burns is a house, no forest
    ("ปลั๊กพ่วงไหม้ควันขึ้นในห้องนอน", None),  # the thing before the burning; its smoke
    ("ไฟลามไหม้โรงวัวของลุง", None),
    ("เผาศพที่วัด ควันลอยมาทั้งวัน", None),  # a body; the smoke is the cremation's
    ("เพื่อนบ้านปิ้งปลาควันเข้าบ้านทุกวัน", None),  # cooking smoke, no haze
    ("เผากระดาษไหว้บรรพบุรุษควันเยอะ", None),  # a rite
    ("มอไซค์ระเบิดไฟลุกท่วมคัน", None),  # flames engulf: no flood
    ("พัดลมช็อตตอนเสียบปลั๊ก", None),  # an appliance that shocks, no power fault
    ("ไฟฟ้าช็อตคนงานตอนซ่อมหลังคา", None),  # who a shock hurt: an injury
    ("ค่าผ่านทางสะพานแพงเกินไป", None),  # a toll, no road
    ("ผึ้งทำรังที่เสาไฟฟ้าหน้าบ้าน", None),  # the pole only says where
    ("วัยรุ่นมั่วสุมที่สะพานทุกคืน", None),  # so does a bridge
    ("ท่อน้ำทิ้งหลังบ้านตัน", None),  # a waste pipe, no tap water
    ("รั้วไฟฟ้ากันช้างช็อตวัวตาย", None),  # a fence against elephants
    ("ข้าวในนาเป็นโรคใบไหม้ทั้งแปลง", None),  # scorched leaves: a crop's disease
    ("เสียงเครื่องโม่หินดังทั้งวัน ฝุ่นก็เยอะ", None),  # the dust is the quarry's
    ("ไฟไหม้ป่าหลังโรงเรียน", "fire"),  # the forest burns; the school only says where
    ("เผาไร่ข้างบ้านควันเข้าบ้าน", "fire"),
    ("สายไฟช็อตคนตาย", "power"),  # the line is named before the shock
    ("ไฟดับทั้งซอยเพราะรถชนเสาไฟ", "power"),
    ("ถนนที่ซอย 5 เป็นหลุม", "road"),
    ("ตู้ไฟหน้าบ้านมีเสียงดัง", "power"),
    ("น้ำเข้าไร่ข้าวโพดจมหมด", "flood"),
])
def test_what_a_types_word_attaches_to_tells_its_sense(demo, text, category):
    assert_reads(text, category)


def test_a_read_the_learned_guess_doubts_is_asked_beside_the_guess(demo):
    """A fallen tree across a road: the words read the road; the learned guess, sure it is a
    tree (a kind the demo has no type for: other), doubts it. The citizen picks, the read first."""
    found = reading.read("ต้นไม้ล้มขวางถนน")
    assert (found.category, found.either) == (None, ("road", reading.catch_all()))


def assert_reads(text, category):
    """``text`` reads as ``category``; None: as no listed type (the catch-all may be read, from
    words of its own kind: noise, drugs, theft)."""
    found = reading.read(text).category
    assert found == category if category else found in (None, reading.catch_all())


def test_a_bare_name_that_is_a_common_word_gives_way_to_a_named_place(app):
    directory.load(NAN_DIRECTORY)
    assert reading.read("ไฟดับที่ศาลา บ้านนาไค้").place.village == "55050302"  # a pavilion, not บ้านศาลา
    assert reading.read("ขโมยของที่สถานีรถไฟ หมู่ 2 ต.ปัว").place.village == "55050102"  # a station, not ต.สถาน


def test_a_place_typed_with_a_wrong_tone_or_final_is_found(app):
    directory.load(NAN_DIRECTORY)
    assert reading.read("ไฟดับ บ้านเปียงซอ").place.village == "55050503"  # บ้านเปียงซ้อ without its tone
    assert reading.read("น้ำไม่ไหล บ้านน้ำมวป").place.village == "55050601"  # บ้านน้ำมวบ, a same-sounding final


def test_a_place_typed_in_words_at_the_which_place_question_is_read_again(app, phone):
    directory.load(NAN_DIRECTORY)
    citizen = phone("0812345678")
    question = citizen.send("ไฟดับทั้งหมู่บ้าน บ้านดอนมูล")  # three villages of that name
    assert question.startswith("หมายถึงที่ไหน")
    confirm = citizen.send("บ้านสะจุก")  # none of them: the place in words, not a number
    assert confirm == "ไฟฟ้า/ไฟทาง บ้านสะจุก ต.สวด ใช่ไหม 1.ใช่ 2.ไม่ใช่"
    assert filed(citizen.send("1")).village_id == "55030302"
