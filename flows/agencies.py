"""Forward targets for staff by SMS: ``AGENCIES`` lists them (short name and code), ``FWD``
finds one by its code or by its name, short or full, Thai or English, allowing for slips."""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from cases.casework import lifecycle
from cases.casework.lifecycle import CaseRefused
from cases.language import texts
from cases.language.keywords import clean
from cases.province.catalog import CATALOG
from cases.store.models import Agency

FUZZY_SCORE = 80
"""How close (0–100) a typed name must be to an agency's name to count as it."""
LIST_PARTS = texts.TEMPLATES[texts.STAFF_AGENCIES].parts


def folded(text: str) -> str:
    """``text`` compared loosely: Thai digits and keypad slips mended, case, spaces, dots and
    hyphens dropped (``กปภ. ลำพูน`` = ``กปภ.ลำพูน`` = ``กปภลำพูน``)."""
    return re.sub(r"[\s.\-_/()]", "", clean(text).lower())


def names_of(agency: Agency) -> set[str]:
    """Every name ``agency`` may be called by, folded."""
    names = (agency.code, agency.name_th, agency.name_en, agency.short_name_th, agency.short_name_en)
    return {folded(name) for name in names if name and folded(name)}


def find(text: str) -> Agency:
    """The agency ``text`` names: its code, else one name (full or short, Thai or English)
    equal to it, else the only one whose name starts with or contains it, else the only
    closest name within FUZZY_SCORE; CaseRefused (with the hint to send AGENCIES) otherwise."""
    wanted = folded(text)
    first = clean(text).split(" ")[0] if text.strip() else ""
    agencies = sorted(CATALOG.now().agencies.values(), key=lambda agency: agency.code)
    if first:
        try:
            return lifecycle.find_agency(first)
        except CaseRefused:
            pass
    if wanted:
        for test in (lambda name: name == wanted, lambda name: name.startswith(wanted), lambda name: wanted in name):
            found = [agency for agency in agencies if any(test(name) for name in names_of(agency))]
            if len(found) == 1:
                return found[0]
            if found:
                break  # several match: ask for more of the name
        scores = sorted(((max(fuzz.ratio(wanted, name) for name in names_of(agency)), agency) for agency in agencies),
                        key=lambda pair: -pair[0])
        if scores and scores[0][0] >= FUZZY_SCORE and (len(scores) == 1 or scores[1][0] < scores[0][0]):
            return scores[0][1]
    raise CaseRefused(texts.STAFF_UNKNOWN_AGENCY, code=text.strip() or "-")


def breadth(agency: Agency) -> int:
    """0 for an agency routed to anywhere in the province, 1 a district, 2 a subdistrict,
    3 a village, 4 none: the agencies most cases can be forwarded to come first."""
    areas = [area for (_, area), code in CATALOG.now().rules.items() if code == agency.code]
    if not areas:
        return 4
    return min(0 if area == "*" else {4: 1, 6: 2}.get(len(area), 3) for area in areas)


def listing(language: str, rest: str = "") -> tuple[str, dict]:
    """``AGENCIES [words]``: the agencies (those whose name, or the name of a type routed to
    them, holds the words: ``หน่วยงาน ไฟฟ้า``), the widest first, as "code name" over at most
    LIST_PARTS SMS; words that match none are answered so (not with the whole list)."""
    agencies = sorted(CATALOG.now().agencies.values(), key=lambda agency: (breadth(agency), agency.code))
    wanted = folded(rest)
    if wanted:
        agencies = [agency for agency in agencies if any(wanted in name for name in names_of(agency) | handles(agency))]
        if not agencies:
            return texts.STAFF_UNKNOWN_AGENCY, {"code": rest.strip()}
    items = ", ".join(f"{agency.code} {short_name(agency, language)}" for agency in agencies)
    return texts.STAFF_AGENCIES, {"items": items}


def handles(agency: Agency) -> set[str]:
    """The names (folded) of the types routed to ``agency`` anywhere."""
    codes = {category for (category, _), code in CATALOG.now().rules.items() if code == agency.code}
    categories = (CATALOG.category(code) for code in codes)
    return {folded(name) for category in categories if category for name in (category.name_th, category.name_en)}


def short_name(agency: Agency, language: str) -> str:
    """The agency's short name in ``language`` if it has one, else its name."""
    return getattr(agency, f"short_name_{language}", None) or texts.localized(agency, language)
