"""The directory in process memory: read by every message, changed only by a directory load.

Categories, districts, subdistricts, villages, agencies, routing rules, staff and village
heads are kept as model rows linked to each other (``village.subdistrict.district`` costs no
query). A load writes a new token to ``DirectoryVersion``; each process looks at it at most
every CHECK_EVERY seconds and reads the directory again when it changed (or when the models
were bound to another database).
"""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from cases.store.models import (
    Agency, Category, DirectoryVersion, District, RoutingRule, Staff, Subdistrict, Village, VillageHead, database,
)

CHECK_EVERY = 2.0
"""Seconds between looks at the directory's version (another process may have loaded one)."""
T = TypeVar("T")


@dataclass
class Snapshot:
    """One reading of the whole directory."""

    categories: list[Category] = field(default_factory=list)
    districts: list[District] = field(default_factory=list)
    subdistricts: dict[str, Subdistrict] = field(default_factory=dict)
    villages: dict[str, Village] = field(default_factory=dict)
    villages_in: dict[str, list[Village]] = field(default_factory=dict)  # by subdistrict
    agencies: dict[str, Agency] = field(default_factory=dict)
    rules: dict[tuple[str, str], str] = field(default_factory=dict)  # (category, area) → agency code
    staff: dict[str, Staff] = field(default_factory=dict)
    heads: dict[str, VillageHead] = field(default_factory=dict)

    @classmethod
    def read(cls) -> "Snapshot":
        found = cls()
        found.categories = list(Category.select().order_by(Category.position))
        found.districts = list(District.select().order_by(District.code))
        districts = {district.code: district for district in found.districts}
        for sub in Subdistrict.select().order_by(Subdistrict.code):
            sub.district = districts[sub.district_id]
            found.subdistricts[sub.code] = sub
        for village in Village.select().order_by(Village.code):
            village.subdistrict = found.subdistricts[village.subdistrict_id]
            found.villages[village.code] = village
            found.villages_in.setdefault(village.subdistrict_id, []).append(village)
        found.agencies = {agency.code: agency for agency in Agency.select()}
        found.rules = {(rule.category_id, rule.area_code): rule.agency_id for rule in RoutingRule.select()}
        for member in Staff.select():
            member.agency = found.agencies[member.agency_id]
            found.staff[member.phone] = member
        for head in VillageHead.select():
            head.village = found.villages[head.village_id]
            found.heads[head.phone] = head
        return found


def new_version() -> str:
    """Mark the directory changed (inside the load's transaction): every process reads it anew."""
    token = uuid.uuid4().hex
    DirectoryVersion.insert(id=1, version=token).on_conflict(
        conflict_target=[DirectoryVersion.id], update={DirectoryVersion.version: token}
    ).execute()
    return token


class Catalog:
    """The directory as this process last read it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._snapshot = Snapshot()
        self._source = None  # (database object, version) the snapshot was read from
        self._checked = 0.0

    def forget(self) -> None:
        """Read the directory again on next use (this process just changed it)."""
        with self._lock:
            self._source, self._checked = None, 0.0

    def now(self) -> Snapshot:
        """The current directory (read again when it changed since the last look)."""
        clock = time.monotonic()
        if self._source is not None and self._source[0] is database.obj and clock - self._checked < CHECK_EVERY:
            return self._snapshot
        with self._lock:
            row = DirectoryVersion.get_or_none(DirectoryVersion.id == 1)
            source = (database.obj, row.version if row else None)
            if source != self._source:
                self._snapshot, self._source = Snapshot.read(), source
            self._checked = clock
            return self._snapshot

    # --- lookups ------------------------------------------------------------------------

    def categories(self) -> list[Category]:
        """Every type, in menu order."""
        return self.now().categories

    def category(self, code: str) -> Category | None:
        return next((category for category in self.now().categories if category.code == code), None)

    def category_at(self, position: int) -> Category | None:
        """The type with menu number ``position``."""
        return next((category for category in self.now().categories if category.position == position), None)

    def districts(self) -> list[District]:
        return self.now().districts

    def subdistricts(self, district: str | None = None) -> list[Subdistrict]:
        """Every subdistrict (of ``district``), by code."""
        subs = self.now().subdistricts.values()
        return [sub for sub in subs if district is None or sub.district_id == district]

    def subdistrict(self, code: str) -> Subdistrict | None:
        return self.now().subdistricts.get(code)

    def villages(self) -> list[Village]:
        return list(self.now().villages.values())

    def village(self, code: str) -> Village | None:
        return self.now().villages.get(code)

    def villages_in(self, subdistrict: str) -> list[Village]:
        """The villages of ``subdistrict``, by code."""
        return self.now().villages_in.get(subdistrict, [])

    def agency(self, code: str) -> Agency | None:
        return self.now().agencies.get(code)

    def rule(self, category: str, area: str) -> Agency | None:
        """The agency of the routing rule for ``category`` in ``area`` exactly, or None."""
        snapshot = self.now()
        code = snapshot.rules.get((category, area))
        return snapshot.agencies.get(code) if code else None

    def staff(self, phone: str) -> Staff | None:
        return self.now().staff.get(phone)

    def staff_of(self, agency: str) -> list[Staff]:
        """The staff of ``agency``, by phone."""
        return sorted((member for member in self.now().staff.values() if member.agency_id == agency),
                      key=lambda member: member.phone)

    def head(self, phone: str) -> VillageHead | None:
        return self.now().heads.get(phone)

    def example_place(self) -> dict:
        """How a citizen would type a place of the loaded directory, for a question's example:
        the first subdistrict with villages and the moo of its first village (``{"th", "en"}``)."""
        snapshot = self.now()
        for code, villages in snapshot.villages_in.items():
            sub, moo = snapshot.subdistricts[code], villages[0].moo
            return {"th": f"{sub.name_th} {moo}", "en": f"{sub.name_en} {moo}"}
        return {"th": "-", "en": "-"}


CATALOG = Catalog()


def per_snapshot(build: Callable[[Snapshot], T]) -> Callable[[], T]:
    """``build`` applied to the directory in memory, built again only when a load changed it
    (for indexes derived from the directory: names, words)."""
    cached: tuple[Snapshot, T] | None = None
    lock = threading.Lock()

    def current() -> T:
        nonlocal cached
        snapshot = CATALOG.now()
        found = cached
        if found is not None and found[0] is snapshot:
            return found[1]
        with lock:
            built = build(snapshot)
            cached = (snapshot, built)
            return built

    current.__doc__ = build.__doc__
    return current
"""This process's copy of the directory."""
