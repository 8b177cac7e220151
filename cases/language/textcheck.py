"""Every SMS template against a directory: what would not fit one segment, and which names
are shortened to fit (``rongrian check-texts``, and the end of ``rongrian load-directory``).

Each template is rendered in every language with worst-case values: a 10-digit reference,
the longest name of each kind, a long free text. Menus (templates with ``%(options)s``) are
paged by the flows, a name alone on its page cut to fit; the tests check them screen by screen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cases.language import catchall, segments, texts
from cases.language.i18n import LANGUAGES
from cases.province import directory
from cases.store import models

FREE_TEXTS = {
    "th": "ถนนหน้าวัดเป็นหลุมลึกมาก รถมอเตอร์ไซค์ล้มไปแล้วสองคัน ขอให้รีบซ่อมด่วนที่สุด " * 4,
    "en": "The road in front of the temple has a deep hole, two motorbikes fell already. " * 4,
}
"""A long free text (a description, a note) per language."""
LONGEST_REFERENCE = "9" * 10
MENU_PARAM = "options"
"""The parameter of menu templates (checked screen by screen, not here)."""

NAME_KINDS = {
    "category": models.Category, "village": models.Village,
    "agency": models.Agency, "subdistrict": models.Subdistrict, "district": models.District,
}
"""Template parameter → the directory table its names come from."""


def template_params(msgid: str) -> set[str]:
    """The ``%(name)s`` parameters of a template."""
    return set(re.findall(r"%\((\w+)\)s", msgid))


def by_length(model, language: str) -> list:
    """The rows of a directory table, longest name in ``language`` first."""
    return sorted(model.select(), key=lambda row: -segments.units(texts.localized(row, language)))


def worst_values(language: str, free_text: str | None = None) -> dict:
    """The longest value each template parameter can take with the loaded directory."""
    free_text = FREE_TEXTS[language] if free_text is None else free_text
    values = {
        "ref": LONGEST_REFERENCE, "phone": "08x-xxx-5678", "moo": "99", "code": "x" * 32, "otp": "999999",
        "count": "999", "open": "999", "max": "999", "overdue": "999", "done": "999",
        "received": "99,999", "resolved": "99,999", "pending": "99,999", "late": "99,999", "rate": "100.0",
        "note": free_text, "text": free_text, "body": free_text,
        "items": ", ".join(f"{LONGEST_REFERENCE} fire" for _ in range(20)),
    }
    for param, model in NAME_KINDS.items():
        values[param] = next(iter(by_length(model, language)), "-")
    longest = next(iter(by_length(models.Subdistrict, language)), None)
    values["example"] = {"th": f"{longest.name_th} 99", "en": f"{longest.name_en} 99"} if longest else "-"
    return values


@dataclass(frozen=True)
class Shortened:
    """A name sent shortened in one template and language."""

    key: str
    language: str
    param: str
    full: str
    sent: str


@dataclass
class Report:
    """What ``check`` found: messages that do not fit, and the names shortened to fit."""

    checked: int = 0
    too_long: list[str] = field(default_factory=list)
    shortened: list[Shortened] = field(default_factory=list)


def checked_templates() -> list[tuple[str, set[str]]]:
    """(key, parameters) of every registered template but the menus, in key order."""
    found = ((key, template_params(template.msgid)) for key, template in sorted(texts.TEMPLATES.items()))
    return [(key, params) for key, params in found if MENU_PARAM not in params]


def too_long() -> tuple[int, list[str]]:
    """How many messages were rendered with worst-case values, and each one that does not fit."""
    checked, problems = 0, []
    for language in LANGUAGES:
        values = worst_values(language)
        for key, params in checked_templates():
            missing = params - set(values)
            if missing:
                problems.append(f"{key} [{language}]: no worst-case value for {', '.join(sorted(missing))}")
                continue
            text = texts.render(language, key, **{param: values[param] for param in params})
            checked += 1
            if not segments.fits(text):
                problems.append(f"{key} [{language}]: {segments.units(text)} units: {text}")
    return checked, problems


def shortened_names() -> list[Shortened]:
    """Every directory name that is shortened in some template, with the other values at their
    worst: for each template and name parameter, the names from the longest down to the first
    one sent whole (any shorter one is sent whole too)."""
    found = []
    for language in LANGUAGES:
        values = worst_values(language)
        for key, params in checked_templates():
            if params - set(values):
                continue
            for param in sorted(params & set(NAME_KINDS)):
                seen = set()
                for row in by_length(NAME_KINDS[param], language):
                    full = texts.localized(row, language)
                    if full in seen:
                        continue
                    seen.add(full)
                    shown = {name: values[name] for name in params} | {param: row}
                    sent = texts.fit_values(language, key, shown)[param]
                    if sent == full:
                        break
                    found.append(Shortened(key, language, param, full, sent))
    return found


def check() -> Report:
    """The report for the loaded directory."""
    checked, problems = too_long()
    return Report(checked, problems, shortened_names())


def check_folder(folder: Path | str) -> Report:
    """The report for the directory as it would be once ``folder`` is loaded; the database is
    left as it was (loaded in a transaction that is rolled back). Raises ``DirectoryError``."""
    with models.database.atomic() as transaction:
        catchall.load(folder)
        report = check()
        transaction.rollback()
    return report


def shortened_table(shortened: list[Shortened]) -> list[str]:
    """The shortened names as lines for a clerk: each full name (by language and kind), then
    what is sent instead in which templates."""
    if not shortened:
        return ["No name is shortened: every name fits every SMS whole."]
    names: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    for item in shortened:
        names.setdefault((item.language, item.param, item.full), {}).setdefault(item.sent, []).append(item.key)
    lines = [
        f"{len(names)} name(s) shortened to fit one SMS (worst case: 10-digit ref, longest other names,"
        " long free text); an agency's short_name_th/short_name_en in agencies.csv is sent before any cut:"
    ]
    for (language, param, full), sent in sorted(names.items()):
        lines.append(f"  [{language}] {param} {full}")
        lines.extend(f"      → {value}  in {', '.join(sorted(keys))}" for value, keys in sent.items())
    return lines
