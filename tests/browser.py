"""Parts of the console's browser tests (Playwright driving Debian's chromium).

The app is served by a real HTTP server (werkzeug) on a free loopback port in a thread, with
SMS_BACKEND=twilio pointed at the Twilio stand-in; outbound SMS leave through a real rq
worker (``live.work()``, the same worker ``rongrian worker`` runs) and are read back from
the stand-in — the login code too. A test module imports the fixtures ``browser`` and
``live`` from here at its top, then::

    def test_x(demo, live, browser):
        page = browser.new_page()
        live.login(page, "0800000101")
        live.screenshot(page, "cases")

No chromium at /usr/bin/chromium is a failure, never a skip (``.ci/run`` installs it).
"""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from cases.province.phones import to_e164

from .conftest import run_worker
from .standins.server import POLL_INTERVAL

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
"""Where every browser test leaves its screenshots (``build/`` is not committed)."""
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


class LiveConsole:
    """The app behind a real server; ``url`` is its base ("http://localhost:PORT")."""

    def __init__(self, app, twilio_api):
        self.app, self.twilio_api = app, twilio_api
        self.server = make_server("127.0.0.1", 0, app, threaded=False)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL_INTERVAL,), daemon=True)
        self.url = f"http://localhost:{self.server.server_port}"

    def start(self) -> "LiveConsole":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()

    def work(self) -> None:
        """Let a real rq worker send everything queued (to the Twilio stand-in)."""
        run_worker(self.app)

    def sms_to(self, phone: str) -> list[str]:
        return self.twilio_api.to(to_e164(phone))

    def login(self, page, phone: str, screenshot: str | None = None) -> str:
        """Log in as ``phone`` through the pages, with the code the SMS brought; returns the code
        (``screenshot``: the name of a screenshot of the page that asks for the code)."""
        page.goto(f"{self.url}/console/")
        assert page.url.endswith("/console/login")
        page.fill("input[name=phone]", phone)
        page.click("button[type=submit].primary")
        page.wait_for_selector("input[name=code]")
        if screenshot:
            self.screenshot(page, screenshot)
        before, deadline = len(self.sms_to(phone)), time.monotonic() + 5
        self.work()
        while len(self.sms_to(phone)) == before and time.monotonic() < deadline:
            time.sleep(0.05)  # the code's SMS is queued once the page has left the server
            self.work()
        code = CODE.search(self.sms_to(phone)[-1]).group()
        page.fill("input[name=code]", code)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{self.url}/console/")
        return code

    def screenshot(self, page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def live(twilio_app, twilio_api):
    """The app (Twilio backend → stand-in) served on a free port; see ``LiveConsole``."""
    server = LiveConsole(twilio_app, twilio_api).start()
    yield server
    server.stop()


@pytest.fixture
def browser():
    """Debian's chromium under Playwright (a test fails, never skips, when it cannot start)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
