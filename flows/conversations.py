"""Unfinished conversations of SMS phones, kept in the database (a draft survives a
Redis outage) and forgotten after a day of silence."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from cases.casework import duplicates
from cases.store.models import Case, Contact, Conversation, utcnow
from cases.store.prepared import Prepared, slot

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


@dataclass
class Look:
    """What one inbound SMS needs to know of its phone, read in one statement."""

    contact: Contact  # its row, or an unsaved one with the defaults
    state: dict | None  # its unfinished draft, None when there is none (or it expired)
    updated_at: dt.datetime | None  # when the draft was last written
    filed_today: int | None  # reports it filed in 24 h, counted only when it has no draft


_CONTACT = Contact._meta.sorted_fields


def _look() -> pw.Query:
    me = pw.Select(columns=[slot("phone").alias("phone")]).alias("me")
    count = duplicates.filed_since_query(me.c.phone, slot("counted_since"))
    return pw.Select(
        from_list=[me],
        columns=[*_CONTACT, Conversation.state, Conversation.updated_at,
                 pw.Case(None, [(Conversation.key.is_null(), count)], None)],
    ).join(Contact, pw.JOIN.LEFT_OUTER, on=(Contact.phone == me.c.phone)).join(
        Conversation, pw.JOIN.LEFT_OUTER, on=(Conversation.key == slot("key")) & (Conversation.updated_at >= slot("fresh_since")),
    )


LOOK = Prepared(_look)


def look(key: str, phone: str, now: dt.datetime | None = None) -> Look:
    """The phone's contact row, its draft under ``key`` and, when it has no draft, the
    reports it filed today: one SELECT (the phone joined to both rows, the count a subquery
    the database runs only when no draft was found)."""
    now = now or utcnow()
    row = LOOK.execute(
        phone=phone, key=key, fresh_since=Conversation.updated_at.db_value(now - DRAFT_TTL),
        counted_since=Case.created_at.db_value(now - duplicates.DAY),
    ).fetchone()
    stored, (state, updated_at, filed) = row[:len(_CONTACT)], row[len(_CONTACT):]
    if stored[0] is None:  # no row yet: the defaults (written when something must be remembered)
        contact = Contact(phone=phone)
    else:
        contact = Contact(**{field.name: field.python_value(value) for field, value in zip(_CONTACT, stored)})
    return Look(contact, Conversation.state.python_value(state), Conversation.updated_at.python_value(updated_at), filed)


SAVE = Prepared(lambda: Conversation.insert(
    key=slot("key"), phone=slot("phone"), state=slot("state"), updated_at=slot("updated_at"),
).on_conflict(conflict_target=[Conversation.key],
              update={Conversation.state: pw.EXCLUDED.state, Conversation.updated_at: pw.EXCLUDED.updated_at}))


def save(key: str, phone: str, state: dict | None, had: bool = True) -> None:
    """Keep ``state`` under ``key`` (one upsert); None forgets it (``had`` False: there was
    nothing to forget, no statement is needed)."""
    if state is None:
        if had:
            Conversation.delete().where(Conversation.key == key).execute()
        return
    SAVE.execute(key=key, phone=phone, state=Conversation.state.db_value(state),
                 updated_at=Conversation.updated_at.db_value(utcnow()))


def purge_expired(now: dt.datetime | None = None) -> int:
    """Forget every draft older than DRAFT_TTL; returns how many."""
    now = now or utcnow()
    return Conversation.delete().where(Conversation.updated_at < now - DRAFT_TTL).execute()
