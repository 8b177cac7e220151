"""Translations from the Babel catalogs in ``locale/`` (Thai first, English second)."""
from __future__ import annotations

import functools
import io
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("th", "en")
"""Languages a phone may choose; the first is the default."""
DEFAULT_LANGUAGE = LANGUAGES[0]

LOCALE_DIR = Path(os.environ.get("RONGRIAN_LOCALE_DIR", Path(__file__).resolve().parents[2] / "locale"))


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


@functools.lru_cache(maxsize=None)
def translations(language: str) -> NullTranslations:
    """The compiled catalog of ``language``; compiled in memory from the .po if needed."""
    mo = LOCALE_DIR / language / "LC_MESSAGES" / "messages.mo"
    if mo.exists():
        return Translations.load(str(LOCALE_DIR), [language])
    po = mo.with_suffix(".po")
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def normalize_language(language: str | None) -> str:
    """A supported language code; the default for anything else."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def gettext(language: str, message: str, **params) -> str:
    """``message`` translated into ``language`` with ``%(name)s`` params filled in."""
    text = translations(normalize_language(language)).ugettext(message)
    return text % params if params else text
