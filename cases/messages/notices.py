"""Messages that must go out once only (a reminder step, a surge alert, a digest)."""
from __future__ import annotations

import peewee as pw

from cases.store.models import Notice, database


def send_once(key: str, case=None) -> bool:
    """Record notice ``key``; False when it was already sent (the caller then sends nothing)."""
    try:
        with database.atomic():
            Notice.create(key=key, case=case)
        return True
    except pw.IntegrityError:
        return False
