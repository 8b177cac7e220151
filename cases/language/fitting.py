"""Directory names that fit one SMS, whatever their length.

A message is never split or cut; its names give way instead, in this order: the full names,
else the short names where there are any, else names cut between Thai character clusters (a
tone mark or vowel stays with its consonant), the longest first, the cut marked with an
ellipsis (``..`` in a GSM-7 message, ``…`` otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Hashable, TypeVar

from pythainlp.tokenize import tcc

from cases.language import segments

ELLIPSIS = {True: "..", False: "…"}
"""The mark of a cut, by whether the message is GSM-7 (two dots keep it GSM-7)."""

RECOGNIZABLE = 15
"""Units (characters) of a name that a free text beside it does not take away: a name is
cut below this only once the free text has given way."""
NAME_FLOOR = 8
"""Units a cut name keeps while anything else in the message can still give way."""

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Name:
    """A directory name as shown in one language, and its short form if the directory has one."""

    full: str
    short: str | None = None


def clusters(text: str) -> list[str]:
    """``text`` as Thai character clusters (any other character is a cluster of its own)."""
    return tcc.segment(text)


def boundary(text: str, length: int) -> int:
    """The largest cluster boundary of ``text`` at or before ``length`` characters."""
    end = 0
    for piece in clusters(text):
        if end + len(piece) > length:
            break
        end += len(piece)
    return end


def fit_names(
    names: dict[K, Name], compose: Callable[[dict[K, str]], str], fits: Callable[[str], bool],
    floor: int = NAME_FLOOR,
) -> dict[K, str]:
    """The value to send for each of ``names`` so that ``compose(values)`` ``fits``: the full
    names, else short names where there are any, else the longest name cut by one cluster at
    a time until it fits, no name cut below ``floor`` units. The best values found are returned
    even when the message still does not fit (the caller decides what gives way next)."""
    values = {key: name.full for key, name in names.items()}
    if not names or fits(compose(values)):
        return values
    values = {key: name.short or name.full for key, name in names.items()}
    text = compose(values)
    gsm7 = segments.is_gsm7(text)
    pieces = {key: clusters(value) for key, value in values.items()}

    def shorter(key: K) -> str:  # the value without its last cluster, before the ellipsis
        return "".join(pieces[key][:-1]).rstrip()

    while not fits(text):
        longer = [key for key in names if shorter(key) and segments.units(shorter(key)) >= floor]
        if not longer:
            break
        key = max(longer, key=lambda each: segments.units(values[each]))
        values[key] = shorter(key) + ELLIPSIS[gsm7]
        pieces[key].pop()
        text = compose(values)
    return values

