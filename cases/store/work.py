"""One unit of work: a transaction, and the follow-up work it caused, handed on only after
the commit (dropped on rollback).

Domain functions call ``later()`` for work that must wait for the commit (send an SMS,
route a case); whoever opens the unit (a web request, a job, a CLI command) passes the
function that hands it on (``workers.dispatch.Dispatcher.enqueue``). If that fails (Redis
down), the rows are still in the database in a state the periodic sweep looks for.

The write lock is decided once, where the database is bound (``models.bind_database``):
SQLite transactions ``BEGIN IMMEDIATE`` with a busy timeout, so no transaction ever has to
upgrade a read lock to a write lock (the "database is locked" error); PostgreSQL runs the
same code under its row locks.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Iterator

from peewee import SqliteDatabase

from cases.store.models import database


class Kind(str, Enum):
    """What a piece of follow-up work does (the dispatcher maps each to an rq job)."""

    SEND_SMS = "send_sms"  # an outbox row id to send now
    SEND_SMS_LATER = "send_sms_later"  # an outbox row id to send at its ``send_after``
    ROUTE_CASE = "route_case"  # a new case id to route and notify
    HANDLE_INBOUND = "handle_inbound"  # an inbound message id that still needs an answer


@dataclass(frozen=True)
class FollowUp:
    """One piece of work asked for inside a unit of work."""

    kind: Kind
    object_id: int
    priority: int = 0  # for SMS: the outbox row's priority (0 = a conversation reply)
    new: bool = False  # the object was made in this unit of work: no job for it can wait yet


Enqueue = Callable[[list[FollowUp]], object]
"""Hands committed follow-up work to the queue."""

_collected: ContextVar[list[FollowUp] | None] = ContextVar("rongrian_follow_ups", default=None)


class NoUnitOfWork(RuntimeError):
    """``later()`` was called outside ``unit_of_work()``: the work would be lost."""


def later(kind: Kind, object_id: int, priority: int = 0, new: bool = False) -> None:
    """Ask for ``kind`` work on ``object_id`` once the current unit of work commits; ``new``
    when the object was made in this unit (the dispatcher need not look for its job)."""
    collected = _collected.get()
    if collected is None:
        raise NoUnitOfWork(f"{kind.value} {object_id} asked for outside a unit of work")
    collected.append(FollowUp(kind, object_id, priority, new))


@contextmanager
def unit_of_work(enqueue: Enqueue | None) -> Iterator[None]:
    """A transaction; the follow-up work it asked for goes to ``enqueue`` after the commit.

    Nested inside another unit it is a savepoint and its work joins the outer unit's.
    ``enqueue`` None leaves the work to the sweep (or to a caller that does it itself).
    """
    if _collected.get() is not None:
        with database.atomic():
            yield
        return
    token = _collected.set([])
    try:
        with database.atomic():
            yield
        follow_ups = _collected.get()
    finally:
        _collected.reset(token)
    if follow_ups and enqueue is not None:
        enqueue(follow_ups)


@contextmanager
def statement() -> Iterator[None]:
    """One write on its own, with no follow-up work: outside a transaction it commits by
    itself (no BEGIN and COMMIT around it); inside one it is a savepoint, so that a refused
    write (a duplicate key) leaves the outer transaction usable."""
    if database.in_transaction():
        with database.atomic():
            yield
    else:
        yield


def locked(query):
    """``query`` that locks the rows it reads until the unit of work ends: ``FOR UPDATE`` where
    the database has row locks; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock."""
    return query if isinstance(database.obj, SqliteDatabase) else query.for_update()


def lock(query) -> None:
    """Lock the rows ``query`` names until the unit of work ends, before anything else is
    written (so two units never wait on each other's rows); nothing to do on SQLite, whose
    ``BEGIN IMMEDIATE`` already holds the write lock."""
    if not isinstance(database.obj, SqliteDatabase):
        list(query.for_update())
