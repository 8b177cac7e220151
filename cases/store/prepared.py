"""Statements of the hot path built by peewee once per kind of database, then run with new
values: building a query costs more CPU than running it on the database (issue 8).

A statement is written as an ordinary peewee query whose changing values are ``slot(name)``;
``Prepared.execute(name=value, ...)`` runs its SQL with those values (database values:
what a field's ``db_value`` gives, which the caller converts).
"""
from __future__ import annotations

from typing import Callable

import peewee as pw

from cases.store.models import database


class Slot:
    """A named parameter of a prepared statement."""

    def __init__(self, name: str):
        self.name = name


def slot(name: str) -> pw.Value:
    """A parameter filled at each run (no field conversion at build time)."""
    return pw.Value(Slot(name), converter=False)


class Prepared:
    """``build()`` gives the query; its SQL is kept per kind of database."""

    def __init__(self, build: Callable[[], pw.Node]):
        self.build = build
        self._built: dict[tuple, tuple[str, list]] = {}

    def sql(self) -> tuple[str, list]:
        """The statement's SQL for the bound database, and its parameters (Slots among them)."""
        db = database.obj
        kind = (type(db), db.param)
        if kind not in self._built:
            self._built[kind] = db.get_sql_context().sql(self.build()).query()
        return self._built[kind]

    def execute(self, **values):
        """Run the statement with ``values`` for its slots; the database cursor."""
        sql, params = self.sql()
        return database.execute_sql(sql, [values[p.name] if isinstance(p, Slot) else p for p in params])

    def first(self, model: type[pw.Model], **values) -> pw.Model | None:
        """Run a ``model.select()`` statement; its first row as a ``model`` (None: no row)."""
        row = self.execute(**values).fetchone()
        if row is None:
            return None
        found = model(__no_default__=1, **{
            field.name: field.python_value(value) for field, value in zip(model._meta.sorted_fields, row)
        })
        found._dirty.clear()
        return found
