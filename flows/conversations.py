"""Unfinished conversations of SMS phones, kept in the database (a draft survives a
Redis outage) and forgotten after a day of silence."""
from __future__ import annotations

import datetime as dt

from cases.models import Conversation, utcnow

DRAFT_TTL = dt.timedelta(hours=24)
"""A draft left alone this long is dropped without harm."""


def load(key: str) -> dict | None:
    """The state kept under ``key``, or None (also when it expired)."""
    return load_timed(key)[0]


def load_timed(key: str) -> tuple[dict | None, dt.datetime | None]:
    """The state kept under ``key`` and when it was last written; (None, None) when there is
    none (also when it expired)."""
    row = Conversation.get_or_none(Conversation.key == key)
    if row is None:
        return None, None
    if row.updated_at < utcnow() - DRAFT_TTL:
        row.delete_instance()
        return None, None
    return row.state, row.updated_at


def save(key: str, phone: str, state: dict | None, had: bool = True) -> None:
    """Keep ``state`` under ``key`` (one upsert); None forgets it (``had`` False: there was
    nothing to forget, no statement is needed)."""
    if state is None:
        if had:
            Conversation.delete().where(Conversation.key == key).execute()
        return
    now = utcnow()
    Conversation.insert(key=key, phone=phone, state=state, updated_at=now).on_conflict(
        conflict_target=[Conversation.key], update={Conversation.state: state, Conversation.updated_at: now}
    ).execute()


def purge_expired(now: dt.datetime | None = None) -> int:
    """Forget every draft older than DRAFT_TTL; returns how many."""
    now = now or utcnow()
    return Conversation.delete().where(Conversation.updated_at < now - DRAFT_TTL).execute()
