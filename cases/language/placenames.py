"""The names of a directory as the readers look for them in a text: subdistricts (with or
without ``ต.``/``ตำบล``, and ``บ.X`` for a name that starts with ``บ้าน``), districts (``อ.``/
``อำเภอ``, ``อ.เมือง``), villages with a name (with or without ``บ้าน``/``บ.``), in Thai and in
English, and names typed with a slip. Built once per directory snapshot (``index``).

Slips are found in two steps. A wrong or missing tone mark, or a final consonant of the
same sound (``ศรีบัวบาร`` for ``ศรีบัวบาน``), leaves a name's ``skeleton`` unchanged: those
are found like exact names. Other slips are scored with ``rapidfuzz``, but only against the
few names that share letter pairs with the text (``NameIndex.narrowed``), never every name.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from cases.province.catalog import Snapshot, per_snapshot
from cases.store.models import Village

SUB_PREFIX = r"(?P<pre>ตำบล|ต\.)?"
DISTRICT_PREFIX = r"(?P<pre>อำเภอ|อ\.)?"
VILLAGE_PREFIX = r"(?P<pre>หมู่บ้าน|บ้าน|บ\.)?"
EN_PREFIXES = {"sub": r"(?:tambon\s*|t\.\s*)?", "district": r"(?:amphoe\s*|amphur\s*|a\.\s*)?",
               "village": r"(?:ban\s+|b\.\s*)?"}
THAI_VILLAGE_WORD = "บ้าน"
MOO_IN_NAME = re.compile(r"\s*\(?\s*(?:หมู่ที่|หมู่|ม\.|moo)\s*\d{1,2}\s*\)?\s*$", re.IGNORECASE)
GENERIC_VILLAGE = re.compile(r"^\s*(?:หมู่|ม\.|moo)\s*\d", re.IGNORECASE)
"""A village named only by its number (``หมู่ 3 ต.ในเมือง``) is found through its subdistrict."""
TOWN_PREFIX = "เมือง"
"""``อ.เมือง`` is the province's capital district (``เมืองลำพูน``)."""
BARE_VILLAGE_MIN = 4
"""A village name typed without ``บ้าน`` counts only from this many characters."""
FUZZY_SCORE = 85
FUZZY_MIN = 6
"""Typed names with a slip: how close (0–100) and how long a name must be to be found so."""
NARROW_SHARE = 0.5
NARROW_LIMIT = 24
"""Names scored for a slip: those sharing at least this share of their letter pairs with the
text, at most this many (the most shared first)."""
COMMON_PAIR_SHARE = 20
COMMON_PAIR_MIN = 50
"""A letter pair found in more names than this (one in 20, and at least 50) tells nothing
(``บ้``, ``้า``, ``าน`` of every ``บ้าน…``): it is left out of the index."""
ORNAMENTS = ("พัฒนาการ", "พัฒนา", "สามัคคีธรรม", "สามัคคี", "ร่วมใจ", "ร่วมมิตร", "สันติสุข", "ก้าวหน้า", "เจริญสุข")
"""Words that end many official village names and that villagers leave out when they type one
(``บ้านท่าซอม`` for ``บ้านท่าซอมพัฒนาสามัคคี``)."""
ASIDE = re.compile(r"\s*\([^)]*\)\s*$")
"""A note in brackets after an official name (``(หมู่บ้านเศรษฐกิจพอเพียง)``)."""
ORNAMENTED_CORE_MIN = 3
"""A name shortened so keeps at least this many characters after its ``บ้าน``."""
SHORTENED_SUB = re.compile(r"(?:ตำบล|ต\.)\s*(?P<run>[\u0e01-\u0e4e]+)")
SHORTENED_SUB_MIN = 3
"""A subdistrict's long name cut short after ``ต.`` (``ต.แหลม``) counts from this many characters."""
SKELETON_MIN = 4
"""Names shorter than this (as skeletons) are not found by their skeleton."""
UNSPOKEN = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4c")
"""Tone marks, ไม้ไต่คู้ and the silencer: dropped from a skeleton."""
SAME_SOUND = str.maketrans({**dict.fromkeys("ขคฆ", "ก"), **dict.fromkeys("ตถทธฎฏฐฑฒจชซศษส", "ด"),
                            **dict.fromkeys("ปพฟภผฝ", "บ"), **dict.fromkeys("ณญรลฬ", "น"), "ใ": "ไ"})
"""Letters typed for one another because they sound the same (as finals, mostly)."""


SILENCER = "\u0e4c"
RUE = "ฤ"


def skeleton(text: str, same_sound: bool = True) -> tuple[str, tuple[int, ...]]:
    """``text`` without tone marks and silent letters (``อุโมงค์`` → ``อุโมง``), and, when
    ``same_sound``, with same-sounding letters made one; and where each of its characters came
    from in ``text``."""
    kept: list[tuple[int, str]] = []
    for index, ch in enumerate(text):
        if ch == SILENCER and kept:
            kept.pop()  # the letter it silences
        if ch == RUE:  # ฤ is typed as the syllable it sounds (สัมริทธิ์ for สัมฤทธิ์)
            kept += [(index, "ร"), (index, "ิ")]
        elif ch not in UNSPOKEN:
            kept.append((index, ch))
    bare = "".join(ch for _, ch in kept)
    return bare.translate(SAME_SOUND) if same_sound else bare, tuple(index for index, _ in kept)


def pairs(text: str) -> set[str]:
    """The letter pairs of ``text`` (its n-grams for narrowing)."""
    return {text[index:index + 2] for index in range(len(text) - 1)}

@dataclass(frozen=True)
class Typed:
    """A cleaned text as the readers compare it: lower case, and without spaces (Thai is
    often typed with stray spaces), with where each compact character came from."""

    spaced: str
    compact: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "Typed":
        spaced = re.sub(r"\s+", " ", (text or "").lower()).strip()
        kept = [(index, ch) for index, ch in enumerate(spaced) if not ch.isspace()]
        return cls(spaced, "".join(ch for _, ch in kept), tuple(index for index, _ in kept))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A compact span in ``spaced`` coordinates."""
        return self.origin[start], self.origin[end - 1] + 1


@dataclass
class Hit:
    kind: str  # "sub", "district" or "village"
    rows: list
    span: tuple[int, int]
    prefixed: bool
    exact: bool = True


class NameIndex:
    """The names of one directory snapshot as regular expressions."""

    def __init__(self, snapshot: Snapshot):
        self.thai: dict[str, tuple[re.Pattern, dict[str, list]]] = {}
        self.english: dict[str, tuple[re.Pattern, dict[str, list]]] = {}
        subs = list(snapshot.subdistricts.values())
        named = [v for v in snapshot.villages.values() if not GENERIC_VILLAGE.match(v.name_th)]
        self._add("sub", SUB_PREFIX, {sub: _abbreviated(sub.name_th) for sub in subs}, {sub: [sub.name_en] for sub in subs})
        districts = {d: _abbreviated(d.name_th) + ([TOWN_PREFIX] if d.name_th.startswith(TOWN_PREFIX) else [])
                     for d in snapshot.districts}
        self._add("district", DISTRICT_PREFIX, districts, {d: [d.name_en] for d in snapshot.districts})
        forms = {v: _village_forms(v.name_th) for v in named}
        taken = {_squeeze(form) for listed in forms.values() for form in listed}
        for village in named:
            forms[village] += [form for form in _without_ornaments(village.name_th) if _squeeze(form) not in taken]
        self._add("village", VILLAGE_PREFIX, forms, {v: _village_forms(v.name_en, "ban ") for v in named})
        self.fuzzy = {key: rows for key, rows in self._names("sub", subs + named).items() if len(key) >= FUZZY_MIN}
        postings: dict[str, list[str]] = {}
        for key in self.fuzzy:
            for pair in pairs(key):
                postings.setdefault(pair, []).append(key)
        common = max(COMMON_PAIR_MIN, len(self.fuzzy) // COMMON_PAIR_SHARE)
        self.pairs = {pair: keys for pair, keys in postings.items() if len(keys) <= common}
        self.telling = {key: sum(1 for pair in pairs(key) if pair in self.pairs) for key in self.fuzzy}
        self.skeletons: dict[str, list] = {}
        for key, rows in self._names("sub", subs + named).items():
            bare = skeleton(key)[0]
            if len(bare) >= SKELETON_MIN:
                self.skeletons.setdefault(bare, []).extend(row for row in rows if row not in self.skeletons.get(bare, []))
        ordered = sorted(self.skeletons, key=len, reverse=True)
        self.skeleton_pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    @staticmethod
    def _names(kind, rows) -> dict[str, list]:
        names: dict[str, list] = {}
        for row in rows:
            for form in (_village_forms(row.name_th) if isinstance(row, Village) else [row.name_th]):
                names.setdefault(_squeeze(form), []).append(row)
        return names

    def _add(self, kind: str, prefix: str, thai: dict, english: dict) -> None:
        for table, target, pre in ((thai, self.thai, prefix), (english, self.english, EN_PREFIXES[kind])):
            names: dict[str, list] = {}
            for row, forms in table.items():
                for form in forms:
                    key = _squeeze(form) if target is self.thai else form.lower().strip()
                    if key and row not in names.setdefault(key, []):
                        names[key].append(row)
            if not names:
                continue
            ordered = sorted(names, key=len, reverse=True)
            if target is self.thai:
                body = "|".join(map(re.escape, ordered))
                pattern = re.compile(f"{pre}(?P<name>{body})")
            else:
                body = "|".join(r"\s*".join(map(re.escape, name.split())) for name in ordered)
                pattern = re.compile(rf"\b(?P<pre>{pre})(?P<name>{body})\b")
            target[kind] = (pattern, names)

    def hits(self, typed: Typed) -> list[Hit]:
        found = []
        for kind, (pattern, names) in self.thai.items():
            for match in pattern.finditer(typed.compact):
                name, prefixed = match.group("name"), bool(match.group("pre"))
                found.append(Hit(kind, names[name], typed.span(match.start(), match.end()), prefixed))
        found += self._shortened_subdistricts(typed, found)
        for kind, (pattern, names) in self.english.items():
            for match in pattern.finditer(typed.spaced):
                key = " ".join(match.group("name").split())
                rows = names.get(key) or next((r for n, r in names.items() if n.replace(" ", "") == key.replace(" ", "")), [])
                if kind == "village" and not match.group("pre") and len(key) < FUZZY_MIN:
                    continue
                found.append(Hit(kind, rows, match.span(), bool(match.group("pre"))))
        return found

    def _shortened_subdistricts(self, typed: Typed, found: list[Hit]) -> list[Hit]:
        """Subdistricts named by the start of their name after ``ต.``/``ตำบล`` (``ต.แหลม`` for
        ตำบลแหลมตะลุมพุก), where no name was found whole."""
        names = self.thai["sub"][1] if "sub" in self.thai else {}
        shortened = []
        for match in SHORTENED_SUB.finditer(typed.spaced):
            run = re.split(r"บ้าน|หมู่|ม\.", match.group("run"), maxsplit=1)[0]
            start = match.start("run")
            if len(run) < SHORTENED_SUB_MIN or any(hit.kind == "sub" and hit.span[0] <= start < hit.span[1] for hit in found):
                continue
            rows = [row for key, listed in names.items() if key.startswith(run) for row in listed]
            if rows:
                shortened.append(Hit("sub", list(dict.fromkeys(rows)), (match.start(), start + len(run)), True, exact=False))
        return shortened

    def skeleton_hits(self, typed: Typed) -> list[Hit]:
        """Names typed with a wrong tone mark or a same-sounding letter (only when no name was
        found exactly)."""
        if self.skeleton_pattern is None:
            return []
        bare, origin = skeleton(typed.compact)
        hits = []
        for match in self.skeleton_pattern.finditer(bare):
            rows = self.skeletons[match.group()]
            kind = "village" if isinstance(rows[0], Village) else "sub"
            span = typed.span(origin[match.start()], origin[match.end() - 1] + 1)
            hits.append(Hit(kind, list(rows), span, prefixed=False, exact=False))
        return hits

    def narrowed(self, compact: str) -> list[str]:
        """The names worth scoring against ``compact``: those sharing most of their letter pairs
        with it (an n-gram index, so a message costs the same in a province of any size)."""
        shared: Counter = Counter()
        for pair in pairs(compact):
            keys = self.pairs.get(pair)
            if keys:
                shared.update(keys)
        telling = self.telling
        kept = [(count / telling[key], key) for key, count in shared.items() if count >= NARROW_SHARE * telling[key]]
        return [key for _, key in sorted(kept, reverse=True)[:NARROW_LIMIT]]

    def fuzzy_hits(self, typed: Typed) -> list[Hit]:
        """Names typed with a slip (only when no name was found exactly)."""
        if len(typed.compact) < FUZZY_MIN:
            return []
        found = process.extract(typed.compact, self.narrowed(typed.compact), scorer=fuzz.partial_ratio,
                                score_cutoff=FUZZY_SCORE, limit=4)
        if not found:
            return []
        best = found[0][1]
        hits = []
        for name, score, _ in found:
            if score < best:
                break
            where = fuzz.partial_ratio_alignment(name, typed.compact)
            rows = self.fuzzy[name]
            kind = "village" if isinstance(rows[0], Village) else "sub"
            span = typed.span(where.dest_start, max(where.dest_end, where.dest_start + 1))
            hits.append(Hit(kind, rows, span, prefixed=False, exact=False))
        return hits


def _squeeze(name: str) -> str:
    return re.sub(r"\s+", "", name.lower())


def _abbreviated(name: str) -> list[str]:
    """A subdistrict's or district's name, and ``บ.X`` for one that starts with ``บ้าน``."""
    name = name.strip()
    rest = name[len(THAI_VILLAGE_WORD):]
    return [name, f"บ.{rest}"] if name.startswith(THAI_VILLAGE_WORD) and rest else [name]


def _village_forms(name: str, word: str = THAI_VILLAGE_WORD) -> list[str]:
    """A village name as typed: with and without its ``บ้าน`` (``ban``), and without a moo
    written into the name (``บ้านดอนมูล หมู่ 5``)."""
    forms = []
    for whole in dict.fromkeys((name.strip(), MOO_IN_NAME.sub("", name).strip())):
        core = whole[len(word):].strip() if whole.lower().startswith(word) else whole
        forms += [form for form in (whole, core) if form]
    return list(dict.fromkeys(forms))


def _without_ornaments(name: str) -> list[str]:
    """A village name without a note in brackets and without the ornaments that end it, each
    left out in turn from the end (``บ้านท่าซอมพัฒนา``, ``บ้านท่าซอม``), with and without its
    ``บ้าน``."""
    whole = MOO_IN_NAME.sub("", name).strip()
    bare = ASIDE.sub("", whole).strip()
    shorter = _village_forms(bare) if bare != whole else []
    whole = bare
    while True:
        ornament = next((word for word in ORNAMENTS if whole.endswith(word)), None)
        core = whole[:-len(ornament)].strip() if ornament else ""
        if len(core.removeprefix(THAI_VILLAGE_WORD)) < ORNAMENTED_CORE_MIN:
            return shorter
        shorter += _village_forms(core)
        whole = core


index = per_snapshot(NameIndex)
"""The name index of the directory in memory (built once per snapshot)."""
