"""A watch on every log line a test makes: none may hold a whole phone number (issue 18).

Deployments log at INFO and above, so that is what is watched (peewee's DEBUG lines carry
query parameters, and no deployment logs them)."""
from __future__ import annotations

import logging
import re

WHOLE_NUMBER = re.compile(
    r"(?:(?<![\w+])|(?<=%2B))"  # not inside a word (a hex id), or after a URL-encoded +
    r"(?:\+?66|0)[ -]?\d{1,2}[ -]?\d{3}[ -]?\d{4}(?!\w)"  # +66812345678, 081-234-5678, 081 234 5678
)
"""A Thai phone number written out whole (a masked one, ``08x-xxx-5678``, is not)."""


class LeakWatch(logging.Handler):
    """Keeps the log lines (with their tracebacks) that hold a whole phone number, or a
    secret it was told about."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []
        self.leaks: list[str] = []
        self.secrets: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        self.lines.append(line)
        if WHOLE_NUMBER.search(line):
            self.leaks.append(line)

    def leaked(self) -> list[str]:
        """The lines holding a whole phone number or one of ``secrets``."""
        return self.leaks + [line for line in self.lines if any(secret in line for secret in self.secrets)]


def watching() -> tuple[LeakWatch, int]:
    """Start watching the root logger at INFO; returns the watch and the level to restore."""
    watch, root = LeakWatch(), logging.getLogger()
    level = root.level
    root.addHandler(watch)
    root.setLevel(min(level or logging.WARNING, logging.INFO))
    return watch, level


def stop(watch: LeakWatch, level: int) -> None:
    root = logging.getLogger()
    root.removeHandler(watch)
    root.setLevel(level)
