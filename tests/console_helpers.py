"""Driving the console over Flask's test client: CSRF tokens read from the pages, login with
the code the outbox holds (the console SMS backend), cases filed through the domain."""
from __future__ import annotations

import re

from cases.casework import lifecycle
from cases.province.phones import to_e164
from cases.store.models import Category, Outbox, Village
from web import services

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")

OFFICER = "0800000101"  # lao510101: roads in Nai Mueang
PWA_OFFICER = "0800000104"  # pwa: water
PROVINCE = "0800000109"  # role province
CITIZEN = "+66812345678"


def token(client) -> str:
    """The session's CSRF token (from the login page or any page with a form)."""
    page = client.get("/console/login", follow_redirects=True).get_data(as_text=True)
    return TOKEN.search(page).group(1)


def last_code(phone: str) -> str:
    row = Outbox.select().where(Outbox.phone == to_e164(phone)).order_by(Outbox.id.desc()).first()
    return CODE.search(row.body).group()


def log_in(client, phone: str):
    """Log ``client`` in as ``phone``; returns the verify response."""
    csrf = token(client)
    assert client.post("/console/login", data={"phone": phone, "csrf_token": csrf}).status_code == 200
    return client.post("/console/login/verify", data={"phone": phone, "code": last_code(phone), "csrf_token": csrf})


def file(app, category: str, village: str, text: str, phone: str = CITIZEN):
    """A report filed as an SMS report would be (routed once ``work()`` runs)."""
    with services(app).work():
        return lifecycle.file_report(Category.get_by_id(category), Village.get_by_id(village), text, phone)


def post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": token(client), **fields})
