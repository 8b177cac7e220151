"""The webhook's hot path, counted: SQL statements per inbound SMS (the directory is read from
process memory, not the database)."""
from __future__ import annotations

import re
from contextlib import contextmanager

import peewee

from cases import reference
from cases.catalog import CATALOG
from cases.models import database

FIRST_SMS_BUDGET = 6
"""Store, contact, draft, daily limit, the draft written, marked answered."""
ONE_SHOT_BUDGET = 10
"""Store, contact, draft, daily limit, same problem, a free reference, the case, its first
event, the village remembered, marked answered."""
ROW_LOCK = 1
"""On a database with row locks (PostgreSQL), the message's row is locked first: one more."""
STATEMENT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@contextmanager
def counted(statements: list[str]):
    """Every SQL statement the models run inside, into ``statements``."""
    real = peewee.Database.execute_sql

    def execute_sql(self, sql, params=None, *args, **kwargs):
        if STATEMENT.match(sql):
            statements.append(sql)
        return real(self, sql, params, *args, **kwargs)

    peewee.Database.execute_sql = execute_sql
    try:
        yield statements
    finally:
        peewee.Database.execute_sql = real


def test_a_menu_step_and_a_one_shot_report_stay_within_their_budget(demo, phone):
    phone("0899999999").send("ถนน")  # warm: the directory is read once into memory
    CATALOG.now()
    with counted([]) as first:
        assert "1." in phone("0812345678").send("แจ้งเรื่องหน่อย")  # the type menu
    CATALOG.now()
    with counted([]) as read:  # read for the type and place: one yes/no question, no more statements
        assert "ใช่ไหม" in phone("0812345670").send("ถนนเป็นหลุม หมู่ 3 ต.ในเมือง")
    CATALOG.now()
    with counted([]) as one_shot:
        assert reference.find_in(phone("0812345679").send("1 51010103 ถนนเป็นหลุมใหญ่"))
    extra = 0 if isinstance(database.obj, peewee.SqliteDatabase) else ROW_LOCK
    assert len(first) <= FIRST_SMS_BUDGET + extra, first
    assert len(read) <= FIRST_SMS_BUDGET + extra, read
    assert len(one_shot) <= ONE_SHOT_BUDGET + extra, one_shot
    assert not any('"village"' in sql or '"category"' in sql for sql in first + read + one_shot)  # from memory
