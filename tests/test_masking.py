"""Phone numbers and Thai national IDs written in free text are masked in every written form;
village codes, references, dates, money, times and house numbers are left alone
(``tests/data/masking_corpus.tsv``: input, a tab, what is shown)."""
import time
from pathlib import Path

import pytest

from cases.province.phones import masked_in_text

CORPUS = Path(__file__).resolve().parent / "data" / "masking_corpus.tsv"


def corpus() -> list[tuple[str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            given, expected = line.split("\t")
            rows.append((given, expected))
    return rows


def test_the_corpus_covers_both_sides():
    rows = corpus()
    assert len(rows) >= 40
    assert sum(given == expected for given, expected in rows) >= 15  # left alone
    assert sum(given != expected for given, expected in rows) >= 25  # masked


@pytest.mark.parametrize(("given", "expected"), corpus())
def test_masking_corpus(given, expected):
    assert masked_in_text(given) == expected


def test_masking_is_quick_on_a_long_run_of_digits():
    text = "9 " * 20000  # one run of 20,000 digit groups: only short stretches are tried
    started = time.monotonic()
    assert masked_in_text(text) == text
    assert time.monotonic() - started < 2
    assert masked_in_text("") == "" and masked_in_text(None) == ""
