"""The schema's versions: the version a database is at (table ``schema_version``), the ordered
steps that bring it to this code's version, and the start-up check that refuses any other.

A fresh database is created at ``CURRENT`` straight from the models. A database made before
versions were recorded (tables, but no ``schema_version``) is at version 0. Each step runs in
its own transaction together with the version it reaches, so a step that fails leaves the
database at the version before it.

To change the schema: change the model, then append a ``Step`` (the next number) that does the
same to an existing database — ``add_columns(Model, "field")`` for a new column, any
``playhouse.migrate`` operation or SQL for the rest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import peewee as pw
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator, migrate

from cases.store import models
from cases.store.models import BaseModel, Outbox, database, utcnow

MIGRATE_COMMAND = "rongrian migrate"
"""What an operator runs to bring a database to this code's version."""


class SchemaVersion(BaseModel):
    """One row: the version of the schema this database is at (the last step it ran)."""

    id = pw.IntegerField(primary_key=True, default=1)
    version = pw.IntegerField()
    updated_at = pw.DateTimeField(default=utcnow)


class SchemaMismatch(RuntimeError):
    """The database is at another version than this code (the message says what to run)."""


@dataclass(frozen=True)
class Step:
    """One change of the schema: ``run(migrator)`` takes a database from ``version - 1`` to ``version``."""

    version: int
    name: str
    run: Callable[[SchemaMigrator], None]


def add_columns(model: type[pw.Model], *names: str) -> Callable[[SchemaMigrator], None]:
    """A step's ``run`` that adds the fields ``names`` of ``model`` as they are declared."""
    def run(migrator: SchemaMigrator) -> None:
        table = model._meta.table_name
        migrate(*(migrator.add_column(table, model._meta.fields[name].column_name, model._meta.fields[name])
                  for name in names))
    return run


def _one_outbox_row_per_provider_id(migrator: SchemaMigrator) -> None:
    """A delivery report names the provider's id of an SMS: it must settle exactly one row.
    Rows that share one (an abandoned send settled with another row's id) keep it on the first
    row only; the later ones lose it and say why in ``error``. Then the id becomes unique per
    provider, replacing the plain index on ``provider_id``."""
    shared = (Outbox.select(Outbox.provider, Outbox.provider_id, pw.fn.MIN(Outbox.id).alias("first"))
              .where(Outbox.provider_id.is_null(False))
              .group_by(Outbox.provider, Outbox.provider_id).having(pw.fn.COUNT(Outbox.id) > 1))
    for provider, provider_id, first in shared.tuples():
        Outbox.update(provider_id=None, error=f"shared provider id with SMS {first}; cleared by schema step 1").where(
            (Outbox.provider == provider) & (Outbox.provider_id == provider_id) & (Outbox.id != first)).execute()
    migrate(migrator.drop_index("outbox", "outbox_provider_id"),
            migrator.add_index("outbox", ("provider", "provider_id"), unique=True))


STEPS = [
    Step(1, "outbox: one SMS per provider id (unique provider, provider_id)", _one_outbox_row_per_provider_id),
]
"""Every change since version 0, in order; append only (never edit a released step)."""
CURRENT = STEPS[-1].version if STEPS else 0
"""The version this code's models are at."""


def migrator_for(db: pw.Database) -> SchemaMigrator:
    """playhouse.migrate's migrator for ``db``'s kind."""
    return SqliteMigrator(db) if isinstance(db, pw.SqliteDatabase) else PostgresqlMigrator(db)


def is_empty() -> bool:
    """Whether the database holds none of the tables."""
    tables = set(database.get_tables())
    return not tables & {model._meta.table_name for model in [*models.MODELS, SchemaVersion]}


def version() -> int | None:
    """The version the database is at: None when it is empty, 0 before versions were kept."""
    with database.connection_context():
        if is_empty():
            return None
        if SchemaVersion._meta.table_name not in database.get_tables():
            return 0
        row = SchemaVersion.get_or_none(SchemaVersion.id == 1)
        return row.version if row else 0


def pending(at: int | None) -> list[Step]:
    """The steps a database at version ``at`` still has to run (none for an empty one)."""
    return [] if at is None else [step for step in STEPS if step.version > at]


def create_tables() -> list[Step]:
    """``init-db``: an empty database gets every table, at ``CURRENT``; any other is migrated.
    The steps run (none for a new database)."""
    with database.connection_context():
        if is_empty():
            with database.atomic():
                database.create_tables([*models.MODELS, SchemaVersion], safe=True)  # two hosts at once: both fine
                _record(CURRENT)
            return []
    return migrate_up()


def migrate_up() -> list[Step]:
    """Run every pending step, each in a transaction with its new version; the steps run.
    Refuses (SchemaMismatch) a database newer than this code."""
    done = []
    with database.connection_context():
        if is_empty():
            return create_tables()
        database.create_tables([SchemaVersion], safe=True)
        while True:
            with database.atomic():
                at = _locked_version()
                if at > CURRENT:
                    raise SchemaMismatch(newer_message(at))
                todo = pending(at)
                if not todo:
                    return done
                todo[0].run(migrator_for(database.obj))
                _record(todo[0].version)
            done.append(todo[0])


def _locked_version() -> int:
    """The version, read under a lock that keeps a second ``migrate`` waiting till this step ends
    (SQLite's BEGIN IMMEDIATE already holds the write lock)."""
    query = SchemaVersion.select().where(SchemaVersion.id == 1)
    if not isinstance(database.obj, pw.SqliteDatabase):
        query = query.for_update()
    row = query.first()
    return row.version if row else 0


def _record(at: int) -> None:
    SchemaVersion.insert(id=1, version=at, updated_at=utcnow()).on_conflict(
        conflict_target=[SchemaVersion.id], update={SchemaVersion.version: at, SchemaVersion.updated_at: utcnow()}
    ).execute()


def newer_message(at: int) -> str:
    return (f"the database is at schema version {at}, newer than this code's {CURRENT}: run the code that "
            f"migrated it (upgrade this host), or restore the backup taken before that upgrade (rongrian restore FILE)")


def check() -> None:
    """Refuse (SchemaMismatch, naming the command to run) a database at another version than
    this code; an empty one passes (``rongrian init-db`` will create it)."""
    at = version()
    if at is None or at == CURRENT:
        return
    if at > CURRENT:
        raise SchemaMismatch(newer_message(at))
    raise SchemaMismatch(f"the database is at schema version {at}, this code needs {CURRENT}: "
                         f"take a backup (rongrian backup FILE), then run `{MIGRATE_COMMAND}`")
