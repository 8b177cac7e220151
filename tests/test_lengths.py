"""Every SMS the system can send fits one segment with worst-case values filled in:
70 UTF-16 units when it holds Thai, else 160 GSM-7 characters; every USSD screen fits 80
units (182 GSM-7). Run over the demo directory and over one of extreme names (60+ characters,
official agency names, the longest subdistrict names), where names are shortened to fit."""
from pathlib import Path

import pytest

from cases.casework.lifecycle import remember_village
from cases.language import fitting, segments, textcheck, texts
from cases.language.i18n import LANGUAGES
from cases.language.textcheck import FREE_TEXTS, by_length, template_params, worst_values
from cases.province import directory
from cases.store.models import Agency, Category, District, Subdistrict, Village
from flows import menu, render
from flows.engine import Context
from flows.sms import ENGINE, SMS
from rongrian.cli import DEMO_DIRECTORY

EXTREME_DIRECTORY = Path(__file__).resolve().parent / "data" / "extreme_directory"
DIRECTORIES = {"demo": DEMO_DIRECTORY, "extreme": EXTREME_DIRECTORY}
CITIZEN = "+66812345678"


@pytest.fixture(params=list(DIRECTORIES.values()), ids=list(DIRECTORIES))
def loaded(app, request):
    """The demo directory, then the extreme one, loaded."""
    directory.load(request.param)
    return request.param


def longest(model, language):
    return by_length(model, language)[0]


def worst_params(key, values):
    names = template_params(texts.TEMPLATES[key].msgid)
    missing = names - set(values)
    assert not missing, f"{key}: add a worst-case value for {missing}"
    return {name: values[name] for name in names}


def message_templates():
    return [key for key, _ in textcheck.checked_templates()]


@pytest.mark.parametrize("free_text", FREE_TEXTS.values(), ids=FREE_TEXTS.keys())
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_fits_one_segment(loaded, language, free_text):
    values = worst_values(language, free_text)
    for key in message_templates():
        text = texts.render(language, key, **worst_params(key, values))
        assert segments.fits(text), f"{key} [{language}] is {segments.units(text)} units: {text}"
        if language == "en" and free_text == FREE_TEXTS["en"]:
            assert segments.is_gsm7(text), f"{key} [en] leaves GSM-7: {text}"
    assert len(message_templates()) > 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_multi_part_answers_fit_part_by_part(loaded, language):
    values = worst_values(language)
    for key, template in texts.TEMPLATES.items():
        if template.parts == 1:
            continue
        parts = texts.render_parts(language, key, **worst_params(key, values))
        assert 1 < len(parts) <= template.parts, key
        for part in parts:
            assert segments.fits(part), f"{key} [{language}] part is {segments.units(part)} units: {part}"


def cluster_ends(text):
    """The offsets in ``text`` where a Thai character cluster ends."""
    ends, offset = {0}, 0
    for piece in fitting.clusters(text):
        offset += len(piece)
        ends.add(offset)
    return ends


def assert_sent_as(sent, name):
    """``sent`` is ``name`` whole, its short form, or either cut on a cluster boundary + ellipsis."""
    if sent in (name.full, name.short):
        return
    mark = next((mark for mark in fitting.ELLIPSIS.values() if sent.endswith(mark)), None)
    assert mark, f"{sent!r} is cut without an ellipsis"
    head = sent[: -len(mark)]
    wholes = [whole for whole in (name.full, name.short) if whole and whole.startswith(head)]
    assert wholes, f"{sent!r} is not a beginning of {name.full!r}"
    assert any(end >= len(head) and whole[len(head):end].strip() == "" for whole in wholes
               for end in cluster_ends(whole)), f"{sent!r} cuts a character cluster of {name.full!r}"
    assert segments.units(head) >= 1, sent


@pytest.mark.parametrize("language", LANGUAGES)
def test_names_are_cut_only_between_clusters(loaded, language):
    """Every directory name in every template, with the others at their worst."""
    values = worst_values(language)
    shortened = 0
    for key in message_templates():
        params = worst_params(key, values)
        for param in sorted(set(params) & set(textcheck.NAME_KINDS)):
            for row in textcheck.NAME_KINDS[param].select():
                sent = texts.fit_values(language, key, {**params, param: row})[param]
                assert_sent_as(sent, texts.name(row, language))
                shortened += sent != texts.localized(row, language)
    if loaded == EXTREME_DIRECTORY:
        assert shortened > 50
    else:
        assert shortened == 0  # the demo's abbreviations fit whole


def test_short_names_come_before_a_cut(loaded):
    if loaded == DEMO_DIRECTORY:
        assert not Agency.select().where(Agency.short_name_th.is_null(False)).exists()
        return
    with_short = Agency.get_by_id("nre")
    assert (with_short.short_name_th, with_short.short_name_en) == ("ทสจ.ลำพูน", "Lamphun PONRE")
    category = longest(Category, "th")
    text = texts.render("th", texts.STATUS_ASSIGNED, ref="9" * 10, category=category, agency=with_short)
    assert "ทสจ.ลำพูน" in text and segments.fits(text)
    without = longest(Agency, "th")
    assert without.short_name_th is None
    cut = texts.render("th", texts.STATUS_ASSIGNED, ref="9" * 10, category=category, agency=without)
    assert fitting.ELLIPSIS[False] in cut and segments.fits(cut)
    english = texts.render("en", texts.STATUS_ASSIGNED, ref="9" * 10, category=category, agency=without)
    assert fitting.ELLIPSIS[True] in english and segments.is_gsm7(english) and segments.fits(english)


def test_free_text_keeps_a_minimum_beside_long_names(app):
    directory.load(EXTREME_DIRECTORY)
    values = worst_values("th")
    text = texts.render("th", texts.STAFF_NEW_CASE, **worst_params(texts.STAFF_NEW_CASE, values))
    assert FREE_TEXTS["th"][: texts.FREE_TEXT_RESERVE - 2] in text
    assert segments.fits(text)


# --- screens ------------------------------------------------------------------------


def every_page(engine, node, ctx):
    """Every screen of ``node`` for ``ctx``, page after page."""
    state = {"page": 0, "pages": [0]}
    while True:
        screen = engine._ask(node, state, ctx)
        yield screen
        if node.retry_key:
            yield engine._ask(node, state, ctx, node.retry_key)
        if not screen.more:
            return
        state["page"] += 1


def screens(engine, nodes, channel, language):
    """Every question a report flow can ask on ``channel`` with the loaded directory."""
    worst_village = longest(Village, language)
    for ctx in (Context(None, channel, language, {}), Context(CITIZEN, channel, language, {})):
        for name in ("main", "category", "village", "description"):
            if name in nodes:
                yield from every_page(engine, nodes[name], ctx)
    for district in District.select():
        yield from every_page(engine, nodes["subdistrict"], Context(None, channel, language, {"district": district.code}))
    for sub in Subdistrict.select():
        ctx = Context(None, channel, language, {"subdistrict": sub.code})
        yield from every_page(engine, nodes["moo"], ctx)
        yield engine._ask(nodes["moo"], {"page": 0}, ctx, "moo_unknown", {"moo": "99"})
    every_village = [f"v:{v.code}" for v in Village.select()]
    every_subdistrict = [f"s:{s.code}" for s in Subdistrict.select()]
    for candidates in (every_village, every_subdistrict):
        yield from every_page(engine, nodes["pick"], Context(None, channel, language, {"candidates": candidates}))
    worst = {"category": longest(Category, language).code, "village": worst_village.code}
    yield from every_page(engine, nodes["confirm"], Context(None, channel, language, worst))
    yield from every_page(engine, nodes["check"], Context(None, channel, language, worst))  # a reading, named back
    yield from every_page(engine, nodes["category"], Context(None, channel, language, {"misread": {"type": "99"}}))


CHANNELS = {"sms": (ENGINE, SMS), "ussd": (menu.ENGINE, menu.USSD)}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits(loaded, language, channel):
    engine, chosen = CHANNELS[channel]
    nodes = next(iter(engine.flows.values())).nodes
    remember_village(CITIZEN, longest(Village, language))
    ctx = Context(None, chosen, language)
    count = 0
    for screen in screens(engine, nodes, chosen, language):
        text = render.text(screen, ctx)
        assert render.fits(text, ctx), f"{screen.key} [{language}] is {segments.units(text)} units: {text}"
        for option, label in zip(screen.options, render.fitted_labels(screen, ctx)):
            found = texts.name(option.label, language)
            if found is None:
                assert label == texts.localized(option.label, language)
            else:
                assert_sent_as(label, found)
        count += 1
    assert count > 2 * Subdistrict.select().count()


def test_long_names_are_paged_one_by_one_and_cut_to_fit(app):
    directory.load(EXTREME_DIRECTORY)
    ctx = Context(None, SMS, "th")
    nodes = next(iter(ENGINE.flows.values())).nodes
    pages = list(every_page(ENGINE, nodes["category"], ctx))[::2]  # without the retry screens
    assert [len(page.options) for page in pages] == [1] * Category.select().count()
    first = render.text(pages[0], ctx)
    assert first.endswith(" 0.ถัดไป") and fitting.ELLIPSIS[False] in first and segments.fits(first)
    label = render.fitted_labels(pages[0], ctx)[0]
    assert_sent_as(label, texts.name(pages[0].options[0].label, "th"))
    assert label != pages[0].options[0].label.name_th
