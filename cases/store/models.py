"""Every peewee model of Rongrian, and the database they live in.

The database is bound at run time (``bind_database``) from ``DATABASE_URL`` in peewee's
``db_url`` form: SQLite (WAL) by default, PostgreSQL in production.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import Iterator

import peewee as pw
from playhouse.db_url import connect

database = pw.DatabaseProxy()

SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000, "synchronous": "normal"}
"""Pragmas for SQLite: WAL lets the web app and the worker write side by side."""


_clock: ContextVar[dt.datetime | None] = ContextVar("rongrian_clock", default=None)


def utcnow() -> dt.datetime:
    """The current time, naive UTC (what every timestamp column holds); the time ``clock_at``
    set, inside it."""
    return _clock.get() or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Inside it, ``utcnow()`` is ``moment`` (naive UTC): the demo history runs the domain's own
    functions at past times, so its events and SMS carry the times they would have had."""
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


POOL = {"max_connections": 64, "stale_timeout": 300}
"""Connections kept open for reuse: a request or job closes its connection at its end, and
the next one takes it back from the pool (no new connection, no pragmas again)."""


def open_database(url: str) -> pw.Database:
    """The database named by ``url`` (peewee ``db_url`` form), pooled; not yet bound."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        folder = os.path.dirname(url[len("sqlite:///"):])
        if folder:
            os.makedirs(folder, exist_ok=True)
    # every SQLite transaction takes the write lock up front (no read-to-write upgrade that
    # SQLite refuses at once with "database is locked"); reads outside one stay in WAL
    kwargs = {"pragmas": SQLITE_PRAGMAS, "lock_type": "IMMEDIATE"} if url.startswith("sqlite") else {}
    scheme, rest = url.split(":", 1)
    if "+pool" not in scheme and ":memory:" not in rest:
        url, kwargs = f"{scheme}+pool:{rest}", {**kwargs, **POOL}
        if scheme.startswith("sqlite"):  # a pooled connection serves one thread at a time, not always the same
            kwargs["check_same_thread"] = False
    return connect(url, **kwargs)


def use_database(db: pw.Database) -> pw.Database:
    """Point the models at ``db`` (the database of the app or worker about to run)."""
    if database.obj is not db:
        database.initialize(db)
    return db


def bind_database(url: str) -> pw.Database:
    """Open the database named by ``url`` and point the models at it."""
    return use_database(open_database(url))


class EnumField(pw.CharField):
    """A CharField that stores a ``str`` Enum by value and gives the Enum back."""

    def __init__(self, enum: type[Enum], **kwargs):
        self.enum = enum
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def db_value(self, value):
        return None if value is None else self.enum(value).value

    def python_value(self, value):
        return None if value is None else self.enum(value)


class JSONField(pw.TextField):
    """A TextField holding JSON (portable across SQLite and PostgreSQL)."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class CaseStatus(str, Enum):
    """Where a case stands in its life."""

    NEW = "new"  # stored, not yet routed
    ASSIGNED = "assigned"  # routed to an agency, waiting to be accepted
    ACCEPTED = "accepted"  # an officer took it on
    DONE = "done"  # the agency closed it
    CANCELLED = "cancelled"  # withdrawn before anyone worked on it


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.ACCEPTED)
"""Statuses that still need work from an agency."""


class OutboxStatus(str, Enum):
    """Where an outbound SMS stands."""

    QUEUED = "queued"  # written, waiting for a sender job
    SENDING = "sending"  # claimed by a sender job
    SENT = "sent"  # accepted by the provider
    DELIVERED = "delivered"  # the provider reported delivery
    FAILED = "failed"  # permanent error, or the provider reported failure
    UNKNOWN = "unknown"  # its sender died mid-send and the provider cannot tell a repeat: a look
    EXPIRED = "expired"  # a conversation reply that could not leave while it was of use


class Priority(int, Enum):
    """Which SMS leave first (lower first): the citizen in a conversation before everyone.

    (Before issue 20 a receipt was a REPLY and CITIZEN, STAFF, BULK were 1, 2, 3: a row queued
    across that upgrade leaves one step early, none is lost.)"""

    REPLY = 0  # an answer its phone waits for to go on: the next menu question, a confirmation, a status answer,
    # a staff word's confirmation, a login code
    RECEIPT = 1  # a reply the citizen need not wait for: the reference of a report just filed
    CITIZEN = 2  # a case's status to the citizen
    STAFF = 3  # a notice to agency staff
    BULK = 4  # reminders, digests, surge alerts

    @property
    def answers(self) -> bool:
        """True for an answer to what the phone just sent (it leaves from the phone that got it)."""
        return self in (Priority.REPLY, Priority.RECEIPT)


class StaffRole(str, Enum):
    """What a staff member may do beyond working cases."""

    OFFICER = "officer"
    HEAD = "head"
    PROVINCE = "province"  # sees every agency, gets the province's escalations


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


# --- the directory -------------------------------------------------------------------


class District(BaseModel):
    code = pw.CharField(primary_key=True, max_length=4)
    name_th = pw.CharField()
    name_en = pw.CharField()


class Subdistrict(BaseModel):
    code = pw.CharField(primary_key=True, max_length=6)
    district = pw.ForeignKeyField(District, backref="subdistricts")
    name_th = pw.CharField()
    name_en = pw.CharField()
    zip_code = pw.CharField(null=True, max_length=5)
    lat = pw.FloatField(null=True)
    lon = pw.FloatField(null=True)


class Village(BaseModel):
    code = pw.CharField(primary_key=True, max_length=8)
    subdistrict = pw.ForeignKeyField(Subdistrict, backref="villages")
    moo = pw.IntegerField()
    name_th = pw.CharField()
    name_en = pw.CharField()


class Category(BaseModel):
    code = pw.CharField(primary_key=True, max_length=32)
    name_th = pw.CharField()
    name_en = pw.CharField()
    position = pw.IntegerField(index=True)  # menu number = position, from the file order
    days = pw.IntegerField(null=True)  # deadline to finish once accepted
    keywords_th = pw.TextField(null=True)  # words citizens use for it, separated by ";"
    keywords_en = pw.TextField(null=True)


PROVINCE_AGENCY = "province"
"""Agency code of the province office: takes every case no rule matches, and escalations."""


class Agency(BaseModel):
    code = pw.CharField(primary_key=True, max_length=32)
    name_th = pw.CharField()
    name_en = pw.CharField()
    short_name_th = pw.CharField(null=True)  # sent where the full name does not fit one SMS
    short_name_en = pw.CharField(null=True)


class RoutingRule(BaseModel):
    category = pw.ForeignKeyField(Category, backref="rules", on_delete="CASCADE")
    area_code = pw.CharField(max_length=8)  # village, subdistrict or district code, or "*"
    agency = pw.ForeignKeyField(Agency, backref="rules", on_delete="CASCADE")

    class Meta:
        indexes = ((("category", "area_code"), True),)


class Staff(BaseModel):
    phone = pw.CharField(primary_key=True, max_length=16)
    agency = pw.ForeignKeyField(Agency, backref="staff", on_delete="CASCADE")
    name = pw.CharField()
    role = EnumField(StaffRole, default=StaffRole.OFFICER)


class VillageHead(BaseModel):
    phone = pw.CharField(primary_key=True, max_length=16)
    village = pw.ForeignKeyField(Village, backref="heads", on_delete="CASCADE")
    name = pw.CharField()


# --- people and cases ------------------------------------------------------------------


class Contact(BaseModel):
    """What we remember of one phone: language, opt-out, last village."""

    phone = pw.CharField(primary_key=True, max_length=16)
    language = pw.CharField(max_length=5, default="th")
    opted_out = pw.BooleanField(default=False)
    last_village = pw.ForeignKeyField(Village, null=True, on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)
    awaiting_case_id = pw.IntegerField(null=True)  # the case whose rating (or reopen) we asked for
    awaiting = pw.CharField(null=True, max_length=10)  # an AwaitedReply value


class Case(BaseModel):
    reference = pw.CharField(unique=True, max_length=10)
    category = pw.ForeignKeyField(Category)
    village = pw.ForeignKeyField(Village)
    description = pw.TextField(default="")
    description_public = pw.BooleanField(default=False)  # staff chose to show it (masked) in open data
    reporter_phone = pw.CharField(null=True, max_length=16, index=True)  # the resident
    submitter_phone = pw.CharField(null=True, max_length=16, index=True)  # a village head filing for them
    channel = pw.CharField(max_length=10, default="sms")
    status = EnumField(CaseStatus, default=CaseStatus.NEW, index=True)
    agency = pw.ForeignKeyField(Agency, null=True, backref="cases")
    unrouted = pw.BooleanField(default=False)  # no routing rule matched: sent to the province
    voice_url = pw.CharField(null=True, max_length=500)
    created_at = pw.DateTimeField(default=utcnow, index=True)
    assigned_at = pw.DateTimeField(null=True)
    accepted_at = pw.DateTimeField(null=True)
    closed_at = pw.DateTimeField(null=True)
    rating = pw.IntegerField(null=True)  # 1–5 from the citizen once done
    reopen_count = pw.IntegerField(default=0)
    duplicate_of = pw.ForeignKeyField("self", null=True, backref="linked", on_delete="SET NULL")


class CaseEvent(BaseModel):
    """One line of a case's history: who did what, when, with which note."""

    case = pw.ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    at = pw.DateTimeField(default=utcnow)
    actor = pw.CharField(max_length=32)  # a phone, or "system"
    kind = pw.CharField(max_length=20)
    agency = pw.ForeignKeyField(Agency, null=True)
    note = pw.TextField(default="")


class Conversation(BaseModel):
    """A phone's unfinished menu flow on one channel (an SMS draft, a USSD session)."""

    key = pw.CharField(primary_key=True, max_length=80)  # channel:phone or channel:session id
    phone = pw.CharField(max_length=16)
    state = JSONField()
    updated_at = pw.DateTimeField(default=utcnow)


class InboundMessage(BaseModel):
    """Every message received, stored before anything else happens to it."""

    provider = pw.CharField(max_length=16)
    provider_id = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, index=True)  # a phone's waiting messages are answered in order
    body = pw.TextField()
    received_at = pw.DateTimeField(default=utcnow)
    reply = pw.TextField(null=True)  # what we answered, so a repeated webhook gets the same
    processed = pw.BooleanField(default=False, index=True)  # answered, with all it caused
    left_to_workers = pw.BooleanField(default=False)  # a flood's: answered by SMS by a drain job
    attempts = pw.IntegerField(default=0)  # tries that failed
    error = pw.CharField(null=True, max_length=255)  # the last failure
    failed_at = pw.DateTimeField(null=True)  # given up on after every try: needs a look
    device = pw.CharField(null=True, max_length=64)  # the gateway phone that received it
    sim = pw.IntegerField(null=True)  # and its SIM slot

    class Meta:
        indexes = ((("provider", "provider_id"), True),)


class Outbox(BaseModel):
    """One SMS to send; written in the transaction of the change that causes it."""

    phone = pw.CharField(max_length=16, index=True)
    body = pw.TextField()
    kind = pw.CharField(max_length=32, default="")
    case = pw.ForeignKeyField(Case, null=True, backref="messages", on_delete="SET NULL")
    status = EnumField(OutboxStatus, default=OutboxStatus.QUEUED, index=True)
    attempts = pw.IntegerField(default=0)
    provider = pw.CharField(max_length=16, null=True)
    provider_id = pw.CharField(max_length=64, null=True)  # unique per provider: one row per delivery report
    error = pw.CharField(null=True, max_length=255)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    sent_at = pw.DateTimeField(null=True)
    retry_of = pw.ForeignKeyField("self", null=True, backref="retries", on_delete="SET NULL")
    send_after = pw.DateTimeField(null=True)  # a delayed retry: the sweep leaves it alone till then
    priority = pw.IntegerField(default=Priority.STAFF.value, index=True)  # a Priority value
    expires_at = pw.DateTimeField(null=True)  # a reply past this is dropped, not sent late
    device = pw.CharField(null=True, max_length=64)  # the gateway phone it must leave from
    sim = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("provider", "provider_id"), True),)


class AwaitedReply(str, Enum):
    """What a phone's next single digit answers (``Contact.awaiting``)."""

    RATING = "rating"
    REOPEN = "reopen"


class Notice(BaseModel):
    """A message that must go out once only (a reminder step, a surge alert, a digest)."""

    key = pw.CharField(unique=True, max_length=80)  # e.g. "accept_24h:12:0", "digest:pwa:2024-05-01"
    case = pw.ForeignKeyField(Case, null=True, backref="notices", on_delete="CASCADE")
    sent_at = pw.DateTimeField(default=utcnow, index=True)


class DirectoryVersion(BaseModel):
    """One row: bumped by every directory load, so each process knows its cache is old."""

    id = pw.IntegerField(primary_key=True, default=1)
    version = pw.CharField(max_length=32, null=True)


MODELS = [
    District, Subdistrict, Village, Category, Agency, RoutingRule, Staff, VillageHead,
    Contact, Case, CaseEvent, Conversation, InboundMessage, Outbox, Notice, DirectoryVersion,
]
"""All tables of the service, in creation order (``schema.create_tables`` makes them, with
``schema_version``)."""

