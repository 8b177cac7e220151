"""``python -m bench.guesser``: learn the reader's guess (``cases/language/guesses.json``).

From the labelled first messages of the tuning parts only (``reading.PARTS`` not named
``held-out…``): each directory is loaded on a fresh database, the place's words are taken out of
each message as the reader takes them out, and the message's type is read as the concepts the
reader attaches to it in that directory (``other`` as ``guesses.NONE`` and the concepts that
province has no type for). A type several concepts share is first counted for each of them in
part, then for the one the model finds most likely (hard EM, ``ROUNDS`` times).
"""
from __future__ import annotations

import math
import sys
import tempfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

from cases.language import guesses, places, reading
from cases.language.concepts import CONCEPTS
from cases.province import directory
from cases.store import schema
from rongrian import create_app

from .reading import PARTS, rows

TRAINING_PARTS = tuple(name for name in PARTS if not name.startswith("held"))
"""The parts learned from: never a held-out one."""
ALPHA = 0.1
"""Additive smoothing of each feature's count."""
MIN_COUNT = 2
"""Features seen in fewer messages than this are left out."""
ROUNDS = 2


Example = tuple[frozenset[str], frozenset[str]]
"""A message's features and the classes its type may mean."""


def examples(folder: Path, path: Path, only: str | None) -> list[Example]:
    """The examples of one directory's messages; the directory must be loaded."""
    vocabulary = reading.words()
    catch_all = vocabulary.catch_all
    found = []
    for row in rows(path, only):
        codes = set(row.filed_under(catch_all).categories)
        classes = {name for name, code in vocabulary.attached.items() if code in codes}
        if catch_all in codes:
            classes.add(guesses.NONE)
        if classes:
            said = places.beyond_place(row.text, places.read(row.text))
            found.append((frozenset(guesses.features(said)), frozenset(classes)))
    return found


def fit(found: list[Example], alpha: float = ALPHA, rounds: int = ROUNDS, min_count: int = MIN_COUNT) -> guesses.Model:
    """The naive Bayes model of ``found``."""
    counts = Counter(feature for features, _ in found for feature in features)
    known = {feature for feature, count in counts.items() if count >= min_count}
    weights = [{name: 1 / len(classes) for name in classes} for _, classes in found]
    model = _counted(found, weights, known, alpha)
    for _ in range(rounds):
        weights = [{max(sorted(classes), key=lambda name: model.weigh(features).get(name, 0)): 1.0}
                   for features, classes in found]
        model = _counted(found, weights, known, alpha)
    return model


def _counted(found: list[Example], weights: list[dict[str, float]], known: set[str], alpha: float) -> guesses.Model:
    messages: Counter = Counter()
    total: Counter = Counter()
    had: dict[str, Counter] = defaultdict(Counter)
    for (features, _), weight in zip(found, weights):
        kept = features & known
        for name, share in weight.items():
            messages[name] += share
            total[name] += share * len(kept)
            for feature in kept:
                had[feature][name] += share
    everyone = sum(messages.values())
    prior = {name: math.log(count / everyone) for name, count in messages.items()}
    unseen = {name: math.log(alpha / (total[name] + alpha * len(known))) for name in messages}
    seen = {feature: {name: round(math.log((count + alpha) / alpha), 4) for name, count in classes.items()}
            for feature, classes in had.items()}
    return guesses.Model(prior, unseen, seen)


@contextmanager
def fresh_app():
    """An app on a throw-away SQLite database (only the directory is stored)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/guesser.db", "SECRET_KEY": "guesser",
                          "SMS_BACKEND": "console"})
        with app.app_context():
            schema.create_tables()
            yield app


def training_sets(parts=TRAINING_PARTS) -> dict[str, list[Example]]:
    """The examples of each directory file of ``parts``, keyed by messages file and directory."""
    found = {}
    for part in parts:
        assert not part.startswith("held"), "a held-out part is never learned from"
        for folder, path, only in PARTS[part]:
            with fresh_app():
                directory.load(folder)
                found[f"{path.name}:{only or folder.name}"] = examples(folder, path, only)
    return found


def lexicon_examples() -> list[Example]:
    """Each word and anchor of each concept, as a message of that concept: the model then knows
    the lexicon's words in pieces (a word typed with a slip keeps most of its clusters)."""
    return [(frozenset(guesses.features(word)), frozenset({concept.name}))
            for concept in CONCEPTS for word in concept.words + concept.anchors]


def main() -> int:
    found = training_sets()
    found["concepts.py"] = lexicon_examples()
    model = fit([example for part in found.values() for example in part])
    guesses.MODEL.write_text(model.to_json(sorted(found)), encoding="utf-8")
    print(f"{guesses.MODEL}: {sum(map(len, found.values()))} messages, {len(model.seen)} features, "
          f"{len(model.prior)} classes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
