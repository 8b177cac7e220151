"""Fixtures in the style of Flask's tutorial (app, client, runner) over real parts:
a real redis-server, a SQLite file per test (or TEST_DATABASE_URL, e.g. PostgreSQL),
rq workers in burst mode."""
from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from rq import Queue
from twilio.request_validator import RequestValidator

from cases.province import directory
from cases.store import models, schema
from rongrian import create_app
from rongrian.cli import DEMO_DIRECTORY
from web import init_services, services
from workers import admission, queue
from workers.worker import Worker

from .leakwatch import stop, watching
from .redis_server import RedisServer
from .standins.smsgate_api import PASSWORD, SIGNING_KEY, USERNAME, SmsGateAPI
from .standins.twilio_api import TwilioAPI


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def log_watch():
    """Every test: no log line (INFO and up) holds a whole phone number or a watched secret."""
    watch, level = watching()
    yield watch
    stop(watch, level)
    leaks = watch.leaked()
    assert not leaks, "log lines with a whole phone number or a secret:\n" + "\n".join(leaks[:5])


@pytest.fixture(autouse=True)
def quick_drains(monkeypatch):
    """A drain ends 50 ms after it found nothing, not 1.5 s (so the web trusts a drain it saw
    for 20 ms, not 1 s)."""
    monkeypatch.setattr(admission, "TRUST", 0.02)
    monkeypatch.setattr(admission, "LINGER", 0.05)


class ClosingClient(FlaskClient):
    """Flask's test client, closing each response as a real server does once it has sent it
    (``buffered=True``): what a view left for after the answer (``response.call_on_close``,
    e.g. the console's login SMS) has run when the test reads the response."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def app(tmp_path, redis_server):
    if redis_server.process is None:  # a test stopped it and failed before starting it again
        redis_server.start()
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}",
            "REDIS_URL": redis_server.url,
            "SECRET_KEY": "test",
            "SMS_BACKEND": "console",
            "SMS_RETRY_INTERVALS": [0, 0, 0],
            # every message answered in the webhook unless a test sets a budget: a test
            # client's back-to-back requests keep its one process busy all the time
            "INLINE_LATENCY_BUDGET": math.inf,
        }
    )
    app.test_client_class = ClosingClient
    services(app).connection.flushdb()
    if os.environ.get("TEST_DATABASE_URL"):
        empty_server_database()
    else:
        schema.create_tables()
    yield app
    models.database.close()


_server_tables: list[str] = []


def empty_server_database() -> None:
    """A shared server database: tables made anew once per run (the schema may have
    changed), then emptied before each test (much faster than dropping them)."""
    if not _server_tables:
        models.database.drop_tables([*models.MODELS, schema.SchemaVersion], cascade=True)
        schema.create_tables()
        _server_tables.extend(model._meta.table_name for model in models.MODELS)
        return
    names = ", ".join(f'"{name}"' for name in _server_tables)
    models.database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def run_worker(app) -> None:
    """Run one rq worker (the kind ``rongrian worker`` runs) with the scheduler until the
    queues are empty (in this process)."""
    found = services(app)
    connection = queue.connect(app.config["REDIS_URL"])
    Worker(queue.queues(connection), connection=connection, services=found).work(burst=True, with_scheduler=True)


class Work:
    """``work()`` lets a real rq worker process everything queued; ``work.enqueue(...)``
    puts a job on a queue first (the system queue unless named)."""

    def __init__(self, app):
        self.app = app

    def __call__(self) -> None:
        run_worker(self.app)

    def enqueue(self, func, *args, queue_name: str = queue.SYSTEM):
        return Queue(queue_name, connection=services(self.app).connection).enqueue(func, *args)


@pytest.fixture
def work(app):
    """Call ``work()`` to let a real rq worker process everything queued."""
    return Work(app)


TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "test-auth-token"
TWILIO_FROM = "+15005550006"
PUBLIC_BASE_URL = "https://rongrian.example.org"


@pytest.fixture
def twilio_api():
    """A local stand-in of Twilio's REST API that the real twilio client talks to."""

    api = TwilioAPI()
    api.server.start()
    yield api
    api.server.stop()


@pytest.fixture
def twilio_app(app, twilio_api):
    """The app with Twilio switched on: signatures checked, SMS sent to the stand-in."""
    app.config.update(
        SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=TWILIO_SID, TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_FROM_NUMBER=TWILIO_FROM, TWILIO_API_BASE=twilio_api.url, PUBLIC_BASE_URL=PUBLIC_BASE_URL,
    )
    init_services(app)
    return app


def twilio_signature(path: str, params: dict, token: str = TWILIO_TOKEN) -> str:
    """X-Twilio-Signature for a POST of ``params`` to PUBLIC_BASE_URL + ``path``."""

    return RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, params)


class Phone:
    """A citizen's (or staff member's) phone texting the Twilio number over signed webhooks."""

    _sids = iter(range(1, 10**9))

    def __init__(self, client, number: str):
        self.client, self.number = client, number

    def send(self, body: str, sid: str | None = None) -> str:
        """Text ``body``; return the reply's text (empty when the TwiML has no message)."""
        params = {"MessageSid": sid or f"SM{next(self._sids):032d}", "From": self.number, "To": TWILIO_FROM, "Body": body}
        response = self.client.post(
            "/twilio/sms", data=params, headers={"X-Twilio-Signature": twilio_signature("/twilio/sms", params)}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        message = ET.fromstring(response.data).find("Message")
        return message.text if message is not None else ""


@pytest.fixture
def demo(app):
    """The bundled Lamphun demo directory, loaded."""

    directory.load(DEMO_DIRECTORY)
    return DEMO_DIRECTORY


@pytest.fixture
def phone(twilio_app):
    """``phone("0812345678")`` gives a Phone that texts the app over signed Twilio webhooks."""
    client = twilio_app.test_client()
    return lambda number: Phone(client, number)


@pytest.fixture
def smsgate_api():
    """A local stand-in of SMS Gateway for Android's API that the real client talks to."""

    api = SmsGateAPI()
    api.server.start()
    yield api
    api.server.stop()


@pytest.fixture
def smsgate_app(app, smsgate_api):
    """The app with the Android gateway as its SMS backend; the stand-in posts its webhooks."""

    app.config.update(
        SMS_BACKEND="smsgate", SMSGATE_URL=smsgate_api.url, SMSGATE_USERNAME=USERNAME,
        SMSGATE_PASSWORD=PASSWORD, SMSGATE_SIGNING_KEY=SIGNING_KEY, SMSGATE_MAX_PER_MINUTE=100,
    )
    init_services(app)
    smsgate_api.client = app.test_client()
    return app
