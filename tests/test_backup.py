"""`rongrian backup FILE` while cases keep being written, and `rongrian restore FILE` into an
empty database: every case the backup saw is back, whole (SQLite; PostgreSQL through
pg_dump / pg_restore when TEST_DATABASE_URL points at one)."""
from __future__ import annotations

import os
import threading
import time
import uuid

import psycopg2
import pytest

from cases.store import backup, models, schema
from cases.store.models import Case, CaseEvent
from rongrian import create_app

from .test_migrations import config


class Burst(threading.Thread):
    """Files cases one transaction each (the case and its first event) until stopped; the ids
    committed so far in ``committed``."""

    def __init__(self):
        super().__init__(daemon=True)
        self.committed: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                with models.database.atomic():
                    case = Case.create(reference=f"{len(self.committed) + 1:08d}", category="road", village="51010103",
                                       description="ถนนเป็นหลุม", reporter_phone="+66812345678")
                    CaseEvent.create(case=case, actor="system", kind="filed")
                self.committed.append(case.id)
        except BaseException as error:  # noqa: BLE001 (shown by the test)
            self.error = error
        finally:
            models.database.close()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.committed) < count and time.monotonic() < deadline and self.error is None:
            time.sleep(0.01)
        assert len(self.committed) >= count, self.error


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a second, empty database of the same kind as the test one."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"rongrian_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(url)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    admin.close()


def test_backup_during_a_burst_restores_every_case_it_saw(app, demo, runner, tmp_path, empty_database, redis_server):
    copy = tmp_path / "copies" / "rongrian.backup"
    burst = Burst()
    burst.start()
    burst.wait_for(20)
    before = len(burst.committed)
    result = runner.invoke(args=["backup", str(copy)])
    after = len(burst.committed)
    burst.wait_for(after + 20)  # the burst went on after the copy
    burst.stop.set()
    burst.join()
    assert burst.error is None
    assert result.exit_code == 0, result.output
    assert copy.is_file() and f"schema version {schema.CURRENT}" in result.output
    written = len(burst.committed)
    assert written >= after + 20

    restored = create_app(config(empty_database, redis_server.url), check_schema=False)
    done = restored.test_cli_runner().invoke(args=["restore", str(copy)])
    assert done.exit_code == 0, done.output
    with restored.app_context():
        saw = [case.id for case in Case.select(Case.id).order_by(Case.id)]
        events = {event.case_id for event in CaseEvent.select(CaseEvent.case)}
        assert schema.version() == schema.CURRENT
        assert models.District.select().count() == 8  # the directory came along
    models.database.close()
    assert saw == burst.committed[:len(saw)]  # a prefix of the burst: no gap, nothing out of order
    assert before <= len(saw) <= after + 1  # every case committed before it started, none after it ended
    assert set(saw) <= events  # each case with its first event: one transaction, all or nothing


def test_restore_refuses_a_database_that_holds_data_without_force(app, demo, runner, tmp_path):
    copy = tmp_path / "copy.backup"
    assert runner.invoke(args=["backup", str(copy)]).exit_code == 0
    models.District.update(name_en="changed after the backup").execute()
    refused = runner.invoke(args=["restore", str(copy)])
    assert refused.exit_code != 0 and "holds data" in refused.output and "--force" in refused.output
    assert models.District.select().where(models.District.name_en == "changed after the backup").count() == 8
    forced = runner.invoke(args=["restore", str(copy), "--force"])
    assert forced.exit_code == 0, forced.output
    assert models.District.select().where(models.District.name_en == "changed after the backup").count() == 0
    assert models.District.select().count() == 8


def test_postgresql_without_pg_dump_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    with pytest.raises(backup.BackupError, match="pg_dump not found: install the PostgreSQL client"):
        backup.backup("postgresql://rongrian@127.0.0.1:5432/rongrian", tmp_path / "x.backup")
    assert not list(tmp_path.iterdir())
