"""Every SMS the system can send fits one segment with worst-case values filled in:
70 UTF-16 units when it holds Thai, else 160 GSM-7 characters."""
import re

import pytest

from cases import segments, texts
from cases.i18n import LANGUAGES
from cases.models import Agency, Category, Subdistrict, Village
from flows import render
from flows.engine import Context
from flows.report import REPORT
from flows.sms import ENGINE, SMS

FREE_TEXTS = {
    "th": "ถนนหน้าวัดเป็นหลุมลึกมาก รถมอเตอร์ไซค์ล้มไปแล้วสองคัน ขอให้รีบซ่อมด่วนที่สุด " * 4,
    "en": "The road in front of the temple has a deep hole, two motorbikes fell already. " * 4,
}
LONGEST_REFERENCE = "9" * 10


def longest(model, language):
    return max(model.select(), key=lambda row: segments.units(texts.localized(row, language)))


def worst_values(language, free_text):
    """The longest value each template parameter can take with the demo directory."""
    return {
        "ref": LONGEST_REFERENCE,
        "category": longest(Category, language),
        "village": longest(Village, language),
        "agency": longest(Agency, language),
        "subdistrict": longest(Subdistrict, language),
        "phone": "08x-xxx-5678",
        "count": "999",
        "open": "999",
        "max": "999",
        "overdue": "999",
        "done": "999",
        "moo": "99",
        "code": "x" * 32,
        "note": free_text,
        "text": free_text,
        "body": free_text,
        "items": ", ".join(f"{LONGEST_REFERENCE} fire" for _ in range(20)),
    }


def template_params(msgid):
    return set(re.findall(r"%\((\w+)\)s", msgid))


@pytest.mark.parametrize("free_text", FREE_TEXTS.values(), ids=FREE_TEXTS.keys())
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_fits_one_segment(demo, language, free_text):
    values = worst_values(language, free_text)
    checked = 0
    for key, template in texts.TEMPLATES.items():
        names = template_params(template.msgid)
        if "options" in names:
            continue  # menus are checked screen by screen below
        missing = names - set(values)
        assert not missing, f"{key}: add a worst-case value for {missing}"
        text = texts.render(language, key, **{name: values[name] for name in names})
        assert segments.fits(text), f"{key} [{language}] is {segments.units(text)} units: {text}"
        if language == "en" and free_text == FREE_TEXTS["en"]:
            assert segments.is_gsm7(text), f"{key} [en] leaves GSM-7: {text}"
        checked += 1
    assert checked > 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_multi_part_answers_fit_part_by_part(demo, language):
    values = worst_values(language, FREE_TEXTS[language])
    for key, template in texts.TEMPLATES.items():
        if template.parts == 1:
            continue
        names = template_params(template.msgid)
        parts = texts.render_parts(language, key, **{name: values[name] for name in names})
        assert 1 < len(parts) <= template.parts, key
        for part in parts:
            assert segments.fits(part), f"{key} [{language}] part is {segments.units(part)} units: {part}"


def every_page(node, ctx):
    """Every screen of ``node`` for ``ctx``, page after page."""
    state = {"page": 0, "pages": [0]}
    while True:
        screen = ENGINE._ask(node, state, ctx)
        yield screen
        if node.retry_key:
            yield ENGINE._ask(node, state, ctx, node.retry_key)
        if not screen.more:
            return
        state["page"] += 1


def sms_screens(language):
    """Every question the SMS report flow can ask with the demo directory."""
    nodes = REPORT.nodes
    worst_village = longest(Village, language)
    contexts = [Context(None, SMS, language, {})]
    contexts.append(Context("+66812345678", SMS, language, {}))
    for ctx in contexts:
        yield from every_page(nodes["category"], ctx)
        yield from every_page(nodes["village"], ctx)
        yield from every_page(nodes["description"], ctx)
    for sub in Subdistrict.select():
        ctx = Context(None, SMS, language, {"subdistrict": sub.code})
        yield from every_page(nodes["moo"], ctx)
        yield ENGINE._ask(nodes["moo"], {"page": 0}, ctx, "moo_unknown", {"moo": "99"})
    every_village = [f"v:{v.code}" for v in Village.select()]
    every_subdistrict = [f"s:{s.code}" for s in Subdistrict.select()]
    for candidates in (every_village, every_subdistrict):
        yield from every_page(nodes["pick"], Context(None, SMS, language, {"candidates": candidates}))
    longest_category = longest(Category, language)
    yield from every_page(nodes["confirm"], Context(None, SMS, language, {"category": longest_category.code, "village": worst_village.code}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sms_screen_fits_one_segment(demo, language):
    from cases.lifecycle import remember_village

    remember_village("+66812345678", longest(Village, language))
    count = 0
    for screen in sms_screens(language):
        ctx = Context(None, SMS, language)
        text = render.text(screen, ctx)
        assert segments.fits(text), f"{screen.key} [{language}] is {segments.units(text)} units: {text}"
        count += 1
    assert count > 100
