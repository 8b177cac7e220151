"""The settings the domain's rules read (how many reports a phone may file a day), handed
in by whoever runs the unit: the web app per request, the worker per job. Outside of
either (a test, a script), the defaults hold."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator, Mapping

MAX_REPORTS_PER_DAY = 10
"""Default of the setting ``MAX_REPORTS_PER_DAY``: new cases one phone may file in 24 h."""


@dataclass(frozen=True)
class Limits:
    """What the rules allow, from the settings."""

    reports_per_day: int = MAX_REPORTS_PER_DAY

    @classmethod
    def from_settings(cls, settings: Mapping) -> "Limits":
        """The limits the app's settings set (the defaults for those not set)."""
        return cls(reports_per_day=int(settings.get("MAX_REPORTS_PER_DAY") or MAX_REPORTS_PER_DAY))


_current: ContextVar[Limits] = ContextVar("rongrian_limits", default=Limits())


def current() -> Limits:
    """The limits of the running request or job."""
    return _current.get()


def use(limits: Limits):
    """Make ``limits`` the current ones until ``reset(token)``; the token."""
    return _current.set(limits)


def reset(token) -> None:
    """Back to the limits before ``use``."""
    _current.reset(token)


@contextmanager
def applied(limits: Limits) -> Iterator[Limits]:
    """Run the block under ``limits``."""
    token = use(limits)
    try:
        yield limits
    finally:
        reset(token)
