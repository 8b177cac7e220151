"""The style guide (docs/thai-style.md), as far as a program can check it, over every
registered template in Thai and English and every menu screen (SMS pages, USSD screens, voice
prompts): no particle, no abbreviation a villager may not know, one word per state, commands
in quotes, the rating scale's good end named, no "type" on a call, type numbers = menu
positions on every page and channel, ``0`` for more (never an option number), the same page
after a wrong answer, examples from the loaded directory. The rules are ``cases.language.style``."""
from __future__ import annotations

import re

import pytest
from pythainlp.tokenize import word_tokenize

from cases.casework import notify
from cases.casework.lifecycle import remember_village
from cases.language import lifecycle_texts, style, texts
from cases.language.i18n import LANGUAGES, gettext
from cases.province import directory
from cases.store.models import Agency, CaseStatus, Category, Village
from flows import menu, render
from flows import ussd as ussd_flow
from flows import voice
from flows.engine import MORE, Context, Screen
from flows.sms import ENGINE as SMS_ENGINE
from flows.sms import SMS
from rongrian.cli import DEMO_DIRECTORY

from .test_lengths import CITIZEN, EXTREME_DIRECTORY, loaded, longest, screens  # noqa: F401 (loaded: a fixture)

PARAM = re.compile(r"%\(\w+\)s")
CHANNELS = {"sms": (SMS_ENGINE, SMS), "ussd": (menu.ENGINE, menu.USSD), "voice": (menu.ENGINE, menu.VOICE)}
TRANSITIONS = {
    texts.ACCEPTED: CaseStatus.ACCEPTED, texts.FORWARDED: CaseStatus.ASSIGNED, texts.DONE: CaseStatus.DONE,
    texts.DONE_NO_NOTE: CaseStatus.DONE, lifecycle_texts.DONE_RATE: CaseStatus.DONE,
    lifecycle_texts.DONE_NO_NOTE_RATE: CaseStatus.DONE, lifecycle_texts.REOPENED: CaseStatus.ASSIGNED,
    texts.STAFF_ACCEPTED: CaseStatus.ACCEPTED, texts.STAFF_DONE: CaseStatus.DONE,
    lifecycle_texts.REMIND_ACCEPT: CaseStatus.ASSIGNED,
}
"""Messages that tell of a state: each names it with the state's one word."""


def wording(language: str, key: str) -> str:
    """The fixed words of template ``key`` in ``language`` (its parameters blanked)."""
    return PARAM.sub(" ", gettext(language, texts.TEMPLATES[key].msgid))


def particles_in(text: str) -> list[str]:
    return [word for word in word_tokenize(text, engine="newmm") if word.strip() in style.PARTICLES]


def test_the_checks_catch_what_the_issue_reported():
    """The rules are not vacuous: the old wording breaks them."""
    assert particles_in("ไม่มีงานค้าง ขอบคุณครับ") == ["ครับ"] and particles_in("ขอเริ่มใหม่อีกครั้งค่ะ") == ["ค่ะ"]
    assert not particles_in("ให้คะแนน 1 แย่-5 ดี")  # คะแนน is a word, not the particle คะ
    assert style.abbreviations_in("ผญบ.แจ้งเรื่องแทนท่าน ทม.ลำพูน") == ["ผญบ.", "ทม."]
    assert style.abbreviations_in("1.ถนน 2.ประปา 0.ถัดไป") == []
    assert style.spoken("หมู่ 1 ต.ปัว ไฟป่า/หมอกควัน อบต.เหมืองง่า") == (
        "หมู่ 1 ตำบล ปัว ไฟป่า หมอกควัน องค์การบริหารส่วนตำบล เหมืองง่า")


@pytest.mark.parametrize("key", sorted(texts.TEMPLATES))
def test_every_template_keeps_the_thai_style(key):
    thai, english = wording("th", key), wording("en", key)
    assert not particles_in(thai), f"{key}: particle in {thai!r}"
    allowed = style.STAFF_ABBREVIATIONS if style.for_staff(key) else frozenset()
    assert set(style.abbreviations_in(thai)) <= allowed, f"{key}: abbreviation in {thai!r}"
    assert not [word for word in style.OTHER_STATE_WORDS if word in thai], f"{key}: a second state word in {thai!r}"
    assert "?" not in thai, f"{key}: a question ends with a question word, not '?': {thai!r}"
    assert thai.count('"') == english.count('"') and thai.count('"') % 2 == 0, f"{key}: commands in quotes: {thai!r}"
    assert not particles_in(english)


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_word_for_each_state(language):
    words = {status: gettext(language, word) for status, word in style.STATE_WORDS.items()}
    assert len(set(words.values())) == len(CaseStatus)
    if language == "th":
        assert all(word != style.STATE_WORDS[status] for status, word in words.items())  # translated
    for key, status in [*((key, status) for status, key in notify.STATUS_TEMPLATES.items()), *TRANSITIONS.items()]:
        assert words[status].lower() in gettext(language, texts.TEMPLATES[key].msgid).lower(), key
    receipt = gettext(language, texts.TEMPLATES[texts.RECEIVED].msgid).lower()
    # the receipt names what was received: รับแจ้ง + the type (the state's word around its object, to fit)
    assert words[CaseStatus.NEW].lower() in receipt or receipt.startswith("รับแจ้ง%(category)s")


def test_rating_prompts_say_which_end_is_good():
    for key in (lifecycle_texts.DONE_RATE, lifecycle_texts.DONE_NO_NOTE_RATE, lifecycle_texts.RATING_HOW):
        assert "1 แย่" in wording("th", key) and "5 ดี" in wording("th", key), key
        assert "1 (bad)" in wording("en", key) and "5 (good)" in wording("en", key), key


def voice_screens(language):
    """Every prompt of a call with the loaded directory: the menu's questions page by page,
    its re-prompts and its answers."""
    nodes = menu.MENU.nodes
    yield from screens(menu.ENGINE, nodes, menu.VOICE, language)
    ctx = Context(None, menu.VOICE, language, {})
    for name in ("reference", "resident"):
        yield menu.ENGINE._ask(nodes[name], {"page": 0, "pages": [0]}, ctx)
    worst = {"ref": "9" * 10, "category": longest(Category, language), "village": longest(Village, language),
             "agency": longest(Agency, language), "max": "10"}
    for key in (*notify.STATUS_TEMPLATES.values(), texts.RECEIVED, lifecycle_texts.ALREADY_RECEIVED,
                lifecycle_texts.TOO_MANY_REPORTS, texts.DRAFT_CANCELLED, texts.BAD_REFERENCE, texts.UNKNOWN_REFERENCE,
                menu.BAD_RESIDENT_PHONE, "too_many_tries", texts.SORRY):
        yield Screen(key, worst, end=True)
    yield ussd_flow.resume_screen()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_voice_prompt_is_spoken_style(loaded, language):
    """No 'type' on a call; abbreviations and slashes said in full, names included."""
    remember_village(CITIZEN, longest(Village, language))
    ctx = Context(CITIZEN, menu.VOICE, language)
    count = 0
    for screen in voice_screens(language):
        said = voice.speech(screen, ctx)
        assert not [word for word in style.SPOKEN_FORBIDDEN if word in said], said
        assert not style.abbreviations_in(said), said
        assert "/" not in said and "#" not in said, said
        assert not particles_in(said), said
        count += 1
    for fixed in (voice.VOICE_RECEIVED, voice.CALL_LOST, voice.SPOKEN_DIGITS_END):
        said = gettext(language, fixed, ref="1 2 3")
        assert "พิมพ์" not in said and not particles_in(said) and "#" not in said
    assert count > 30


@pytest.mark.parametrize("channel", ["sms", "ussd"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_has_no_particle_and_never_numbers_an_option_0(loaded, language, channel):
    engine, chosen = CHANNELS[channel]
    nodes = next(iter(engine.flows.values())).nodes
    ctx = Context(None, chosen, language)
    for screen in screens(engine, nodes, chosen, language):
        text = render.text(screen, ctx)
        assert not particles_in(text), text
        assert str(MORE) not in [str(option.number) for option in screen.options], text
        if channel == "ussd":
            assert "พิมพ์" not in text, text  # a keypad menu: กด


def category_pages(engine, channel, language):
    """Every page of the type question on ``channel`` with its re-prompt: (page, re-prompt)."""
    node = next(iter(engine.flows.values())).nodes["category"]
    ctx = Context(None, channel, language, {})
    state = {"page": 0, "pages": [0]}
    while True:
        page = engine._ask(node, state, ctx)
        yield page, engine._ask(node, state, ctx, node.retry_key) if node.retry_key else page
        if not page.more:
            return
        state["page"] += 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_type_numbers_are_menu_positions_on_every_page_and_channel(loaded, language):
    positions = {category.position: category.code for category in Category.select()}
    for name, (engine, channel) in CHANNELS.items():
        ctx = Context(None, channel, language)
        seen = {}
        for page, again in category_pages(engine, channel, language):
            numbers = {option.number: option.value for option in page.options}
            assert {option.number: option.value for option in again.options} == numbers, f"{name}: re-prompt differs"
            shown = voice.speech(page, ctx) if channel.spoken else render.text(page, ctx)
            for number in numbers:
                assert (f"{voice.spoken_digits(str(number))} " if channel.spoken else f"{number}.") in shown, shown
            if page.more:
                assert (f"กด {MORE} " if channel.spoken and language == "th" else f"{MORE}") in shown
            seen.update(numbers)
        assert seen == positions, name
        assert MORE not in {str(number) for number in seen}


def numbers(screen):
    return [option.number for option in screen.options]


def test_any_type_number_on_any_page_and_the_same_page_after_a_wrong_answer(app):
    directory.load(DEMO_DIRECTORY)
    pages = [page for page, _ in category_pages(SMS_ENGINE, SMS, "th")]
    assert len(pages) >= 2
    ctx = Context(None, SMS, "th")
    screen, state = SMS_ENGINE.start("report", ctx)
    assert numbers(screen) == numbers(pages[0]) and render.text(screen, ctx).endswith(" 0.ถัดไป")
    screen, state = SMS_ENGINE.step(state, MORE, ctx)
    assert numbers(screen) == numbers(pages[1]) and numbers(screen)[0] == numbers(pages[0])[-1] + 1  # goes on
    wrong, state = SMS_ENGINE.step(state, "ๆๆๆ", ctx)
    assert numbers(wrong) == numbers(pages[1]) and wrong.key != screen.key  # the same page, re-asked
    for _ in pages[2:]:
        screen, state = SMS_ENGINE.step(state, MORE, ctx)
    assert render.text(screen, ctx).endswith(" 0.หน้าแรก")
    again, state = SMS_ENGINE.step(state, MORE, ctx)
    assert numbers(again) == numbers(pages[0])  # from the last page, 0 shows the first again
    later = numbers(pages[1])[0]
    screen, state = SMS_ENGINE.step(state, str(later), ctx)  # on page 1, a number of page 2
    assert state["node"] == "village" and ctx.data["category"] == Category.get(Category.position == later).code


@pytest.mark.parametrize("folder, place", [(DEMO_DIRECTORY, "ในเมือง 1"), (EXTREME_DIRECTORY, "หนองปลาสะวาย 1")])
def test_examples_come_from_the_loaded_directory(app, folder, place):
    directory.load(folder)
    ctx = Context(None, SMS, "th", {"category": "road"})
    screen, state = SMS_ENGINE.start("report", ctx)
    asked = render.text(screen, ctx)
    assert place in asked, asked
    if folder == EXTREME_DIRECTORY:
        assert "ในเมือง" not in asked  # no fixed Lamphun place
