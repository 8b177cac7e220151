"""Issue 11: how well a first message in the citizen's own words is read, and what it saves.

Over ``tests/data/first_messages.csv`` (labelled first messages for the demo directory):
precision and recall of the type and of the place when the reader commits to one; then the
real SMS flow (``flows.sms.handle``) driven as a citizen would — yes to a confirmation that
names the right type and place, no to a wrong one, then answering each question — counting
the SMS the citizen sends until the case is filed, on the free-text path (their own words
first) and on the menu path (a greeting first, then the menus). A case filed with a wrong
type or place is counted: there must be none.
"""
from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from cases.language import reading
from cases.province import directory
from cases.province.catalog import CATALOG
from cases.store import models, reference, schema, work
from cases.store.models import Case, Conversation
from flows import sms
from rongrian import create_app
from rongrian.cli import DEMO_DIRECTORY

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MESSAGES = DATA / "first_messages.csv"
"""Labelled first messages for the demo directory (Lamphun: villages named by their moo)."""
NAN_MESSAGES = DATA / "first_messages_nan.csv"
NAN_DIRECTORY = DATA / "nan_directory"
"""A second province with named villages (``บ้านดอนมูล``) and a type the demo lacks."""
MAX_STEPS = 10
"""A citizen gives up after this many SMS."""
MENU_FIRST = "สวัสดีครับ"
"""The menu path's first message: words that say nothing about the problem."""



@dataclass
class Row:
    text: str
    category: str
    village: str
    subdistrict: str

    @property
    def place_sub(self) -> str:
        return self.subdistrict or self.village[:6]


def rows(path: Path = MESSAGES) -> list[Row]:
    with open(path, encoding="utf-8") as handle:
        return [Row(r["text"], r["category_code"], r["village_code"], r["subdistrict_code"])
                for r in csv.DictReader(handle)]


@dataclass
class Figures:
    messages: int = 0
    type_committed: int = 0
    type_right: int = 0
    type_labelled: int = 0
    place_committed: int = 0
    place_right: int = 0
    place_labelled: int = 0
    both_named: int = 0
    both_within_two: int = 0
    wrong_filed: int = 0
    free_sms: list[int] = field(default_factory=list)
    menu_sms: list[int] = field(default_factory=list)

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def type_precision(self) -> float:
        return self.share(self.type_right, self.type_committed)

    @property
    def type_recall(self) -> float:
        return self.share(self.type_right, self.type_labelled)

    @property
    def place_precision(self) -> float:
        return self.share(self.place_right, self.place_committed)

    @property
    def place_recall(self) -> float:
        return self.share(self.place_right, self.place_labelled)

    @property
    def within_two(self) -> float:
        return self.share(self.both_within_two, self.both_named)

    def lines(self) -> list[str]:
        return [
            f"messages {self.messages}",
            f"type: precision {self.type_precision:.1%} ({self.type_right}/{self.type_committed} committed), "
            f"recall {self.type_recall:.1%} (of {self.type_labelled} labelled)",
            f"place: precision {self.place_precision:.1%} ({self.place_right}/{self.place_committed} committed), "
            f"recall {self.place_recall:.1%} (of {self.place_labelled} labelled)",
            f"naming type and village: {self.within_two:.1%} filed within two citizen SMS "
            f"({self.both_within_two}/{self.both_named})",
            f"citizen SMS per report: free text {statistics.mean(self.free_sms):.2f}, "
            f"menu {statistics.mean(self.menu_sms):.2f} (over {len(self.free_sms)} reports)",
            f"filed with a wrong type or place: {self.wrong_filed}",
        ]

    def summary(self) -> dict:
        return {"type_precision": round(self.type_precision, 3), "type_recall": round(self.type_recall, 3),
                "place_precision": round(self.place_precision, 3), "place_recall": round(self.place_recall, 3),
                "within_two": round(self.within_two, 3), "free_sms": round(statistics.mean(self.free_sms), 2),
                "menu_sms": round(statistics.mean(self.menu_sms), 2), "wrong_filed": self.wrong_filed}


def score_reading(row: Row, figures: Figures) -> None:
    """Precision and recall of the reader alone (no flow, no last village)."""
    found = reading.read(row.text)
    figures.type_labelled += bool(row.category)
    if found.category:
        figures.type_committed += 1
        figures.type_right += found.category == row.category
    figures.place_labelled += bool(row.village or row.subdistrict)
    place = found.place
    if place.village:
        figures.place_committed += 1
        figures.place_right += place.village == row.village
    elif place.subdistrict:
        figures.place_committed += 1
        figures.place_right += place.subdistrict == row.place_sub and not (row.village and row.village[:6] != row.place_sub)


def send(phone: str, text: str) -> str:
    """One SMS through the real flow, as the inbound path answers it."""
    with work.unit_of_work(None):
        return sms.handle(phone, text)


def citizen_answer(phone: str, row: Row, village: str) -> str:
    """What the citizen sends to the question now asked (from the draft's state)."""
    state = Conversation.get(Conversation.key == f"sms:{phone}").state
    node, data = state["node"], state["data"]
    target = CATALOG.village(village)
    if node == "check":
        right = data.get("category") == row.category and data.get("village") == village
        return "1" if right else "2"
    if node == "category":
        return str(CATALOG.category(row.category).position)
    if node == "moo":
        return str(target.moo)
    if node == "description":
        return "0"
    if node in ("village", "pick"):
        return f"หมู่ {target.moo} ต.{target.subdistrict.name_th}"
    raise AssertionError(f"unexpected question {node}")


def drive(phone: str, first: str, row: Row, village: str, figures: Figures) -> int:
    """Citizen SMS until filed (MAX_STEPS + 1 when never filed)."""
    reply = send(phone, first)
    for count in range(1, MAX_STEPS + 1):
        ref = reference.find_in(reply)
        if ref:
            case = Case.get(Case.reference == ref)
            figures.wrong_filed += (case.category_id, case.village_id) != (row.category, village)
            return count
        reply = send(phone, citizen_answer(phone, row, village))
    return MAX_STEPS + 1


def evaluate(messages: list[Row] | None = None) -> Figures:
    """Every figure over ``messages`` (default: the demo's labelled set); their directory must
    be loaded and the database bound. A citizen who named no place lives in the directory's
    first village (and answers the village question with it)."""
    messages = rows() if messages is None else messages
    figures = Figures(messages=len(messages))
    home = CATALOG.villages()[0].code
    for index, row in enumerate(messages):
        score_reading(row, figures)
        if not row.category or row.category == "other" and not row.village:
            continue
        village = row.village or (f"{row.subdistrict}01" if row.subdistrict else home)
        free = drive(f"+6689{index:07d}", row.text, row, village, figures)
        figures.free_sms.append(free)
        figures.menu_sms.append(drive(f"+6688{index:07d}", MENU_FIRST, row, village, figures))
        if row.village:
            figures.both_named += 1
            figures.both_within_two += free <= 2
    return figures


SETS = {"demo": (DEMO_DIRECTORY, MESSAGES), "nan": (NAN_DIRECTORY, NAN_MESSAGES)}
"""Each labelled set with its directory."""


def run(ctx, db) -> dict:
    """``python -m bench --only reading``: the figures of each labelled set, each on a fresh
    database of this kind."""
    found = {}
    for name, (folder, labelled) in SETS.items():
        app = create_app({"DATABASE_URL": db.new(f"reading_{name}"), "REDIS_URL": ctx.redis.url,
                          "SMS_BACKEND": "console", "SECRET_KEY": "bench-reading"})
        with app.app_context():
            schema.create_tables()
            directory.load(folder)
            figures = evaluate(rows(labelled))
        print(f"\n== reading, {name} directory ({db.name})")
        for line in figures.lines():
            print("  " + line, flush=True)
        found.update({f"reading_{name}.{key}": value for key, value in figures.summary().items()})
    return found
