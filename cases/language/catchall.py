"""The catch-all: the category a directory keeps for what fits no other type (``other``,
``อื่นๆ``, ``เรื่องทั่วไป``). A directory whose categories.csv has none is given one when it is
loaded (``load``), last in the menu, so that a citizen whose problem fits no listed type is
offered "other" at once instead of a menu none of whose items fits. No routing rule names it
unless routing.csv does, so its cases go to the province office, marked unrouted, which
forwards them.
"""
from __future__ import annotations

from pathlib import Path

from cases.language.i18n import LANGUAGES, N_, gettext
from cases.province import catalog, directory
from cases.store import models
from cases.store.models import Category

CODES = {"other", "others", "misc", "general", "etc"}
WORDS = ("อื่น", "ทั่วไป", "other", "miscellaneous", "general")
"""A category with one of these codes, or these words in its names, takes what fits no other."""
ADDED_CODE = "other"
"""The code of the catch-all given to a directory that has none."""
ADDED_NAME = N_("Other")
"""Its name, in each language."""


def is_catch_all(category: Category) -> bool:
    """True for the category a directory keeps for everything else (``other``, ``อื่นๆ``)."""
    names = " ".join(filter(None, (category.code, category.name_th, category.name_en))).lower()
    return category.code.lower() in CODES or any(word in names for word in WORDS)


def load(folder: Path | str) -> dict[str, int]:
    """Load a directory (``directory.load``, all or nothing) and give it a catch-all when it
    has none; counts by file name."""
    with models.database.atomic():
        counts = directory.load(folder)
        if ensure() and "categories" in counts:
            counts["categories"] += 1
    return counts


def ensure() -> bool:
    """Add the catch-all category when the loaded directory has none; True when added."""
    categories = list(Category.select())
    if not categories or any(is_catch_all(category) for category in categories):
        return False
    names = {f"name_{language}": gettext(language, ADDED_NAME) for language in LANGUAGES}
    Category.create(code=ADDED_CODE, position=max(category.position for category in categories) + 1, **names)
    catalog.new_version()
    catalog.CATALOG.forget()
    return True
