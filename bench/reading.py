"""Issues 11 and 23: how well a first message in the citizen's own words is read, and what it saves.

Over the labelled first messages of ``tests/data`` (the demo, Nan and three more provinces'
directories), in parts split once by author (``PARTS``): the tuned parts, which the reader was
changed against, and the held-out parts, never tuned on (one by the tuning's author, one by a
stranger, one a stranger's province with its own list of types). For each:
precision and recall of the type and of the place when the reader commits to one; then the
real SMS flow (``flows.sms.handle``) driven as a citizen would — yes to a confirmation that
names the right type and place, no to a wrong one, then answering each question — counting
the SMS the citizen sends until the case is filed, on the free-text path (their own words
first) and on the menu path (a greeting first, then the menus). A case filed with a wrong
type or place is counted: there must be none. A message labelled ``other`` names no listed
type: it must be filed under the directory's catch-all after one yes. A message that names
two problems is labelled ``a|b``: either is right. Last, the reader's own cost per first
message (p50, p99) on the generated 3,000-village directory.
"""
from __future__ import annotations

import csv
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
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
TUNING = DATA / "first_messages_tuning.csv"
HELD_OUT = DATA / "first_messages_heldout.csv"
"""Labelled first messages for both directories (column ``directory``: demo or nan)."""
STRANGERS = DATA / "first_messages_strangers.csv"
"""The same, written by sessions that never saw the reader, its code or its other data (held
out at first; tuned on since the next held-out set by a stranger was written)."""
HELD_OUT_STRANGER = DATA / "first_messages_heldout3.csv"
"""The same, by yet another such session: held out (its rows never read while tuning)."""
ISAN_DIRECTORY = DATA / "isan_directory"
ISAN_MESSAGES = DATA / "first_messages_isan.csv"
"""A third province (Roi Et) and its first messages, both written by a session that never saw
the reader: its own list of types (street lights apart from the grid, drains, nuisance…).
Held out: neither file is read while tuning."""
SOUTH_DIRECTORY, SOUTH_MESSAGES = DATA / "south_directory", DATA / "first_messages_south.csv"
CENTRAL_DIRECTORY, CENTRAL_MESSAGES = DATA / "central_directory", DATA / "first_messages_central.csv"
UBON_DIRECTORY, UBON_MESSAGES = DATA / "ubon_directory", DATA / "first_messages_ubon.csv"
EAST_DIRECTORY, EAST_MESSAGES = DATA / "east_directory", DATA / "first_messages_east.csv"
KORAT_DIRECTORY, KORAT_MESSAGES = DATA / "korat_directory", DATA / "first_messages_korat.csv"
MORE_PROVINCES = [(DATA / f"{name}_directory", DATA / f"first_messages_{name}.csv", None)
                  for name in ("khonkaen", "surin", "songkhla")]
"""More provinces (Nakhon Si Thammarat, Suphan Buri, Ubon Ratchathani, Chanthaburi, Nakhon
Ratchasima and Surin with broad types, Khon Kaen with Traffy-style ones, Songkhla), each with its
own list of types and first messages, written the same way: tuned on."""
WEST_DIRECTORY, WEST_MESSAGES = DATA / "west_directory", DATA / "first_messages_west.csv"
NORTH_DIRECTORY, NORTH_MESSAGES = DATA / "north_directory", DATA / "first_messages_north.csv"
"""Two more such provinces, each by yet another session: Kanchanaburi (dams, the border, mines)
and Chiang Rai (a Damrongdhama centre's eight broad types). Held out, like Roi Et."""
SISAKET_DIRECTORY, SISAKET_MESSAGES = DATA / "sisaket_directory", DATA / "first_messages_sisaket.csv"
PHITSANULOK_DIRECTORY, PHITSANULOK_MESSAGES = DATA / "phitsanulok_directory", DATA / "first_messages_phitsanulok.csv"
"""Two provinces written after the reader's last change (Sisaket: a complaint centre's ten types;
Phitsanulok: fifteen Traffy-style ones), each by another session: held out, measured once."""
MAX_STEPS = 10
"""A citizen gives up after this many SMS."""
OTHER = "other"
"""The label of a message that names no listed type, whatever the directory calls its catch-all."""
MENU_FIRST = "สวัสดีครับ"
"""The menu path's first message: words that say nothing about the problem."""



@dataclass
class Row:
    text: str
    category: str  # a category code; "a|b" when the message names two problems (either is right)
    village: str
    subdistrict: str
    directory: str = "demo"

    @property
    def place_sub(self) -> str:
        return self.subdistrict or self.village[:6]

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(self.category.split("|")) if self.category else ()

    @property
    def first_category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def names_other(self) -> bool:
        return self.category == OTHER

    def filed_under(self, catch_all: str | None) -> Row:
        """The row with the label ``other`` read as the directory's own catch-all code."""
        codes = (catch_all or OTHER if code == OTHER else code for code in self.categories)
        return replace(self, category="|".join(codes))


def rows(path: Path = MESSAGES, directory_name: str | None = None) -> list[Row]:
    """The labelled rows of ``path`` (only those of ``directory_name`` when given)."""
    default = "nan" if path == NAN_MESSAGES else "demo"
    with open(path, encoding="utf-8") as handle:
        found = [Row(r["text"], r["category_code"], r["village_code"], r["subdistrict_code"],
                     r.get("directory") or default) for r in csv.DictReader(handle)]
    return [row for row in found if directory_name in (None, row.directory)]


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
    other_named: int = 0
    other_in_one: int = 0
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

    @property
    def other_share(self) -> float:
        return self.share(self.other_in_one, self.other_named)

    def __add__(self, more: "Figures") -> "Figures":
        summed = Figures()
        for name in self.__dataclass_fields__:
            setattr(summed, name, getattr(self, name) + getattr(more, name))
        return summed

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
            f"naming no listed type: {self.other_share:.1%} filed as other after one yes "
            f"({self.other_in_one}/{self.other_named})",
        ]

    def summary(self) -> dict:
        return {"type_precision": round(self.type_precision, 3), "type_recall": round(self.type_recall, 3),
                "place_precision": round(self.place_precision, 3), "place_recall": round(self.place_recall, 3),
                "within_two": round(self.within_two, 3), "free_sms": round(statistics.mean(self.free_sms), 2),
                "menu_sms": round(statistics.mean(self.menu_sms), 2), "wrong_filed": self.wrong_filed,
                "other_in_one": round(self.other_share, 3)}


def score_reading(row: Row, figures: Figures) -> None:
    """Precision and recall of the reader alone (no flow, no last village)."""
    found = reading.read(row.text)
    figures.type_labelled += bool(row.category)
    if found.category:
        figures.type_committed += 1
        figures.type_right += found.category in row.categories
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
        right = data.get("category") in row.categories and data.get("village") == village
        return "1" if right else "2"
    if node == "either":
        offered = data["either"]
        named = not data.get("village") or data["village"] == village
        right = [number for number, code in enumerate(offered, 1) if code in row.categories and named]
        return str(right[0] if right else len(offered) + 1)
    if node == "category":
        return str(CATALOG.category(row.first_category).position)
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
            figures.wrong_filed += case.category_id not in row.categories or case.village_id != village
            return count
        reply = send(phone, citizen_answer(phone, row, village))
    return MAX_STEPS + 1


def evaluate(messages: list[Row] | None = None, first_phone: int = 0) -> Figures:
    """Every figure over ``messages`` (default: the demo's labelled set); their directory must
    be loaded and the database bound. A citizen who named no place lives in the directory's
    first village (and answers the village question with it)."""
    messages = rows() if messages is None else messages
    figures = Figures(messages=len(messages))
    home = CATALOG.villages()[0].code
    catch_all = reading.catch_all()
    for index, row in enumerate(messages, start=first_phone):
        names_other, row = row.names_other, row.filed_under(catch_all)
        score_reading(row, figures)
        if not row.category or names_other and not row.village:
            continue
        village = row.village or (f"{row.subdistrict}01" if row.subdistrict else home)
        free = drive(f"+6689{index:07d}", row.text, row, village, figures)
        figures.free_sms.append(free)
        figures.menu_sms.append(drive(f"+6688{index:07d}", MENU_FIRST, row, village, figures))
        if names_other:
            figures.other_named += 1
            figures.other_in_one += free <= 2
        elif row.village:
            figures.both_named += 1
            figures.both_within_two += free <= 2
    return figures


PARTS = {
    "tuned": [(DEMO_DIRECTORY, MESSAGES, None), (NAN_DIRECTORY, NAN_MESSAGES, None),
              (DEMO_DIRECTORY, TUNING, "demo"), (NAN_DIRECTORY, TUNING, "nan")],
    "tuned-provinces": [(SOUTH_DIRECTORY, SOUTH_MESSAGES, None), (CENTRAL_DIRECTORY, CENTRAL_MESSAGES, None),
                        (UBON_DIRECTORY, UBON_MESSAGES, None), (EAST_DIRECTORY, EAST_MESSAGES, None),
                        (KORAT_DIRECTORY, KORAT_MESSAGES, None), *MORE_PROVINCES],
    "held-out": [(DEMO_DIRECTORY, HELD_OUT, "demo"), (NAN_DIRECTORY, HELD_OUT, "nan")],
    "tuned-strangers": [(DEMO_DIRECTORY, STRANGERS, "demo"), (NAN_DIRECTORY, STRANGERS, "nan")],
    "held-out-stranger": [(DEMO_DIRECTORY, HELD_OUT_STRANGER, "demo"), (NAN_DIRECTORY, HELD_OUT_STRANGER, "nan")],
    "held-out-isan": [(ISAN_DIRECTORY, ISAN_MESSAGES, None)],
    "held-out-west": [(WEST_DIRECTORY, WEST_MESSAGES, None)],
    "held-out-north": [(NORTH_DIRECTORY, NORTH_MESSAGES, None)],
    "held-out-sisaket": [(SISAKET_DIRECTORY, SISAKET_MESSAGES, None)],
    "held-out-phitsanulok": [(PHITSANULOK_DIRECTORY, PHITSANULOK_MESSAGES, None)],
}
"""Each part of the labelled messages: (directory, file, which of its rows)."""


def evaluate_part(part: str, fresh_app) -> Figures:
    """The figures of one part over all its directories, each loaded by ``fresh_app(name)``
    (a context manager yielding with a new database bound)."""
    total = Figures()
    for number, (folder, path, only) in enumerate(PARTS[part]):
        with fresh_app(f"{part.replace('-', '_')}_{number}"):
            directory.load(folder)
            total = total + evaluate(rows(path, only))
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def reader_cost(texts: list[str], rounds: int = 3) -> tuple[float, float]:
    """Milliseconds per first message read (p50, p99 over the messages) on the directory in
    memory (the name index is built once, before timing). Each message counts its best of
    ``rounds`` reads, as ``timeit`` advises: on a shared machine the slower ones measure the
    other processes, not the reader."""
    reading.read("ถนนพัง")
    seconds = []
    for text in texts:
        best = None
        for _ in range(rounds):
            started = time.perf_counter()
            reading.read(text)
            spent = time.perf_counter() - started
            best = spent if best is None else min(best, spent)
        seconds.append(best)
    return percentile(seconds, 0.5) * 1e3, percentile(seconds, 0.99) * 1e3


def big_directory_texts(labelled: list[Row]) -> list[str]:
    """The labelled texts, and each again with its place swapped for a place of the directory
    in memory (a generated one: its own names), so the name index is really searched."""
    villages = CATALOG.villages()
    texts = [row.text for row in labelled]
    for index, row in enumerate(labelled):
        village = villages[(index * 37) % len(villages)]
        place = (f"{village.name_th}" if index % 2 else f"หมู่ {village.moo} ต.{village.subdistrict.name_th}")
        texts.append(f"{row.text.split(' ')[0]} {place}")
    return texts


def run(ctx, db) -> dict:
    """``python -m bench --only reading``: the figures of each part (tuned, held-out), each
    directory on a fresh database of this kind; then the reader's cost per message on the
    generated directory."""
    found = {}

    @contextmanager
    def fresh_app(name):
        app = create_app({"DATABASE_URL": db.new(f"reading_{name}"), "REDIS_URL": ctx.redis.url,
                          "SMS_BACKEND": "console", "SECRET_KEY": "bench-reading"})
        with app.app_context():
            schema.create_tables()
            yield app

    for part in PARTS:
        figures = evaluate_part(part, fresh_app)
        print(f"\n== reading, {part} part ({db.name})")
        for line in figures.lines():
            print("  " + line, flush=True)
        found.update({f"reading_{part.replace('-', '_')}.{key}": value for key, value in figures.summary().items()})
    labelled = [row for part in PARTS.values() for _, path, only in part for row in rows(path, only)]
    with fresh_app("big"):
        directory.load(ctx.directory.folder)
        p50, p99 = reader_cost(big_directory_texts(labelled))
    print(f"\n== reader cost per first message, {len(CATALOG.villages())} villages: p50 {p50:.2f} ms, p99 {p99:.2f} ms",
          flush=True)
    found.update({"reader_p50_ms": round(p50, 3), "reader_p99_ms": round(p99, 3)})
    return found
