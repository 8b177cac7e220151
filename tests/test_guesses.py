"""The learned guess (``cases/language/guesses.py``): words no list of the reader holds still
find their type, offered beside other; the model is learned from the tuning parts only, and
learning it again gives the model shipped."""
import json

import pytest

from bench import guesser
from bench.reading import PARTS
from cases.language import guesses, reading
from cases.store.models import Case

from .test_understanding import filed


def test_pieces_of_a_word_typed_with_a_slip_are_mostly_those_of_the_word():
    right, slipped = guesses.features("น้ำท่วม"), guesses.features("น้ำท้วม")
    assert right & slipped
    assert guesses.features("ถนนพัง ๑๒ ๆ") == guesses.features("ถนน พัง")  # digits and ๆ weigh nothing
    assert "road" in guesses.features("Road broken")


@pytest.mark.parametrize("text, guess", [
    ("น้ำบาดาลแห้งขอดหมดแล้ว", "drought"),  # a dry well: no listed word for drought
    ("ยางมะตอยร่อน", "road"),  # the asphalt flakes
    ("น้ำขึ้นถึงเข่าแล้ว", "flood"),  # water up to the knee
])
def test_words_no_list_holds_are_asked_between_the_guess_and_other(demo, text, guess):
    assert reading.rank_types(text)[0] is None  # the lexicon finds nothing
    found = reading.read(text)
    assert (found.category, found.either) == (None, (guess, reading.catch_all()))


def test_the_guess_is_filed_after_one_pick(demo, phone):
    citizen = phone("0812345678")
    assert citizen.send("ยางมะตอยร่อนเป็นแผ่น หมู่ 2 ต.ในเมือง") == (
        "หมู่ 2 ต.ในเมือง เป็นเรื่องใด\n1.ถนน 2.อื่นๆ 3.ไม่ใช่ทั้งสอง")
    case = filed(citizen.send("1"))
    assert (case.category_id, case.village_id, case.description) == ("road", "51010102", "ยางมะตอยร่อนเป็นแผ่น หมู่ 2 ต.ในเมือง")
    assert Case.select().count() == 1


def test_words_of_no_problem_get_no_guess(demo):
    assert reading.read("สวัสดีครับ").either == ()
    assert reading.read("เสียงคาราโอเกะดังทั้งคืน").either == ()  # surely other: asked as other alone


def test_the_model_shipped_is_learned_from_the_tuning_parts_only():
    trained_on = json.loads(guesses.MODEL.read_text(encoding="utf-8"))["trained_on"]
    held_out = {path.name for name, part in PARTS.items() if name.startswith("held") for _, path, _ in part}
    learned = {name.split(":")[0] for name in trained_on}
    assert learned and not learned & held_out
    assert not set(guesser.TRAINING_PARTS) & {name for name in PARTS if name.startswith("held")}


def test_learning_again_gives_the_model_shipped():
    found = guesser.training_sets()
    found["concepts.py"] = guesser.lexicon_examples()
    learned = guesser.fit([example for part in found.values() for example in part])
    assert json.loads(learned.to_json(sorted(found))) == json.loads(guesses.MODEL.read_text(encoding="utf-8"))


def test_at_the_type_question_the_words_own_read_stands_though_the_guess_doubts_it(demo, phone):
    citizen = phone("0812345678")
    citizen.send("สวัสดีครับ")  # the menu
    assert citizen.send("ต้นไม้ล้มขวางถนน") == "หมู่บ้านไหน พิมพ์ตำบลกับเลขหมู่ เช่น ในเมือง 1 หรือรหัสหมู่บ้าน"
    case = filed(citizen.send("หมู่ 2 ต.ในเมือง"))
    assert (case.category_id, case.village_id) == ("road", "51010102")
