"""A learned guess at the kind of problem, for words the lexicon does not list.

When no listed word names a type, the reader still has the citizen's words. A naive Bayes
model over pieces of them (pairs and triples of Thai character clusters, which survive typos
and missing spaces, and English words) gives each *concept* (``concepts.CONCEPTS``: roads,
power, elephants…) a probability; ``NONE`` stands for a problem of no listed concept. The
model is data (``guesses.json``), learned by ``python -m bench.guesser`` from the labelled
first messages of the tuning parts only, each province's types read as concepts the way the
reader attaches them. A province's categories are scored through the same attachment, so the
model knows no province's codes. The guess is only ever offered beside "other", never filed
without the citizen's pick.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pythainlp.tokenize import tcc, word_tokenize

MODEL = Path(__file__).with_name("guesses.json")
"""The learned model (``python -m bench.guesser`` writes it)."""
NONE = "_none"
"""The class of a problem no concept names (filed under the catch-all)."""
SIZES = (2, 3)
"""Features: runs of this many Thai character clusters (besides whole words)."""
SURE_PER = 6
"""Naive Bayes counts pieces of one word as if each were new evidence, so it is the surer the more
pieces a message has, far beyond its hits: its log scores are divided by one more than the
number of pieces known over this (chosen by the log loss of each tuning province's messages
under a model learned from the others: then about 9 in 10 guesses said 0.9 likely are right,
and one word alone is not taken for certain)."""
WORD = "w:"
"""A whole word's feature starts with this (a word and a run of clusters may be spelt alike)."""
THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
ENGLISH_WORD = re.compile(r"[a-z]{3,}")
UNWEIGHED = re.compile(r"[\d\u0e50-\u0e59ๆฯ_]")
"""Digits (Thai or not) and repeat marks say nothing of the kind of problem."""


def features(text: str) -> set[str]:
    """The pieces of ``text`` the model weighs: runs of Thai clusters across typed spaces, the
    words pythainlp cuts, and English words."""
    text = UNWEIGHED.sub(" ", text.lower())
    thai = "".join(THAI_RUN.findall(text))
    clusters = tcc.segment(thai)
    found = {"".join(clusters[start:start + size]) for size in SIZES for start in range(len(clusters) - size + 1)}
    found.update(ENGLISH_WORD.findall(text))
    found.update(WORD + word for word in word_tokenize(text, keep_whitespace=False) if len(word) > 1)
    return found


@dataclass(frozen=True)
class Model:
    """Multinomial naive Bayes over present features: ``prior`` and ``unseen`` (the log weight
    of a known feature a class never had) per class, and per feature the classes that had it
    with what it adds to ``unseen``."""

    prior: dict[str, float]
    unseen: dict[str, float]
    seen: dict[str, dict[str, float]]

    def probabilities(self, text: str) -> dict[str, float]:
        """Each class's probability for ``text`` (empty when no feature is known)."""
        return self.weigh(features(text))

    def weigh(self, pieces) -> dict[str, float]:
        """Each class's probability for a message of these features."""
        known = [self.seen[feature] for feature in pieces if feature in self.seen]
        if not known:
            return {}
        scores = {name: prior + len(known) * self.unseen[name] for name, prior in self.prior.items()}
        for classes in known:
            for name, extra in classes.items():
                scores[name] += extra
        top = max(scores.values())
        temperature = 1 + len(known) / SURE_PER
        weights = {name: math.exp((score - top) / temperature) for name, score in scores.items()}
        total = sum(weights.values())
        return {name: weight / total for name, weight in weights.items()}

    def to_json(self, trained_on: list[str]) -> str:
        return json.dumps({"trained_on": trained_on, "prior": self.prior, "unseen": self.unseen, "seen": self.seen},
                          ensure_ascii=False, sort_keys=True, indent=0)

    @classmethod
    def from_file(cls, path: Path) -> "Model":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["prior"], data["unseen"], data["seen"])


@cache
def model() -> Model | None:
    """The model shipped with the reader (None when it has not been learned)."""
    return Model.from_file(MODEL) if MODEL.exists() else None


def categories(text: str, attached: dict[str, str], catch_all: str | None,
               learned: Model | None = None) -> list[tuple[str, float]]:
    """The province's categories ``text`` may be about, most likely first, with their
    probability: a concept counts for the category it is attached to, a concept the province
    has no type for and ``NONE`` for its catch-all."""
    learned = learned or model()
    if learned is None:
        return []
    scores: dict[str, float] = {}
    for name, probability in learned.probabilities(text).items():
        code = attached.get(name, catch_all) if name != NONE else catch_all
        if code:
            scores[code] = scores.get(code, 0) + probability
    return sorted(scores.items(), key=lambda item: -item[1])
