"""Reading a citizen's first message for the type of problem and the place.

The place comes first (``places.read``); its words are then taken out of the text, so that a
place name never reads as a problem (``หนองช้างคืน`` holds ``ช้าง``). The type is found by
words: each category's names, the parts of its names, its ``keywords_th``/``keywords_en``,
and the common words of ``lexicon`` attached to it, in standard Thai, Northern Thai
(``บ่`` = ``ไม่``, ``ขัว`` = ``สะพาน``), English and common slips, as whole words; a type's
word used in another sense is left out (``senses``: ``ควันบุหรี่``, ``ตีกันกลางถนน``,
``กฎหมาย``). A type is read only when one category clearly leads; the flows then ask the
citizen to say yes before anything is filed. A second, learned reader (``guesses``) weighs the
same words: where no listed word names a type, or only other's, its likely type is offered beside
other; where it is sure of another than the type read, the citizen is asked between the two.
Everything runs on the directory in memory.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pythainlp.tokenize import tcc, word_tokenize
from rapidfuzz import fuzz

from cases.language import catchall, guesses, places, senses, typenames
from cases.language.concepts import ANCHORS, CONCEPTS, EFFECT_WORDS, FRAMES, attach
from cases.language.lexicon import EMPTY_WORDS, REQUEST_WORDS, TROUBLE_WORDS
from cases.language.placenames import Typed, pairs, skeleton
from cases.language.places import PlaceReading
from cases.province.catalog import Snapshot, per_snapshot
from cases.store.models import Village

DIALECT = ((re.compile(r"บ่(?![อ])"), "ไม่"), (re.compile("ขัว"), "สะพาน"), (re.compile("ขี้เยื[่้]อ"), "ขยะ"))
"""Northern Thai words read as their standard Thai (``บ่อ``, a well, stays)."""
STOP_WORDS = {"อื่นๆ", "อื่น", "other", "others", "the", "and", "for", "with", "in", "of", "or", "ๆ", "เป็น", "ใน"}
LEAD = 0.75
"""A type is read when the runner-up scores below this share of the best."""
FUZZY_SCORE = 88
FUZZY_MIN = 6
"""Words typed with a slip: how close and how long (only when no word is found exactly)."""
TCC_SLACK = 8
"""A slip's match widened to whole clusters may score this much lower (a cluster's extra vowel)."""
STRAY_PIECE = 2
THAI = re.compile(r"[\u0e01-\u0e4e]")
SKELETON_MIN = 3
"""Words shorter than this (as skeletons) are not found by their skeleton."""
REPEATED = re.compile(r"([^\d\sๆ])\1{2,}")
"""A letter held down on the keypad (``ดับบบ``, ``หลุมมม``) is read once."""
CATCH_ALL_WEIGHT = 0.8
"""The catch-all's words (noise, drugs, a stray dog where no type has it) count less than a
type's: said beside a type's word of about their length, the citizen is asked which."""
EFFECT_WEIGHT = 0.5
"""An effect (``ผ่านไม่ได้``, can't pass) counts half a thing named: ``ช้างป่ายืนขวางถนน รถผ่านไม่ได้``
reports the elephant."""
EMPTY_ORDERED = sorted(EMPTY_WORDS, key=len, reverse=True)
TROUBLE_MIN_WORDS = 2
"""Without a word for trouble, a text of this many words (``สุนัขจรจัดเยอะ``) reports a problem."""
SHORT_WORD = 3
"""A slip this short that spells another word (``ไหม``, ``หมา``) is that word (``ท้วม`` is
longer: a slip for ``ท่วม``)."""
GUESS_MIN, GUESS_OVER_OTHER = 0.05, 0.1
"""The learned guess is offered beside other when at least this likely: where no listed word names
a type, and where only other's words are found."""
DOUBT, DOUBTED = 0.6, 0.2
"""A type read from words is asked beside the guess's own when the guess is this sure of its own
and gives the read one less than ``DOUBTED``."""
ENGLISH_OFFSET = 1_000_000
"""English words are found in the spaced text: their offsets are kept apart from the Thai ones."""


@dataclass(frozen=True)
class Reading:
    """What a first message says: the type (a category code, when one clearly leads), the two
    types it hesitates between (``either``, when two score close), and the place."""

    category: str | None
    place: PlaceReading
    close: tuple[str, ...] = ()  # the categories that scored, best first
    either: tuple[str, ...] = ()  # the two closest, when none clearly leads
    listed: str | None = None  # the type the listed words name, before a slip or the guess asks

    @property
    def found(self) -> bool:
        return bool(self.category or self.either or self.place.found)

    @property
    def named(self) -> str | None:
        """The type, where the citizen was asked to name one (a menu, a correction): the listed
        words' own read counts, even typed with a slip or doubted by the guess."""
        return self.category or self.listed


class _Words:
    """Each category's words for one directory snapshot, and its catch-all category."""

    def __init__(self, snapshot: Snapshot):
        self.thai: dict[str, set[str]] = {}
        self.english: dict[str, set[str]] = {}
        self.catch_all = next((category.code for category in snapshot.categories if catchall.is_catch_all(category)), None)
        attached = attach([(category.code, _said(category.code, category.name_th, category.name_en),
                            _said(category.keywords_th, category.keywords_en)) for category in snapshot.categories],
                          self.catch_all)
        self.attached = attached
        """The category each concept belongs to (``concepts.attach``)."""
        named, light = typenames.own_words(snapshot.categories, {*attached.values(), self.catch_all}, ANCHORS)
        for word, code in named:
            self._add(word, code)
        full = {(_key(word), code) for word, code in named if (word, code) not in light}
        for concept in CONCEPTS:
            if concept.name in attached:
                for word in concept.words:
                    self._add(word, attached[concept.name])
                    full.add((_key(word), attached[concept.name]))
        self.light = {(_key(word), code) for word, code in light} - full
        """(word, category) pairs that count ``typenames.LIGHT``: cut out of a name only."""
        self.english_pattern = _alternation(self.english, english=True)
        self.thai_long = [word for word in self.thai if len(word) >= FUZZY_MIN]
        self.pairs: dict[str, list[str]] = {}
        self.pair_counts = {word: len(pairs(word)) for word in self.thai_long}
        for word in self.thai_long:
            for pair in pairs(word):
                self.pairs.setdefault(pair, []).append(word)
        self.lengths = sorted({len(word) for word in self.thai}, reverse=True)
        self.skeletons: dict[str, set[str]] = {}
        for word, codes in self.thai.items():
            bare = skeleton(word, same_sound=False)[0]  # tones only: ทาง and ช้าง sound alike as skeletons
            if len(bare) >= SKELETON_MIN:
                self.skeletons.setdefault(bare, set()).update(codes)
        self.skeleton_lengths = sorted({len(word) for word in self.skeletons}, reverse=True)
        self.starts = {word[:2] for word in self.thai}
        self.skeleton_starts = {word[:2] for word in self.skeletons}
        self.frames = []
        for frame in FRAMES:
            code = attached.get(frame.concept)
            if code:
                pattern = re.compile(rf"(?P<thing>{'|'.join(frame.things)})[^\s]{{0,{frame.gap}}}?(?P<wrong>{'|'.join(frame.wrongs)})")
                self.frames.append((pattern, {code}))
        word_tokenize("ถนนพัง")  # loads the word list now, not at a citizen's first message
        guesses.model()  # and the learned guess

    def _add(self, word: str, code: str) -> None:
        word = word.strip().lower()
        if len(word) < 2 or word in STOP_WORDS:
            return
        table = self.english if word.isascii() else self.thai
        table.setdefault(_key(word), set()).add(code)


    def sharing_pairs(self, text: str) -> list[str]:
        """The long words sharing at least half their letter pairs with ``text``: the only ones
        a slip can make it (an n-gram index instead of scoring every word)."""
        shared: Counter = Counter()
        for pair in pairs(text):
            shared.update(self.pairs.get(pair, ()))
        return [word for word, count in shared.items() if 2 * count >= self.pair_counts[word]]


def _key(word: str) -> str:
    """A word as the tables keep it: lower case, Thai without spaces, English with single ones."""
    word = word.strip().lower()
    return re.sub(r"\s+", " " if word.isascii() else "", word)


def _said(*words: str | None) -> str:
    """What a directory says of a category (its code and names, or its keywords), lower case."""
    return " ".join(filter(None, words)).lower()


def _alternation(words, english=False) -> re.Pattern | None:
    if not words:
        return None
    body = "|".join(re.escape(word).replace(r"\ ", r"\s*") for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{body})\b" if english else body)


words = per_snapshot(_Words)
"""The categories' words of the directory in memory (built once per snapshot)."""


def catch_all() -> str | None:
    """The code of the directory's catch-all category (``other``/``อื่นๆ``), if it has one."""
    return words().catch_all


def reports_trouble(text: str) -> bool:
    """True when ``text`` (where no type was read) still clearly reports a problem: a word for
    trouble, or a few words of its own, or a request for something (``ขอถังน้ำ``) — not one word
    that only names something (``หน่วยงาน``) nor greetings and "I want to report" words."""
    rest = text.lower()
    for word in EMPTY_ORDERED:
        rest = rest.replace(word, " ")
    if any(word in rest for word in TROUBLE_WORDS):
        return True
    said = [word for word in word_tokenize(rest, keep_whitespace=False) if len(re.sub(r"[\W\d_]", "", word)) >= 2]
    if len(said) >= TROUBLE_MIN_WORDS:
        return True
    return bool(said) and any(word in REQUEST_WORDS for word in word_tokenize(text.lower(), keep_whitespace=False))


def read(text: str, last_village: Village | None = None) -> Reading:
    """The type and the place ``text`` names."""
    place = places.read(text, last_village)
    category, close, either, exact = rank_types(text, place.spans)
    listed, other = category, catch_all()
    if category and not exact and other and category != other:  # only a word typed with a slip: that or other?
        category, either = None, (category, other)
    elif other and not either:
        category, either = _second_opinion(category, places.beyond_place(text, place), other)
    return Reading(category, place, close, either, listed)


def _second_opinion(category: str | None, said: str, other: str) -> tuple[str | None, tuple[str, ...]]:
    """The lexicon's type checked against the learned guess (``guesses``): words that name no
    listed type, or only other, are asked between the likely type and other; a type the guess
    strongly doubts is asked between it and the guess's own. A type the guess knows nothing of (no concept is attached to
    it) is not doubted. (the type, the two to ask between)"""
    if category is None and not reports_trouble(said):
        return None, ()
    ranked = dict(guesses.categories(said, words().attached, other))
    guess = max((code for code in ranked if code != other), key=ranked.get, default=None)
    if category in (None, other):
        floor = GUESS_MIN if category is None else GUESS_OVER_OTHER
        return (None, (guess, other)) if guess and ranked[guess] >= floor else (category, ())
    best = max(ranked, key=ranked.get, default=category)
    if category not in words().attached.values():
        return category, ()
    if ranked[best] >= DOUBT and ranked.get(category, 0) < DOUBTED:
        return None, (category, best)
    return category, ()


def read_type(text: str, masked: tuple[tuple[int, int], ...] = ()) -> tuple[str | None, tuple[str, ...]]:
    """The category ``text`` is about when one clearly leads (spans ``masked`` in the spaced
    text are left out: the place's words), and every category that scored, best first."""
    category, ranked, _, _ = rank_types(text, masked)
    return category, ranked


def rank_types(text: str, masked: tuple[tuple[int, int], ...] = ()) -> tuple[str | None, tuple[str, ...], tuple[str, ...], bool]:
    """(the category that clearly leads or None, every category that scored best first, the
    two to ask between when none leads, whether the words were found as typed). Words are tried exactly, then by their skeleton (a
    wrong tone mark or final), then without the spaces typed inside them, then with a slip."""
    spaced = Typed.of(text).spaced
    for start, end in masked:
        spaced = spaced[:start] + " " * (end - start) + spaced[end:]
    spaced = REPEATED.sub(r"\1", spaced)
    for pattern, standard in DIALECT:
        spaced = pattern.sub(standard, spaced)
    typed = Typed.of(spaced)
    vocabulary = words()
    spaced = typed.spaced
    elsewhere = senses.spans(spaced)  # a type's word used in another sense is not read

    def kept(hits, text=spaced, other_senses=elsewhere, as_typed=True):
        return senses.in_words(text, senses.outside(hits, other_senses, as_typed))

    found = kept(_thai_hits(spaced, vocabulary) + _english_hits(spaced, vocabulary))
    if not found:
        found = kept(_skeleton_hits(spaced, vocabulary), as_typed=False)
    if not found and " " in spaced:
        closed = _stray_spaces_closed(spaced)  # "ถ นน พัง"
        found = kept(_thai_hits(closed, vocabulary), closed, senses.spans(closed))
    found += _frame_hits(spaced, vocabulary, elsewhere)
    exact = bool(found)  # a thing and what went wrong with it are words as typed too
    if not found:
        found = kept(_fuzzy_hits(spaced, vocabulary), as_typed=False)
    scores: dict[str, float] = {}
    for (start, end), codes in _outermost(senses.before_cause(spaced, found)):
        said = spaced[start:end] if start < ENGLISH_OFFSET else typed.spaced[start - ENGLISH_OFFSET:end - ENGLISH_OFFSET]
        weight = EFFECT_WEIGHT if said in EFFECT_WORDS else 1
        for code in codes:
            light = typenames.LIGHT if (said, code) in vocabulary.light else 1
            scores[code] = max(scores.get(code, 0), weight * light * (end - start))
    if vocabulary.catch_all in scores:
        scores[vocabulary.catch_all] *= CATCH_ALL_WEIGHT
    ranked = sorted(scores, key=lambda code: -scores[code])
    if not ranked:
        return None, (), (), False
    best = scores[ranked[0]]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0
    if runner_up >= LEAD * best or (not exact and len(ranked) > 1):
        return None, tuple(ranked), tuple(ranked[:2]), exact
    return ranked[0], tuple(ranked), (), exact


def _thai_hits(spaced: str, vocabulary: _Words) -> list[tuple[tuple[int, int], set[str]]]:
    """Thai words found within the typed words (a space ends a word: ``ขาด น้ำ`` is not ``ขาดน้ำ``)."""
    return _whole_clusters(spaced, _within_words(spaced, vocabulary.thai, vocabulary.lengths, vocabulary.starts))


def _whole_clusters(spaced: str, hits):
    """The ``hits`` that start a Thai character cluster (``อสม`` is not in ``ชื่อสมชาย``: its อ
    belongs to ชื่อ). Their end is not checked: a slip right after a word (``สะพานาด``) would
    glue its letters to the word's last cluster."""
    bounds = tcc.tcc_pos(spaced) | {0}
    return [((start, end), codes) for (start, end), codes in hits if start in bounds]


def _stray_spaces_closed(spaced: str) -> str:
    """``spaced`` with the spaces around Thai fragments of one or two letters taken out (a
    word typed with stray spaces: ``ถ นน พัง`` → ``ถนนพัง``); whole words keep theirs."""
    pieces = spaced.split(" ")
    joined = pieces[:1]
    for piece in pieces[1:]:
        short = len(piece) <= STRAY_PIECE or len(joined[-1]) <= STRAY_PIECE
        if short and THAI.match(piece) and THAI.match(joined[-1][-1:]):
            joined[-1] += piece
        else:
            joined.append(piece)
    return " ".join(joined)


def _frame_hits(spaced: str, vocabulary: _Words, elsewhere=()) -> list[tuple[tuple[int, int], set[str]]]:
    """A thing and what went wrong with it, a few letters apart in one typed word
    (``ทางเข้าหมู่บ้านขาด``): counted as long as the two words together; not when the thing is
    said in another sense (``elsewhere``: ``ทางบ้านขาดรายได้``)."""
    hits = []
    for pattern, codes in vocabulary.frames:
        for match in pattern.finditer(spaced):
            if senses.outside([(match.span("thing"), codes)], elsewhere):
                start = match.start()
                hits.append(((start, start + len(match.group("thing")) + len(match.group("wrong"))), codes))
    return hits


def _skeleton_hits(spaced: str, vocabulary: _Words) -> list[tuple[tuple[int, int], set[str]]]:
    """Thai words typed with a wrong tone mark or a same-sounding letter, starting a character
    cluster (``ให้มา`` holds the skeleton of ``หมา``, across a cluster: not a word); a short one
    not another word spelt right (``ได้ไหม`` asks a question: ``ไหม`` is no slip for ``ไหม้``)."""
    bare, origin = skeleton(spaced, same_sound=False)
    found = [((origin[start], origin[end - 1] + 1), codes)
             for (start, end), codes in _within_words(bare, vocabulary.skeletons, vocabulary.skeleton_lengths,
                                                      vocabulary.skeleton_starts)]
    found = [((start, end), codes) for (start, end), codes in _whole_clusters(spaced, found)
             if end - start > SHORT_WORD or spaced[start:end] not in senses.DICTIONARY]
    return senses.in_words(spaced, found, slips=True)  # not inside a word spelt right (ลิ่ง of ตลิ่ง)


def _within_words(spaced: str, table: dict[str, set[str]], lengths: list[int],
                  starts: set[str]) -> list[tuple[tuple[int, int], set[str]]]:
    """Every word of ``table`` found inside the typed words: at each place where some word
    starts (its first two letters), each word length (a dictionary look-up each, whatever the
    number of words)."""
    hits = []
    for chunk in re.finditer(r"\S+", spaced):
        text, offset = chunk.group(), chunk.start()
        size = len(text)
        for start in range(size):
            if text[start:start + 2] not in starts:
                continue
            for length in lengths:
                if start + length <= size:
                    codes = table.get(text[start:start + length])
                    if codes:
                        hits.append(((offset + start, offset + start + length), codes))
    return hits


def _english_hits(spaced: str, vocabulary: _Words) -> list[tuple[tuple[int, int], set[str]]]:
    pattern = vocabulary.english_pattern
    if pattern is None:
        return []
    hits = []
    for match in pattern.finditer(spaced):
        key = re.sub(r"\s+", " ", match.group())
        codes = vocabulary.english.get(key) or vocabulary.english.get(key.replace(" ", ""), set())
        hits.append(((ENGLISH_OFFSET + match.start(), ENGLISH_OFFSET + match.end()), codes))
    return hits


def _fuzzy_hits(spaced: str, vocabulary: _Words) -> list[tuple[tuple[int, int], set[str]]]:
    """Long words typed with a slip, within the typed words: only words sharing letter pairs
    with the text are scored, and a match is widened to whole Thai character clusters (TCC) and
    scored again, so a slip never counts half a syllable (``ไฟป้า`` is ``ไฟป่า``, ``ไฟปา`` in
    ``ไฟปาก`` is not)."""
    hits = []
    for chunk in re.finditer(r"\S+", spaced):
        text, offset = chunk.group(), chunk.start()
        words = [word for word in vocabulary.sharing_pairs(text) if len(text) >= len(word) - 1]
        if not words:
            continue
        bounds = sorted(tcc.tcc_pos(text) | {0, len(text)})
        for word in words:
            where = fuzz.partial_ratio_alignment(word, text, score_cutoff=FUZZY_SCORE)
            if where is None:
                continue
            start = max(bound for bound in bounds if bound <= where.dest_start)
            end = min(bound for bound in bounds if bound >= min(len(text), where.dest_start + len(word)))
            if fuzz.ratio(word, text[start:end]) >= FUZZY_SCORE - TCC_SLACK:
                hits.append(((offset + start, offset + start + len(word)), vocabulary.thai[word]))
    return hits


def _outermost(hits):
    """Hits not inside a longer hit of another category (``เผาขยะ`` is burning, not garbage)."""
    kept = []
    for span, codes in hits:
        inside = any(other != span and other[0] <= span[0] and span[1] <= other[1] and not codes <= others
                     for other, others in hits)
        if not inside:
            kept.append((span, codes))
    return kept
