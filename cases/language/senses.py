"""Where a type's word is used in another sense, so that it is not read as the type.

Three kinds, all from ``lexicon``: words that hold a type's word in another sense
(``ควันบุหรี่``, ``รถไฟ``, ``ทางราชการ``); a road that only says where something happened
(``ตีกันกลางถนน``); a name (a shop, a brand, a person's surname: ``ร้านช้างทอง``,
``นายสมชาย ช้างเผือก``). Each is a span of the spaced text; a word found inside one is dropped.
"""
from __future__ import annotations

import re

from cases.language.lexicon import (NAME_NOUNS, NAMING_WORDS, OTHER_SENSES, PERSON_TITLES, PLACE_THINGS,
                                    WHERE_WORDS)


def _alternation(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


SENSES = re.compile("|".join((
    _alternation(re.escape(word) for word in OTHER_SENSES),
    rf"(?:{_alternation(WHERE_WORDS)})(?:{_alternation(PLACE_THINGS)})",
    rf"(?:{_alternation(NAMING_WORDS)})\s?(?:{_alternation(NAME_NOUNS)})\S*",
)))
TITLES = _alternation(title.replace(".", r"\.") for title in PERSON_TITLES)
SURNAME = re.compile(rf"(?:{TITLES})\s?\S+\s(\S+)")
"""The surname after a title and a first name (one typed word each)."""


def spans(spaced: str) -> list[tuple[int, int]]:
    """The spans of ``spaced`` whose words are used in another sense."""
    found = [match.span() for match in SENSES.finditer(spaced)]
    return found + [match.span(1) for match in SURNAME.finditer(spaced)]


def outside(hits, senses: list[tuple[int, int]]) -> list:
    """The ``hits`` (``((start, end), codes)``) that are not inside a span used in another sense."""
    return [hit for hit in hits if not any(start <= hit[0][0] and hit[0][1] <= end for start, end in senses)]
