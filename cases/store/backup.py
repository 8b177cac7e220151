"""A consistent copy of the whole database while the service runs, and putting one back.

SQLite: the online backup API (``sqlite3.Connection.backup``) in one step — one read
transaction, so the copy is the database as of one moment while the web app and the workers
go on writing (WAL lets them). PostgreSQL: ``pg_dump`` in its custom format (one snapshot,
no lock that stops writers) and ``pg_restore``.
"""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from cases.store import models
from cases.store.models import database


class BackupError(RuntimeError):
    """The copy could not be made or put back (the message says why and what to do)."""


class NotEmpty(BackupError):
    """A restore onto a database that holds data, without ``force``."""


def kind(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a ``DATABASE_URL``."""
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "postgresql"):
        return "postgresql"
    raise BackupError(f"backup knows SQLite and PostgreSQL, not {scheme!r}")


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///…`` URL."""
    rest = url.split(":", 1)[1]
    path = rest[len("///"):] if rest.startswith("///") else rest
    if not path or path.startswith(":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(path.split("?", 1)[0])


def libpq_url(url: str) -> str:
    """A peewee PostgreSQL URL as libpq reads it (no ``+pool``)."""
    scheme, rest = url.split(":", 1)
    return "postgresql:" + rest if scheme.split("+", 1)[0] in ("postgres", "postgresql") else url


def tool(name: str) -> str:
    """The path of a PostgreSQL client program: on PATH, else Debian's newest server folder."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: apt-get install "
                          f"postgresql-client, the server's major version or newer) or put {name} on PATH")
    return found


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database named by ``url`` to ``target`` (replaced only once
    the copy is whole)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if kind(url) == "sqlite":
        source_path = sqlite_path(url)
        if not source_path.exists():
            raise BackupError(f"no database at {source_path}")
        source = sqlite3.connect(source_path, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # all pages in one step: one snapshot, writers go on (WAL)
        finally:
            copy.close()
            source.close()
    else:
        _run([tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), libpq_url(url)])
    os.replace(partial, target)
    return target


def restore(url: str, source: Path, force: bool = False) -> None:
    """Put the copy ``source`` back into the database named by ``url``; a database holding data
    is refused (``NotEmpty``) unless ``force``, and then replaced whole."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if not force and holds_data():
        raise NotEmpty("the database holds data: restoring would replace it. Stop the service, take a backup "
                       "of it (rongrian backup FILE) and run restore again with --force")
    database.close()
    if kind(url) == "sqlite":
        _restore_sqlite(source, sqlite_path(url))
    else:
        _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", libpq_url(url), str(source)])


def _restore_sqlite(source: Path, target: Path) -> None:
    copy = sqlite3.connect(source)
    if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        copy.close()
        raise BackupError(f"{source} is not a whole SQLite database")
    live = sqlite3.connect(target, timeout=30)
    try:
        copy.backup(live)  # page by page into the live file, under its write lock
    finally:
        live.close()
        copy.close()


def holds_data() -> bool:
    """Whether any table of the service has a row."""
    with database.connection_context():
        present = set(database.get_tables())
        return any(model.select().exists() for model in models.MODELS if model._meta.table_name in present)


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"{command[0]} could not run: {error}") from error
    if done.returncode != 0:
        raise BackupError(f"{os.path.basename(command[0])} failed: {done.stderr.strip()[-500:]}")
