"""Where a type's word is used in another sense, so that it is not read as the type.

From ``lexicon``: words that hold a type's word in another sense (``ควันบุหรี่``, ``รถไฟ``,
``ทางราชการ``); a road that only says where something happened (``ตีกันกลางถนน``); smoke or
dust "from" a source that tells the type itself (``ฝุ่นจากโรงโม่``); a name (a shop, a brand, a
person's surname: ``ร้านช้างทอง``, ``นายสมชาย ช้างเผือก``); what a type's word attaches to: a
building or a body that burns (``ไฟไหม้บ้าน``, ``เผาศพ``; then the text's smoke is theirs, as
with cooking or a rite), an appliance that shocks or someone a shock hurt (``พัดลมช็อต``,
``ไฟฟ้าช็อตคนงาน``), a toll (``ค่าผ่านทาง``): each a span of the spaced text, a word found
inside one is dropped. A cause named after the problem (``ถนนพังเพราะน้ำท่วม``).
From the dictionary: a word cut out of the middle of another (``หมา`` of ``กฎหมาย``).
"""
from __future__ import annotations

import re
from itertools import accumulate

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize

from cases.language.lexicon import (APPLIANCES, BUILDINGS, BURNING_WORDS, CAUSE_WORDS, FEE_WORDS, FROM_THINGS,
                                    NAME_NOUNS, NAMING_WORDS, OTHER_SENSES, PERSON_TITLES, PLACE_THINGS,
                                    SHOCK_WORDS, SMOKE_SOURCES, VICTIMS, WATERWAYS, WHERE_WORDS)


def _alternation(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


COMPOUNDS = re.compile(_alternation(re.escape(word) for word in OTHER_SENSES))
BURNT = re.compile(rf"(?:{_alternation(BURNING_WORDS)})(?:ใน|ที่|ของ)?(?:{_alternation(BUILDINGS)})"
                   rf"|เผา(?:{_alternation(BUILDINGS)})|(?<!หมู่)(?:{_alternation(BUILDINGS)})\S{{0,6}}?ไหม้")
"""A building, a car or a body burning, said in one typed word: what burns is no forest."""
SMOKE_SOURCE = re.compile(_alternation(SMOKE_SOURCES))
SMOKE = re.compile(r"(?:ควัน|เผา)\S*")
SHOCK = _alternation(SHOCK_WORDS)
SHOCKING = rf"(?:{_alternation(APPLIANCES)})\S{{0,25}}(?:{SHOCK})"
"""An appliance or a toy that shocks, in one typed word (``หม้อหุงข้าวไฟรั่วดูดมือ``)."""
HURT = rf"(?:โดน|ถูก)(?:ไฟฟ้า|ไฟ)?(?:{SHOCK})|(?:ไฟฟ้า|ไฟ)?(?:{SHOCK})(?:{_alternation(VICTIMS)})"
"""Someone a shock hurt (``โดนไฟดูด``, ``ไฟฟ้าช็อตคนงาน``)."""
PHRASES = re.compile("|".join((
    BURNT.pattern,
    SHOCKING,
    HURT,
    rf"(?:{_alternation(FEE_WORDS)})\S*",
    rf"(?:{_alternation(WHERE_WORDS)})(?:{_alternation(PLACE_THINGS)})",
    rf"(?:{_alternation(FROM_THINGS)})จาก",
    rf"ข้าม(?:{_alternation(WATERWAYS)})",
    rf"(?:{_alternation(NAMING_WORDS)})\s?(?:{_alternation(NAME_NOUNS)})\S*",
    rf"(?<!ตี)กัน(?:{_alternation(NAME_NOUNS)})",
)))
CAUSE = re.compile(_alternation(CAUSE_WORDS))
DICTIONARY = thai_words()
"""Thai words spelt right (pythainlp's word list)."""
TITLES = _alternation(title.replace(".", r"\.") for title in PERSON_TITLES)
SURNAME = re.compile(rf"(?:{TITLES})\s?\S+\s(\S+)")
"""The surname after a title and a first name (one typed word each)."""


def spans(spaced: str) -> list[tuple[int, int, bool]]:
    """The spans of ``spaced`` whose words are used in another sense, each marked True when it
    is one compound word (``ไฟฉุกเฉิน``), not a phrase (``กลางถนน``, a name)."""
    found = [(*match.span(), True) for match in COMPOUNDS.finditer(spaced)]
    found += [(*match.span(), False) for match in PHRASES.finditer(spaced)]
    if SMOKE_SOURCE.search(spaced) or BURNT.search(spaced):  # the smoke, dust and burning are theirs
        found += [(*match.span(), False) for match in SMOKE.finditer(spaced)]
    return found + [(*match.span(1), False) for match in SURNAME.finditer(spaced)]


def outside(hits, senses: list[tuple[int, int, bool]], as_typed: bool = True) -> list:
    """The ``hits`` (``((start, end), codes)``) that are not inside a span used in another
    sense, nor run into a compound of another sense (``ไม่มีไฟ`` of ``ไม่มีไฟฉุกเฉิน``). A word
    found ``as_typed`` that is the whole span is that sense's own word (``ไฟไหม้บ้าน``, a house
    fire; ``ช็อตปลา``, fishing); a slip never is (``ช่าง`` sounds like ``ช้าง``)."""
    def elsewhere(start: int, end: int) -> bool:
        return any(first <= start and end <= last and (not as_typed or (first, last) != (start, end))
                   or compound and start < first < end <= last
                   for first, last, compound in senses)

    return [hit for hit in hits if not elsewhere(*hit[0])]


def before_cause(spaced: str, hits) -> list:
    """The ``hits`` without those after a cause word when one is found before it: the problem
    is named first, then what caused it (``ถนนพังเพราะน้ำท่วม`` is the road)."""
    cause = CAUSE.search(spaced)
    if cause is None or not any(end <= cause.start() for (_, end), _ in hits):
        return hits
    return [((start, end), codes) for (start, end), codes in hits if end <= cause.start() or start >= len(spaced)]


def in_words(spaced: str, hits, slips: bool = False) -> list:
    """The ``hits`` that the words of ``spaced`` (cut by pythainlp) hold as words of their own:
    a dictionary word found inside a longer known word counts only where that word splits into
    dictionary words (``ขยะ|มูลฝอย``), never in its middle (``หมา`` of ``กฎหมาย``, ``หมายเลข``).
    A hit that is no dictionary word (a slip: ``ขบะ``), or that the cut does not hold in one
    known word (a slip beside it: ``ถนนาด`` cut ``ถน|นาด``), is kept: the cut says nothing.
    ``slips``: the hits are words as they sound (a tone or letter slip), checked all the same
    (``ลิ่ง`` of ``ตลิ่ง`` sounds like ``ลิง``, ``จ้าง`` of ``นายจ้าง`` like ``ช้าง``)."""
    def known(start: int, end: int) -> bool:
        return start < len(spaced) and (slips or spaced[start:end] in DICTIONARY)

    if not any(known(start, end) for (start, end), _ in hits):
        return hits
    tokens = word_tokenize(spaced, keep_whitespace=True)
    ends = list(accumulate(len(token) for token in tokens))
    cuts = [(end - len(token), end, token) for end, token in zip(ends, tokens)]

    def mid_word(start: int, end: int) -> bool:
        holding = [(first, last, token) for first, last, token in cuts if first <= start and end <= last]
        if not holding:
            return False
        first, last, token = holding[0]
        if (first, last) == (start, end) or token not in DICTIONARY:
            return False
        if slips:  # a known word is spelt right: no slip hides in it (นายจ้าง)
            return True
        return not (_words_only(token[:start - first]) and _words_only(token[end - first:]))

    return [((start, end), codes) for (start, end), codes in hits
            if not known(start, end) or not mid_word(start, end)]


def _words_only(text: str) -> bool:
    """True when ``text`` cuts into dictionary words only (``มูลฝอย``, or nothing; not ``ยศาล``)."""
    return all(word in DICTIONARY for word in word_tokenize(text)) if text else True
