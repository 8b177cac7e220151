"""Fixtures in the style of Flask's tutorial (app, client, runner) over real parts:
a real redis-server, a SQLite file per test, rq workers in burst mode."""
from __future__ import annotations

import os

import pytest
from rq import SimpleWorker

from cases import models
from sms_gateway import create_app
from workers import queue

from .redis_server import RedisServer


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(tmp_path, redis_server):
    if redis_server.process is None:  # a test stopped it and failed before starting it again
        redis_server.start()
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
            "REDIS_URL": redis_server.url,
            "SECRET_KEY": "test",
            "SMS_BACKEND": "console",
            "SMS_RETRY_INTERVALS": [0, 0, 0],
        }
    )
    queue.connection().flushdb()
    models.create_tables()
    yield app
    models.database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def run_worker() -> None:
    """Run one rq worker with the scheduler until the queue is empty (in this process)."""
    worker = SimpleWorker([queue.get_queue()], connection=queue.connection())
    worker.work(burst=True, with_scheduler=True)


@pytest.fixture
def work(app):
    """Call ``work()`` to let a real rq worker process everything queued."""
    return run_worker
