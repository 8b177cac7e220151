"""Versioned migrations: a database of the previous release (a committed SQL fixture: its
schema and rows, made by that release's own code) is brought to this version by `rongrian
migrate` with every row intact; the app and the worker refuse a database at another version."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import peewee as pw
import pytest

from cases.store import models, schema
from rongrian import create_app

V0 = Path(__file__).parent / "data" / "schema_v0"


def statements(name: str) -> list[str]:
    """The fixture's statements (one a line, ``--`` comments skipped)."""
    lines = (V0 / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("--")]


def table_order() -> list[pw.Model]:
    return [*models.MODELS, schema.SchemaVersion]


def config(url: str, redis_url: str) -> dict:
    return {"TESTING": True, "DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "test", "SMS_BACKEND": "console"}


@pytest.fixture
def database_url(tmp_path):
    """A database of its own for this test: a SQLite file, or the PostgreSQL test database
    emptied (left at this code's version for the tests after)."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'old.db'}"
    db = models.bind_database(url)
    shared = not isinstance(db, pw.SqliteDatabase)
    if shared:
        db.drop_tables(table_order(), cascade=True)
    yield url
    if shared:
        db.drop_tables(table_order(), cascade=True)
        schema.create_tables()
    db.close()


def load_previous_release(url: str) -> None:
    """The previous release's schema (its DDL for this kind of database) and its rows."""
    db = models.database
    ddl = "schema.sqlite.sql" if isinstance(db.obj, pw.SqliteDatabase) else "schema.postgresql.sql"
    with db.atomic():
        for sql in statements(ddl) + statements("data.sql"):
            db.execute_sql(sql)
        if not isinstance(db.obj, pw.SqliteDatabase):  # rows came with their ids: sequences follow
            for model in models.MODELS:
                if model._meta.primary_key.name == "id" and isinstance(model._meta.primary_key, pw.AutoField):
                    table = model._meta.table_name
                    db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                   f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))")


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table of the service, in primary-key order, as the database gives it."""
    rows = {}
    for model in models.MODELS:
        table, key = model._meta.table_name, model._meta.primary_key.column_name
        columns = ", ".join(f'"{field.column_name}"' for field in model._meta.sorted_fields)
        rows[table] = [tuple(row) for row in models.database.execute_sql(
            f'SELECT {columns} FROM "{table}" ORDER BY "{key}"').fetchall()]
    return rows


def declared_indexes(model) -> dict[str, bool]:
    """Index name → unique, as the model declares them (what a new database gets)."""
    return {index._name: bool(index._unique) for index in model._meta.fields_to_index()}


def test_previous_release_is_migrated_with_every_row_intact(database_url, redis_server):
    load_previous_release(database_url)
    before = every_row()
    inserted = {}
    for sql in statements("data.sql"):
        table = sql.split('"', 2)[1]
        inserted[table] = inserted.get(table, 0) + 1
    assert {table: len(rows) for table, rows in before.items() if rows} == inserted
    assert len(before["case"]) >= 3 and len(before["outbox"]) >= 5 and len(before["inbound_message"]) >= 10
    assert schema.version() == 0

    with pytest.raises(schema.SchemaMismatch, match="rongrian migrate"):
        create_app(config(database_url, redis_server.url))  # the old database refuses the new code

    runner = create_app(config(database_url, redis_server.url), check_schema=False).test_cli_runner()
    shown = runner.invoke(args=["migrate", "--show"])
    assert "schema version 0" in shown.output and "pending 1: outbox" in shown.output
    assert schema.version() == 0  # --show changes nothing
    result = runner.invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert "migrated to 1" in result.output

    assert schema.version() == schema.CURRENT
    assert every_row() == before
    for model in models.MODELS:  # the same tables as a database made new at this version
        table = model._meta.table_name
        assert [c.name for c in models.database.get_columns(table)] == [f.column_name for f in model._meta.sorted_fields]
        present = {index.name: index.unique for index in models.database.get_indexes(table)
                   if not index.name.endswith("_pkey") and not index.name.startswith("sqlite_autoindex")}
        assert present == declared_indexes(model), table
    create_app(config(database_url, redis_server.url))  # starts now
    again = runner.invoke(args=["migrate"])
    assert again.exit_code == 0 and "migrated to" not in again.output


def test_step_one_keeps_one_row_per_provider_id(database_url, redis_server):
    load_previous_release(database_url)
    sent = models.Outbox.select().where(models.Outbox.provider_id.is_null(False)).order_by(models.Outbox.id).first()
    copy = models.Outbox.create(phone=sent.phone, body=sent.body, status=models.OutboxStatus.SENT,
                                provider=sent.provider, provider_id=sent.provider_id)  # an abandoned send settled by it
    schema.migrate_up()
    assert models.Outbox.get_by_id(sent.id).provider_id == sent.provider_id
    cleared = models.Outbox.get_by_id(copy.id)
    assert cleared.provider_id is None and f"SMS {sent.id}" in cleared.error
    with pytest.raises(pw.IntegrityError):
        with models.database.atomic():
            models.Outbox.create(phone=sent.phone, body="x", provider=sent.provider, provider_id=sent.provider_id)


def test_new_database_is_made_at_this_version(database_url, redis_server):
    runner = create_app(config(database_url, redis_server.url), check_schema=False).test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and f"schema version {schema.CURRENT}" in result.output
    assert schema.version() == schema.CURRENT and schema.pending(schema.version()) == []
    assert "nothing pending" in runner.invoke(args=["migrate", "--show"]).output


def test_app_and_worker_refuse_a_database_one_version_ahead(database_url, redis_server):
    schema.create_tables()
    schema.SchemaVersion.update(version=schema.CURRENT + 1).execute()
    with pytest.raises(schema.SchemaMismatch, match=f"schema version {schema.CURRENT + 1}, newer than this code"):
        create_app(config(database_url, redis_server.url))
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_server.url}
    rongrian = [sys.executable, "-c", "from rongrian import main; main()"]
    for command in (["worker", "--burst"], ["run", "--port", "0"]):
        done = subprocess.run(rongrian + command, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert "rongrian: refused to start: the database is at schema version" in done.stderr
        assert "newer than this code" in done.stderr and "rongrian restore FILE" in done.stderr
    shown = subprocess.run(rongrian + ["migrate", "--show"], env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "NEWER than this code" in shown.stdout
    refused = subprocess.run(rongrian + ["migrate"], env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "newer than this code" in refused.stderr
    assert schema.version() == schema.CURRENT + 1  # nothing ran
