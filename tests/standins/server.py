"""Serve a small WSGI app on a free loopback port in a thread (for provider stand-ins)."""
from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

POLL_INTERVAL = 0.02
"""Seconds between the serving thread's looks for ``stop()`` (the default 0.5 s was paid by
every test that used a stand-in)."""


class QuietHandler(WSGIRequestHandler):
    """No access log: a provider's own server does not write into ours (its URLs carry numbers)."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class ThreadedServer:
    def __init__(self, wsgi_app):
        self.server = make_server("127.0.0.1", 0, wsgi_app, threaded=True, request_handler=QuietHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL_INTERVAL,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()
