"""Finding a village from what a citizen typed: an 8-digit code, or names with slips."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .catalog import CATALOG
from .models import Subdistrict, Village

VILLAGE_CODE = re.compile(r"(?<!\d)(\d{8})(?!\d)")
"""An 8-digit village code anywhere in a message."""
MOO = re.compile(r"(?:หมู่ที่|หมู่|ม\.|moo\.?|m\.)\s*(\d{1,2})(?!\d)|(?<!\d)(\d{1,2})(?!\d)", re.IGNORECASE)
"""The village number (moo): "หมู่ 3", "ม.3", "moo 3" or a lone 1–2 digit number."""
PREFIXES = re.compile(r"(ตำบล|ต\.|อำเภอ|อ\.|tambon|amphoe|บ้าน)", re.IGNORECASE)
NAME_SCORE = 80
"""How close (0–100) a typed name must be to a subdistrict or village name."""
MAX_CANDIDATES = 16


@dataclass
class Found:
    villages: list[Village] = field(default_factory=list)
    subdistricts: list[Subdistrict] = field(default_factory=list)


def village_by_code(code: str) -> Village | None:
    return CATALOG.village(code)


def find_code(text: str) -> str | None:
    """The 8-digit village code in ``text``, if any."""
    match = VILLAGE_CODE.search(text or "")
    return match.group(1) if match else None


def label_key(name: str) -> str:
    """A name reduced for comparison: lower case, no spaces, no dots."""
    return re.sub(r"[\s.]", "", name.lower())


def best_matches(query: str, rows, limit=MAX_CANDIDATES) -> list:
    """Rows whose Thai or English name is close to ``query``, the closest first."""
    choices = {}
    for row in rows:
        for name in (row.name_th, row.name_en):
            choices.setdefault(label_key(name), []).append(row)
    hits = process.extract(label_key(query), list(choices), scorer=fuzz.ratio, score_cutoff=NAME_SCORE, limit=limit)
    if not hits:
        return []
    top = hits[0][1]
    found = []
    for name, score, _ in hits:
        if score >= top - 5:
            found.extend(row for row in choices[name] if row not in found)
    return found


def search(text: str) -> Found:
    """Villages (or subdistricts, when no village number was given) that ``text`` names."""
    code = find_code(text)
    if code:
        village = village_by_code(code)
        return Found(villages=[village] if village else [])
    moo_match = MOO.search(text)
    moo = int(moo_match.group(1) or moo_match.group(2)) if moo_match else None
    name = PREFIXES.sub(" ", MOO.sub(" ", text)).strip()
    if not name:
        return Found()
    subdistricts = best_matches(name, CATALOG.subdistricts())
    if not subdistricts:
        districts = best_matches(name, CATALOG.districts())
        subdistricts = [sub for district in districts for sub in CATALOG.subdistricts(district.code)]
    if subdistricts and moo is not None:
        codes = sorted(f"{sub.code}{moo:02d}" for sub in subdistricts)
        villages = [village for village in map(CATALOG.village, codes) if village is not None]
        return Found(villages=villages) if villages else Found(subdistricts=subdistricts)
    if subdistricts:
        return Found(subdistricts=subdistricts[:MAX_CANDIDATES])
    return Found(villages=best_matches(text, CATALOG.villages())[:MAX_CANDIDATES])
