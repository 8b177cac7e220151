"""The webhook's hot path, counted: SQL statements per inbound SMS (the directory is read from
process memory, not the database)."""
from __future__ import annotations

import re
from contextlib import contextmanager

import peewee

from cases.casework import events
from cases.province.catalog import CATALOG
from cases.store import reference
from cases.store.models import Case, Contact, database

from .ussd_helpers import UssdPhone

FIRST_SMS_BUDGET = 4
"""Store; one read of the contact, the draft and (no draft) the day's reports; the draft
written; marked answered."""
ONE_SHOT_BUDGET = 4
"""Store; the same read; the case inserted unless it repeats the phone's own open report
(linked to the first report of its problem, a taken reference refused by the unique index,
all in one statement); marked answered. The "filed" event and the village to offer next are
written by the route job after the commit."""
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


def test_what_filing_leaves_for_later_is_done_by_the_route_job_at_the_filing_time(demo, phone, work):
    reply = phone("0812345679").send("1 51010103 ถนนเป็นหลุมใหญ่")
    case = Case.get(Case.reference == reference.find_in(reply))
    assert list(case.events) == [] and Contact.get_or_none(Contact.phone == "+66812345679") is None
    work()
    filed, routed = events.history(case)
    assert (filed.kind, filed.at, filed.actor, filed.note) == ("filed", case.created_at, "+66812345679", "ถนนเป็นหลุมใหญ่")
    assert filed.agency_id is None and routed.kind == "routed"
    assert Contact.get_by_id("+66812345679").last_village_id == "51010103"  # offered next time


def test_a_taken_reference_is_refused_by_its_index_and_another_one_drawn(demo, phone, monkeypatch):
    taken = reference.find_in(phone("0812345679").send("1 51010103 ถนนเป็นหลุมใหญ่"))
    free = "123456" + reference.check_digit("123456")
    drawn = iter([taken, taken, free])
    monkeypatch.setattr(reference, "generate", lambda length=reference.BODY_LENGTH: next(drawn))
    reply = phone("0812345670").send("1 51010103 ถนนพังอีกจุด")  # another phone: a linked report
    assert reference.find_in(reply) == free and Case.select().count() == 2
    assert Case.get(Case.reference == free).duplicate_of_id == Case.get(Case.reference == taken).id


USSD_SCREEN_BUDGET = 1
"""A USSD screen that files nothing: the phone's language, nothing more (the session is in
Redis, the directory and the first screen in memory), and no transaction."""


def test_a_ussd_screen_that_files_nothing_reads_the_language_only(demo, client, monkeypatch):
    every = []
    real = peewee.Database.execute_sql
    monkeypatch.setattr(peewee.Database, "execute_sql", lambda self, sql, *a, **k: every.append(sql) or real(self, sql, *a, **k))
    UssdPhone(client, "+66899999999").send()  # warm: the directory and the first screen, built once
    CATALOG.now()
    caller = UssdPhone(client, "+66812345678")
    screens = []
    for key in (None, "1", "1"):  # the first screen, the types, the type's next question
        every.clear()
        screens.append(caller.send(key))
        assert len([sql for sql in every if STATEMENT.match(sql)]) <= USSD_SCREEN_BUDGET, every
        assert not any(sql.lstrip().upper().startswith(("BEGIN", "SAVEPOINT")) for sql in every), every
    assert all(screen.startswith("CON ") for screen in screens) and screens[0] != screens[1] != screens[2]
