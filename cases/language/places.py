"""Finding a place in what a citizen typed: an 8-digit code, a village by its name (with or
without ``บ้าน``/``บ.``), ``หมู่ 3``/``ม.3`` with a subdistrict (with or without ``ต.``/
``ตำบล``; a subdistrict's own name may start with ``บ้าน``), the district when it tells
places of the same name apart, and the village this phone used last time.

Everything runs on the directory in memory (``CATALOG``): the names are indexed once per
directory snapshot (``placenames``), never queried per message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from cases.language.i18n import LANGUAGES, N_, gettext
from cases.language.placenames import BARE_VILLAGE_MIN, GENERIC_VILLAGE, THAI_VILLAGE_WORD, Hit, Typed, index
from cases.province.catalog import CATALOG
from cases.store.models import Subdistrict, Village

VILLAGE_CODE = re.compile(r"(?<!\d)(\d{8})(?!\d)")
"""An 8-digit village code anywhere in a message."""
MOO = re.compile(
    r"(?:หมู่ที่|หมู่(?!บ้าน)|หม[ุู]่?|(?<![\u0e01-\u0e4e])ม\.?|ม\.|ม(?=\d)|\bmoo\.?|\bm\.|\bmu\.?)\s*(\d{1,2})(?!\d)", re.IGNORECASE
)
"""The village number (moo): "หมู่ 3", "หมู่ที่ 3", "ม.3" (also glued to a word: "ซอยม.1", "หมูสีม3"), "ม 3",
"moo 3", slips ("หมุ่3", "หมู 3")."""
LONE_NUMBER = re.compile(r"^\s*,?\s*(\d{1,2})(?!\d)")
"""A number right after a subdistrict's name is its moo ("ในเมือง 3")."""
NUMBER_BEFORE = re.compile(r"(?<![\d.:/])(\d{1,2})\s*$")
"""A number right before ``ต.`` and the subdistrict's name is its moo too ("2 ต.ในเมือง")."""
NAME_SCORE = 80
MAX_CANDIDATES = 16
VILLAGE_IN = N_("%(village)s, %(subdistrict)s")
"""A village named with its subdistrict (when its own name does not hold it)."""


@dataclass
class Found:
    villages: list[Village] = field(default_factory=list)
    subdistricts: list[Subdistrict] = field(default_factory=list)


@dataclass(frozen=True)
class PlaceReading:
    """What a text says about the place: a village, or only its subdistrict, or candidates."""

    village: str | None = None  # code
    subdistrict: str | None = None  # code, when the moo is missing or unknown
    candidates: tuple[str, ...] = ()  # "v:code" / "s:code" when several places fit
    unknown_code: str | None = None  # an 8-digit code no village has
    moo: int | None = None
    sure: bool = False  # found by exact names (or a code), no other place fits
    spans: tuple[tuple[int, int], ...] = ()  # where the place was named, in ``Typed.spaced``

    @property
    def found(self) -> bool:
        return bool(self.village or self.subdistrict or self.candidates)


def village_label(village: Village) -> dict:
    """A village's name as the citizen is told it, in each language: with its subdistrict
    when the name does not already say it (``บ้านดอนมูล ต.ปัว``; ``หมู่ 3 ต.ในเมือง`` as it is)."""
    label = {}
    for language in LANGUAGES:
        name = getattr(village, f"name_{language}")
        sub = getattr(village.subdistrict, f"name_{language}")
        label[language] = name if names_subdistrict(name, sub) else gettext(language, VILLAGE_IN, village=name, subdistrict=sub)
    return label


def names_subdistrict(name: str, sub: str) -> bool:
    """True when a village's own name already says its subdistrict (``หมู่ 3 ต.ในเมือง``, ``Moo 3
    Nai Mueang``); a name that only holds it as a part (``บ้านน้ำปัว`` of ต.ปัว) does not."""
    if sub.lower() not in name.lower():
        return False
    return bool(GENERIC_VILLAGE.match(name) or re.search(rf"(?:ต\.|ตำบล|tambon)\s*{re.escape(sub)}", name, re.IGNORECASE))


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


def read(text: str, last_village: Village | None = None) -> PlaceReading:
    """The place ``text`` names (``last_village``: this phone's last one, which tells apart
    places of the same name and completes a bare ``หมู่ 3``)."""
    typed = Typed.of(text)
    code = VILLAGE_CODE.search(typed.spaced)
    if code:
        village = CATALOG.village(code.group(1))
        if village is None:
            return PlaceReading(unknown_code=code.group(1), spans=(code.span(),))
        return PlaceReading(village=village.code, sure=True, spans=(code.span(),))
    names = index()
    hits = _kept(names.hits(typed), typed)
    if not any(hit.kind != "district" for hit in hits):
        sounded = _kept(names.skeleton_hits(typed), typed)
        hits += sounded
        if not any(hit.kind != "district" for hit in hits) or sounded:
            slipped = _kept([_tightened(hit, typed) for hit in names.fuzzy_hits(typed)], typed)
            if sounded:  # a longer name typed with a slip outweighs a sound-alike inside it
                slipped = [hit for hit in slipped if any(_covers(hit, other) for other in sounded)]
            hits = _kept(hits + slipped, typed)
    else:
        cut = [hit for hit in hits if hit.kind == "village" and _runs_on(typed.spaced, hit.span[1])]
        longer = [hit for hit in names.skeleton_hits(typed) if any(_covers(hit, other) for other in cut)] if cut else []
        if longer:  # the exact name is the start of a longer one typed with a slip (บ้านคลองไทรพัทนา)
            hits = _kept(hits + longer, typed)
        elif not any(hit.kind == "village" for hit in hits) and not MOO.search(typed.spaced):
            hits = _kept(hits + _slipped_villages_in(hits, typed), typed)
    moo, moo_span = _moo(typed, hits)
    spans = tuple(hit.span for hit in hits) + ((moo_span,) if moo_span else ())
    reading = _resolve(hits, moo, last_village)
    return PlaceReading(**reading, moo=moo, spans=spans) if reading else PlaceReading(moo=moo, spans=spans if moo_span and last_village else ())


def _slipped_villages_in(hits: list[Hit], typed: Typed) -> list[Hit]:
    """Villages typed with a slip inside the subdistricts found by their names (``บ้านควนเถี๊ยะ
    ต.โมคลาน``): only those, so a slip never takes a village of another subdistrict."""
    subs = {row.code for hit in hits if hit.kind == "sub" for row in hit.rows}
    names = index()

    def inside(slipped: list[Hit]) -> list[Hit]:
        found = []
        for hit in slipped:
            hit.rows = [row for row in hit.rows if isinstance(row, Village) and row.subdistrict_id in subs]
            if hit.rows and not any(_overlap(hit, other) for other in hits):
                hit.kind = "village"
                found.append(hit)
        return found

    masked = list(typed.spaced)  # the subdistrict's own name would outscore every slipped name
    for hit in hits:
        masked[hit.span[0]:hit.span[1]] = "#" * (hit.span[1] - hit.span[0])
    rest = Typed.of("".join(masked))
    return inside(names.skeleton_hits(typed)) or inside([_tightened(hit, rest) for hit in names.fuzzy_hits(rest)])


def _overlap(hit: Hit, other: Hit) -> bool:
    return hit.span[0] < other.span[1] and other.span[0] < hit.span[1]


def _covers(hit: Hit, other: Hit) -> bool:
    """True when ``hit`` spans more than ``other`` and all of it (``บ้านป่าเหมอด`` and ``บ้านป่า``)."""
    return hit.span != other.span and hit.span[0] <= other.span[0] and other.span[1] <= hit.span[1]


def _kept(hits: list[Hit], typed: Typed) -> list[Hit]:
    """Hits that are not part of a longer name (``ต.บ้านธิ`` holds the village name ``บ้านธิ``),
    nor a short name inside a word (``บ่อ`` in ``หลุมบ่อ``); a bare name that is both a
    subdistrict's and a village's (without its ``บ้าน``) is the subdistrict."""
    kept = []
    for hit in hits:
        start, end = hit.span
        if not hit.prefixed and end - start < BARE_VILLAGE_MIN and not _whole_word(typed.spaced, start, end):
            continue
        inside = any(other is not hit and other.span[0] <= start and end <= other.span[1] and other.span != hit.span
                     for other in hits)
        if not inside:
            kept.append(hit)
    return _twins(_bare_yields(kept))


def _bare_yields(hits: list[Hit]) -> list[Hit]:
    """A village or subdistrict named without its ``บ้าน``/``ต.`` gives way to one of its kind
    named with it: a bare name is often a common word too (``ไฟดับที่ศาลา บ้านนาไค้``: a
    pavilion, not บ้านศาลา; ``สถานีรถไฟ หมู่ 2 ต.ปัว``: a station, not ต.สถาน). A name that
    is also another kind's (ต.บ้านฟ้า and บ้านฟ้า) does not tell which kind it names."""
    named = {hit.kind for hit in hits if hit.prefixed and hit.kind != "district"
             and not any(other.kind != hit.kind and other.span == hit.span for other in hits)}
    return [hit for hit in hits if hit.prefixed or hit.kind not in named]


def _twins(hits: list[Hit]) -> list[Hit]:
    """A bare name that is both a subdistrict's and a village's (without its ``บ้าน``): the
    village when the text also names that village's subdistrict, else the subdistrict."""
    dropped = []
    for hit in hits:
        if hit.kind != "village" or hit.prefixed:
            continue
        twins = [other for other in hits if other.kind == "sub" and other.span == hit.span]
        if not twins:
            continue
        elsewhere = {row.code for other in hits if other.kind == "sub" and other.span != hit.span for row in other.rows}
        rows = [village for village in hit.rows if village.subdistrict_id in elsewhere]
        if rows:
            hit.rows = rows
            dropped += twins
        else:
            dropped.append(hit)
    return [hit for hit in hits if not any(hit is gone for gone in dropped)]


def _sub_twins_dropped(hits: list[Hit]) -> list[Hit]:
    """A name that is both a subdistrict's and one of its villages' (``บ้านแหลม``) is the
    subdistrict when another village of it is named too (``บ้านดอนกระเบื้อง บ้านแหลม``)."""
    subs = {hit.span: {row.code for row in hit.rows} for hit in hits if hit.kind == "sub"}
    named = [hit for hit in hits if hit.kind == "village"]
    return [hit for hit in hits if not (
        hit.kind == "village" and hit.span in subs
        and any(other.span not in subs and any(row.subdistrict_id in subs[hit.span] for row in other.rows) for other in named))]


def _tightened(hit: Hit, typed: Typed, slack: int = 2) -> Hit:
    """A name found with a slip, its span cut to the letters that match the name best: the
    alignment's window is as long as the name, so a name typed one letter short also covers
    a letter of the word before (``ไฟดับ ในเมอง``), which would hide that word from the type."""
    forms = [form for row in hit.rows for form in ([row.name_th] if not isinstance(row, Village) else
                                                 [row.name_th, row.name_th.removeprefix(THAI_VILLAGE_WORD)])]
    start, end = hit.span
    window = typed.spaced[start:end]

    def score(first: int, last: int) -> float:
        squeezed = re.sub(r"\s+", "", window[first:last])
        return max(fuzz.ratio(re.sub(r"\s+", "", form.lower()), squeezed) for form in forms)

    best = (score(0, len(window)), 0, len(window))
    for first in range(0, min(slack, len(window) - 1) + 1):
        for last in range(len(window), max(first + 1, len(window) - slack) - 1, -1):
            found = score(first, last)
            if found > best[0] or (found == best[0] and last - first < best[2] - best[1]):
                best = (found, first, last)
    _, first, last = best
    while first < last and window[first].isspace():
        first += 1
    hit.span = (start + first, start + last)
    return hit


def _runs_on(text: str, end: int) -> bool:
    """True when a Thai letter follows ``end``: the name found may be the start of a longer one."""
    return end < len(text) and re.match(r"[\u0e01-\u0e4e]", text[end]) is not None


def _whole_word(text: str, start: int, end: int) -> bool:
    thai = re.compile(r"[\u0e01-\u0e4e]")
    return not (start > 0 and thai.match(text[start - 1])) and not (end < len(text) and thai.match(text[end]))


def _moo(typed: Typed, hits: list[Hit]) -> tuple[int | None, tuple[int, int] | None]:
    match = MOO.search(typed.spaced)
    if match:
        return int(match.group(1)), match.span()
    for hit in hits:
        if hit.kind != "district":
            after = LONE_NUMBER.match(typed.spaced[hit.span[1]:])
            if after:
                return int(after.group(1)), (hit.span[1], hit.span[1] + after.end())
    for hit in hits:
        if hit.kind == "sub" and hit.prefixed:
            before = NUMBER_BEFORE.search(typed.spaced[:hit.span[0]])
            if before:
                return int(before.group(1)), before.span(1)
    return None, None


def _unique(rows) -> list:
    seen = {}
    for row in rows:
        seen.setdefault(row.code, row)
    return list(seen.values())


def _resolve(hits: list[Hit], moo: int | None, last: Village | None) -> dict | None:
    exact = all(hit.exact for hit in hits)
    sub_spans = {hit.span for hit in hits if hit.kind == "sub"}
    districts = {row.code for hit in hits if hit.kind == "district" and (hit.prefixed or hit.span not in sub_spans)
                 for row in hit.rows}
    subs = _unique(row for hit in hits if hit.kind == "sub" for row in hit.rows)
    if districts:
        subs = [sub for sub in subs if sub.district_id in districts] or subs
    villages = _unique(row for hit in _sub_twins_dropped(hits) if hit.kind == "village" for row in hit.rows)
    if villages:
        if subs:
            villages = [v for v in villages if v.subdistrict_id in {sub.code for sub in subs}] or villages
        elif districts:
            villages = [v for v in villages if v.subdistrict.district_id in districts] or villages
        if moo is not None:
            villages = [v for v in villages if v.moo == moo] or ([] if subs else villages)
        villages = _nearest(villages, last, lambda v: (v.subdistrict_id, v.subdistrict.district_id))
        if len(villages) == 1:
            return {"village": villages[0].code, "sure": exact}
        if villages:
            return {"candidates": tuple(f"v:{v.code}" for v in villages[:MAX_CANDIDATES])}
    if subs:
        subs = _nearest(subs, last, lambda sub: (sub.code, sub.district_id))
        if moo is not None:
            found = [v for v in (CATALOG.village(f"{sub.code}{moo:02d}") for sub in subs) if v is not None]
            if len(found) == 1:
                return {"village": found[0].code, "sure": exact and len(subs) == 1}
            if found:
                return {"candidates": tuple(f"v:{v.code}" for v in found[:MAX_CANDIDATES])}
        if len(subs) == 1:
            only = CATALOG.villages_in(subs[0].code)
            if len(only) == 1:
                return {"village": only[0].code, "sure": exact}
            return {"subdistrict": subs[0].code, "sure": exact}
        return {"candidates": tuple(f"s:{sub.code}" for sub in subs[:MAX_CANDIDATES])}
    if districts:
        within = [sub for sub in CATALOG.subdistricts() if sub.district_id in districts]
        if moo is not None:
            found = [v for v in (CATALOG.village(f"{sub.code}{moo:02d}") for sub in within) if v is not None]
            if len(found) == 1:
                return {"village": found[0].code}
        return {"candidates": tuple(f"s:{sub.code}" for sub in within[:MAX_CANDIDATES])} if within else None
    if moo is not None and last is not None:
        village = CATALOG.village(f"{last.subdistrict_id}{moo:02d}")
        return {"village": village.code} if village else None
    return None


def _nearest(rows: list, last: Village | None, where) -> list:
    """Of several places of the same name, the one in the last village's subdistrict, else
    its district (all of them when none is)."""
    if len(rows) < 2 or last is None:
        return rows
    for level, mine in enumerate((last.subdistrict_id, last.subdistrict.district_id)):
        near = [row for row in rows if where(row)[level] == mine]
        if near:
            return near
    return rows


def search(text: str, last_village: Village | None = None) -> Found:
    """Villages (or subdistricts, when no village number was given) that ``text`` names."""
    reading = read(text, last_village)
    if reading.village:
        return Found(villages=[CATALOG.village(reading.village)])
    if reading.subdistrict:
        return Found(subdistricts=[CATALOG.subdistrict(reading.subdistrict)])
    found = Found()
    for value in reading.candidates:
        kind, _, code = value.partition(":")
        if kind == "v":
            found.villages.append(CATALOG.village(code))
        else:
            found.subdistricts.append(CATALOG.subdistrict(code))
    return found


def beyond_place(text: str, place: PlaceReading) -> str:
    """``text`` (as cleaned at the door) without the words that named the place."""
    spaced = Typed.of(text).spaced
    for start, end in place.spans:
        spaced = spaced[:start] + " " * (end - start) + spaced[end:]
    return spaced
