"""Routing: which agency takes a case. Rules are data (routing.csv → RoutingRule)."""
from __future__ import annotations

import datetime as dt

from cases.casework import duplicates, events, lifecycle, notify
from cases.province.catalog import CATALOG
from cases.store.models import PROVINCE_AGENCY, Agency, Case, CaseStatus, utcnow


def area_codes(village) -> list[str]:
    """Areas from the most specific to the least: village, subdistrict, district, '*'."""
    subdistrict = village.subdistrict_id
    return [village.code, subdistrict, subdistrict[:4], "*"]


def find_agency(category_code: str, village) -> Agency | None:
    """The agency of the most specific rule for this category and village, or None."""
    for area in area_codes(village):
        agency = CATALOG.rule(category_code, area)
        if agency is not None:
            return agency
    return None


def route_case(case_id: int) -> Case | None:
    """Record the new case as filed, assign it to its agency and tell the agency's staff; a
    no-op once routed."""
    case = Case.get_or_none(Case.id == case_id)
    if case is None or case.status != CaseStatus.NEW:
        return case
    case.category, case.village = CATALOG.category(case.category_id), CATALOG.village(case.village_id)
    agency = find_agency(case.category_id, case.village)
    unrouted = agency is None
    if unrouted:
        agency = CATALOG.agency(PROVINCE_AGENCY)
    if agency is None:
        raise LookupError(f"no rule for case {case.reference} and no '{PROVINCE_AGENCY}' agency")
    fields = {"status": CaseStatus.ASSIGNED, "agency": agency, "unrouted": unrouted, "assigned_at": utcnow()}
    claimed = Case.update(**fields).where((Case.id == case.id) & (Case.status == CaseStatus.NEW)).execute()
    if not claimed:  # another worker routed it meanwhile
        return Case.get_by_id(case.id)
    filed = lifecycle.filed(case)
    for name, value in fields.items():
        setattr(case, name, value)
    events.record_all([filed, events.event(case, "routed", agency=agency, note="no rule: province" if unrouted else "")])
    notify.staff_of_new_case(case)
    duplicates.check_surge(case, case.created_at)
    return case


def stale_case_ids(older_than: dt.datetime, limit: int = 1000) -> list[int]:
    """New cases filed before ``older_than`` that nobody routed (their job never ran), the
    oldest first."""
    query = Case.select(Case.id).where(
        (Case.status == CaseStatus.NEW) & (Case.created_at < older_than)
    ).order_by(Case.id).limit(limit)
    return [case.id for case in query]
