"""The intake baseline: a bare Flask app doing one peewee INSERT per request, served by the
same gunicorn command as the real app (``bench.baseline_app:create_app()``)."""
from __future__ import annotations

import os

import peewee as pw
from flask import Flask, Response, request
from playhouse.db_url import connect

database = pw.DatabaseProxy()
SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 10000, "synchronous": "normal"}
"""The pragmas a SQLite app would use for a web server and workers writing side by side."""
REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>OK</Message></Response>'


class Message(pw.Model):
    sid = pw.CharField(max_length=64, unique=True)
    phone = pw.CharField(max_length=20)
    body = pw.TextField()

    class Meta:
        database = database


def bind(url: str) -> None:
    database.initialize(connect(url, **({"pragmas": SQLITE_PRAGMAS} if url.startswith("sqlite") else {})))


def init_db(url: str) -> None:
    """Create the table (once, before gunicorn starts its workers)."""
    bind(url)
    database.create_tables([Message])
    database.close()


def create_app() -> Flask:
    bind(os.environ["DATABASE_URL"])
    app = Flask(__name__)

    @app.post("/twilio/sms")
    def incoming():
        database.connect(reuse_if_open=True)  # one connection per worker process, kept open
        Message.create(sid=request.form["MessageSid"], phone=request.form["From"], body=request.form["Body"])
        return Response(REPLY, mimetype="application/xml")

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
