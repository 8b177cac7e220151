"""What the first message of a report already answers.

``TYPE VILLAGE TEXT`` (the type's menu number, the 8-digit village code, the words) is a
whole report; ``TYPE words`` gives the type and, maybe, the place in words; anything else is
read in the citizen's own words for the type and the place (``cases.language.reading``). What was
read from words is only a reading: the flow names it back and files nothing without a yes.
A part of a one-shot that is not understood is said so, and the words are kept.
"""
from __future__ import annotations

import re

from cases.language import places, reading
from cases.language.keywords import Said
from cases.language.lexicon import EMPTY_WORDS, counts_something
from cases.language.places import PlaceReading
from cases.province.catalog import CATALOG
from cases.store.models import Category, Village

ONE_SHOT = re.compile(r"^(\d{1,2})[\s,.\-]*(\d{8})(?:[\s,.\-:]+(.*))?$", re.DOTALL)
"""``TYPE VILLAGE TEXT``: the type's menu number, the 8-digit village code, the description."""
TYPE_FIRST = re.compile(r"^(\d{1,2})[\s,.\-:]+(\D.*)$", re.DOTALL)
"""``TYPE words``: a menu number, then the place and the problem in words (not a number that
counts something: ``2 ทุ่มแล้วยังเปิดเพลงดัง``)."""
MAX_MENU_DIGITS = 3
"""Longer runs of digits are never a menu number (and would overflow a database integer)."""
MIN_DESCRIPTION = 4
"""Shorter first texts ("hi") are not kept as the description; nor is one that only greets or
asks to report ("สวัสดีค่ะ", "แจ้งเรื่องหน่อยครับ": ``describes``)."""

EITHER = "either"
"""Set in a report's data (the two category codes) when the words fit two types about as
well: one short question between them is asked instead of the menu."""
OTHER = "other"
"""Set in a report's data when the words report a problem that no listed type fits: it is
named back as the directory's catch-all category."""
FROM_DIGITS = "from_digits"
"""Set when a first message was only a number: the menu that starts the report then does not
ask for a number (the citizen just sent one)."""

UNCONFIRMED = "unconfirmed"
"""Set in a report's data while a part of it was read from words and not yet said yes to."""
MISREAD = "misread"
"""Set in a report's data when a part of a one-shot was not understood: {"type": number} or
{"code": code} or {"place": ""}, or a moo the subdistrict read does not have ({"moo": n});
the question for that part says so."""


def category_numbered(digits: str) -> Category | None:
    """The type with this menu number; None for any other digits (however many)."""
    if len(digits) > MAX_MENU_DIGITS:
        return None
    return CATALOG.category_at(int(digits))


def first_answers(said: Said, last_village: Village | None = None) -> dict:
    """The report's data from its first message (see the module's doc)."""
    text = said.text
    one_shot = ONE_SHOT.match(text)
    if one_shot:
        return _one_shot(*one_shot.groups())
    if said.digits is not None:  # a lone number (a late rating, a slip) picks nothing: the start of a report,
        return {FROM_DIGITS: True}  # the menu, not asking for a number again
    typed = TYPE_FIRST.match(text)
    category = category_numbered(typed.group(1)) if typed and not counts_something(typed.group(2)) else None
    if category is not None:
        words = typed.group(2).strip()
        found = reading.read(words, last_village)
        if found.category in (None, category.code):  # else the number was part of the words ("3 วันแล้ว…")
            data = {"category": category.code, UNCONFIRMED: True}
            if describes(places.beyond_place(words, found.place)):  # not only the place: the problem is asked
                data["description"] = words
            if not apply_place(data, found.place):
                data[MISREAD] = {"place": ""}
            return data
    if said.reading is None:
        said = said.with_reading(last_village)
    found = said.reading
    says = describes(text) and (found.category or describes(places.beyond_place(text, found.place)))
    data: dict = {"description": text} if says else {}  # a greeting or a place alone: the problem is asked
    if found.category:
        data["category"] = found.category
        data[UNCONFIRMED] = True
        if found.category == reading.catch_all():  # words of a kind the directory has no type for
            data[OTHER] = True
    elif found.either:
        data[EITHER] = list(found.either)
        data[UNCONFIRMED] = True
    elif says and reading.catch_all() and reading.reports_trouble(places.beyond_place(text, found.place)):
        data.update({"category": reading.catch_all(), OTHER: True, UNCONFIRMED: True})  # no type fits: other
    apply_place(data, found.place)
    return data


def describes(text: str) -> bool:
    """True when ``text`` says something of the problem: not only greetings and words asking
    to report (``lexicon.EMPTY_WORDS``), punctuation and digits."""
    rest = text.lower()
    for word in sorted(EMPTY_WORDS, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return len(re.sub(r"[\W\d_]", "", rest)) >= MIN_DESCRIPTION


def _one_shot(number: str, code: str, description: str | None) -> dict:
    data: dict = {}
    category, village = category_numbered(number), CATALOG.village(code)
    misread = {}
    if category:
        data["category"] = category.code
    else:
        misread["type"] = number
    if village:
        data["village"] = village.code
    else:
        misread["code"] = code
    if description:
        data["description"] = description.strip()
    if misread:
        data[MISREAD] = misread
    return data


def apply_place(data: dict, place: PlaceReading) -> bool:
    """Put what ``place`` found into the report's data (marked unconfirmed); False when it
    found nothing."""
    if not place.found:
        return False
    for field in ("village", "subdistrict", "candidates"):
        data.pop(field, None)
    if place.village:
        data["village"] = place.village
    elif place.subdistrict:
        data["subdistrict"] = place.subdistrict
        if place.moo is not None:  # a moo the subdistrict does not have: the moo question says so
            data.setdefault(MISREAD, {})["moo"] = place.moo
    else:
        data["candidates"] = list(place.candidates)
    data[UNCONFIRMED] = True
    return True
