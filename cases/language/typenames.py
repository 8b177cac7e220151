"""The words a directory's own categories give the reader: each category's code and names, the
parts of its names (``ถนน/สะพาน``), its ``keywords_th``/``keywords_en`` (categories.csv), and,
from a name written without spaces (``น้ำเค็มรุกพื้นที่เกษตร``), the telling words pythainlp cuts
out of it (``น้ำเค็ม``).

A part or a cut word that only says the state of things (``ชำรุด``, ``ไม่มี``, ``ดับ``) or that
several categories share (``เกษตร``) tells no type: it is left out. Words are cut only out of
the name of a category the reader has no other words for (no concept, no keywords: ``น้ำเค็ม``
of a saltwater type), not out of examples in brackets, and count half (``LIGHT``): a text may
name such a word for another reason.
"""
from __future__ import annotations

import re
from collections import Counter

from pythainlp.tokenize import word_tokenize

from cases.language.lexicon import TROUBLE_WORDS
from cases.store.models import Category

NAME_PARTS = re.compile(r"\s*(?:[/,;()]|\bและ|\bหรือ|\band\b|\bor\b)\s*|\s+")
ASIDE = re.compile(r"\([^)]*\)")
"""Examples in brackets after a name (``(ล้งกดราคา ทุเรียนอ่อน)``): no words to cut out."""
MIN_PART = 3
"""Parts of a category's name shorter than this are not words of their own."""
CUT_ALL = False
MIN_CUT = 4
"""Words cut out of a name shorter than this are not words of their own (``สวน``, ``ป่า``)."""
LIGHT = 0.5
"""What a word cut out of a name counts, against a word the directory or the lexicon gives."""
STATE_WORDS = frozenset((
    "ชำรุด", "เสียหาย", "ไม่มี", "ดับ", "ขัดข้อง", "ถูก", "ไม่", "ไม่เป็นธรรม", "เป็นธรรม", "ผิดกฎหมาย", "บุกรุก",
    "รุก", "รุกล้ำ", "ปัญหา", "เรื่อง", "ร้องเรียน", "การ", "ความ", "จาก", "ของ", "เหตุ", "พื้นที่", "บริเวณ", "เขต",
    "สาธารณะ", "หมู่บ้าน", "ชุมชน", "ระบบ", "บริการ", "ทั่วไป", "อื่น", "อื่นๆ", "โปรดระบุ", "ระบุ", "ต่างๆ",
    "มี", "เป็น", "ได้", "ให้", "และ", "หรือ", "กับ", "ด้าน",
    "damaged", "broken", "problem", "problems", "public", "illegal", "complaint", "complaints", "issues",
))
"""Words of a category's name that say the state of things or where, not what: no type's words."""


def own_words(categories: list[Category], known: set[str] = frozenset(),
              anchors: frozenset[str] = frozenset()) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(word, category code) pairs the categories' own names and keywords give, and those of
    them that count ``LIGHT``: words cut out of the name of a category the reader has no other
    words for (not ``known`` to any concept, no keywords), but for a concept's ``anchors``
    (``ต้นไม้`` tells a tree type only with what went wrong)."""
    parts = {category.code: _parts(category) for category in categories}
    cuts = {category.code: [word for word in _cuts(category) if word not in anchors]
            if CUT_ALL or (category.code not in known and not (category.keywords_th or "").strip()) else []
            for category in categories}
    shared = Counter(word for code in parts for word in set(parts[code]) | set(cuts[code]))
    words, light = [], []
    for category in categories:
        code = category.code
        words += [(word, code) for word in (category.name_th, category.name_en, code) if word]
        words += [(word, code) for word in parts[code] if shared[word] < 2]
        for keywords in (category.keywords_th, category.keywords_en):
            words += [(word, code) for word in (keywords or "").split(";") if word.strip()]
        light += [(word, code) for word in cuts[code] if shared[word] < 2 and word not in parts[code]]
    return words + light, light


def _parts(category: Category) -> list[str]:
    found = []
    for name in (category.name_th, category.name_en):
        found += [part.strip().lower() for part in NAME_PARTS.split(name or "")
                  if len(part.strip()) >= MIN_PART and not _only_state(part)]
    return found


def _cuts(category: Category) -> list[str]:
    """The telling words pythainlp cuts out of a Thai name's parts."""
    found = []
    for part in NAME_PARTS.split(ASIDE.sub(" ", category.name_th or "")):
        cut = word_tokenize(part.strip().lower(), keep_whitespace=False)
        if len(cut) > 1:
            found += [word for word in cut if len(word) >= MIN_CUT and not _only_state(word)]
    return found


def _only_state(part: str) -> bool:
    """True when ``part`` says only the state of things (``ชำรุด``, ``ดับ/ชำรุด``, ``ไม่มี``)."""
    part = part.strip().lower()
    if part in STATE_WORDS:
        return True
    words = [word for word in word_tokenize(part, keep_whitespace=False) if word.strip()]
    return all(word in STATE_WORDS or word in TROUBLE_WORDS for word in words)
