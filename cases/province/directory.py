"""Load the directory (areas, categories, agencies, routing, staff, village heads) from CSV.

``load(folder)`` reads the contract's CSV files found in ``folder``. All or nothing: every
file is read and checked first, every problem is collected as ``file.csv:LINE: reason``
and, if there is any, ``DirectoryError`` is raised before anything is written. Otherwise
all rows are written in one transaction; loading again updates rows in place.

Each file is described by one ``FileSpec`` (columns, key, row parser); one generic loop
reads, checks and writes them all.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from peewee import chunked

from cases.province import catalog
from cases.province.phones import InvalidPhone, to_e164
from cases.store import models

MAX_TEXT = 255
"""Longest name we store (the CharField size on PostgreSQL)."""

CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""Category and agency codes: one word a staff member can type in an SMS."""

ANY_AREA = "*"
"""A routing rule for every area."""


class DirectoryError(Exception):
    """The files hold problems; nothing was changed. ``problems``: ``file.csv:LINE: reason``."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the directory files")
        self.problems = problems


@dataclass
class Known:
    """Codes that references may use: those in the database plus those being loaded."""

    codes: dict[str, set[str]]
    broken: set[str] = field(default_factory=set)  # kinds whose file could not be read

    @classmethod
    def from_database(cls) -> Known:
        sources = {
            "district": models.District, "subdistrict": models.Subdistrict,
            "village": models.Village, "category": models.Category, "agency": models.Agency,
        }
        return cls({kind: {row.code for row in model.select(model.code)} for kind, model in sources.items()})

    def has(self, code: str, kinds: tuple[str, ...]) -> bool:
        """Whether ``code`` is known as one of ``kinds`` (always, for a kind whose file failed)."""
        return any(code in self.codes[kind] or kind in self.broken for kind in kinds)


class Row:
    """One data row: its cells by column, its line, and the problems found while parsing."""

    def __init__(self, cells: dict[str, str], line: int, index: int, known: Known):
        self.cells = cells
        self.line = line
        self.index = index  # 1 for the first data row
        self.known = known
        self.problems: list[str] = []

    def fail(self, reason: str) -> None:
        self.problems.append(reason)

    def has(self, column: str) -> bool:
        return column in self.cells

    def text(self, column: str) -> str:
        value = self.cells[column]
        if not value:
            self.fail(f"{column} is empty")
        elif len(value) > MAX_TEXT:
            self.fail(f"{column} is longer than {MAX_TEXT} characters")
        return value

    def optional_text(self, column: str) -> str | None:
        """The cell's text, or None when the column is absent or the cell empty."""
        return self.text(column) if self.cells.get(column) else None

    def digits(self, column: str, length: int) -> str:
        value = self.cells[column]
        if not re.fullmatch(f"[0-9]{{{length}}}", value):
            self.fail(f"{column} must be {length} digits, not {value!r}")
        return value

    def code(self, column: str) -> str:
        value = self.cells[column]
        if not CODE_PATTERN.fullmatch(value):
            self.fail(f"{column} must be 1-32 letters, digits, '-' or '_', not {value!r}")
        return value

    def ref(self, column: str, *kinds: str, digits: int | None = None) -> str:
        """A code that must exist among the known codes of one of ``kinds``."""
        before = len(self.problems)
        value = self.digits(column, digits) if digits else self.code(column)
        if len(self.problems) == before and not self.known.has(value, kinds):
            self.fail(f"unknown {' or '.join(kinds)} {column} {value!r}")
        return value

    def integer(self, column: str, low: int, high: int) -> int | None:
        value = self.cells[column]
        if re.fullmatch("[0-9]{1,9}", value) and low <= int(value) <= high:
            return int(value)
        self.fail(f"{column} must be a whole number from {low} to {high}, not {value!r}")
        return None

    def optional_number(self, column: str, low: float, high: float) -> float | None:
        value = self.cells.get(column, "")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            self.fail(f"{column} must be a number from {low:g} to {high:g}, not {value!r}")
            return None
        return number

    def phone(self, column: str) -> str:
        value = self.cells[column]
        try:
            return to_e164(value)
        except InvalidPhone:
            self.fail(f"{column} {value!r} is not a phone number (0812345678 or +66812345678)")
            return value


# --- one parser per file: Row -> the model's field values --------------------------------


def parse_district(row: Row) -> dict:
    return {"code": row.digits("code", 4), "name_th": row.text("name_th"), "name_en": row.text("name_en")}


def parse_subdistrict(row: Row) -> dict:
    record = {
        "code": row.digits("code", 6),
        "district": row.ref("district_code", "district", digits=4),
        "name_th": row.text("name_th"),
        "name_en": row.text("name_en"),
    }
    if not row.problems and not record["code"].startswith(record["district"]):
        row.fail(f"code {record['code']} does not start with its district code {record['district']}")
    if row.has("zip_code"):
        zip_code = row.cells["zip_code"]
        if zip_code and not re.fullmatch("[0-9]{5}", zip_code):
            row.fail(f"zip_code must be 5 digits, not {zip_code!r}")
        record["zip_code"] = zip_code or None
    for column, limit in (("lat", 90), ("lon", 180)):
        if row.has(column):
            record[column] = row.optional_number(column, -limit, limit)
    return record


def parse_village(row: Row) -> dict:
    record = {
        "code": row.digits("code", 8),
        "subdistrict": row.ref("subdistrict_code", "subdistrict", digits=6),
        "moo": row.integer("moo", 1, 99),
        "name_th": row.text("name_th"),
        "name_en": row.text("name_en"),
    }
    if not row.problems and record["code"] != f"{record['subdistrict']}{record['moo']:02d}":
        row.fail(
            f"code {record['code']} must be subdistrict code {record['subdistrict']}"
            f" + moo {record['moo']:02d}"
        )
    return record


def parse_category(row: Row) -> dict:
    record = {
        "code": row.code("code"),
        "name_th": row.text("name_th"),
        "name_en": row.text("name_en"),
        "position": row.index,  # menu order = file order
    }
    if row.has("days"):
        record["days"] = row.integer("days", 1, 3650) if row.cells["days"] else None
    for column in ("keywords_th", "keywords_en"):
        if row.has(column):  # the words citizens use for this type, separated by ";"
            words = [word.strip() for word in (row.optional_text(column) or "").split(";")]
            record[column] = ";".join(word for word in words if word) or None
    return record


def parse_agency(row: Row) -> dict:
    record = {"code": row.code("code"), "name_th": row.text("name_th"), "name_en": row.text("name_en")}
    for language in ("th", "en"):
        column = f"short_name_{language}"
        if row.has(column):  # optional: an empty cell means none (the full name is cut to fit)
            record[column] = row.optional_text(column)
    return record


def parse_rule(row: Row) -> dict:
    area = row.cells["area_code"]
    if area != ANY_AREA and not row.known.has(area, ("district", "subdistrict", "village")):
        row.fail(f"area_code {area!r} is not a known district, subdistrict or village code, nor '*'")
    return {
        "category": row.ref("category_code", "category"),
        "area_code": area,
        "agency": row.ref("agency_code", "agency"),
    }


def parse_staff(row: Row) -> dict:
    record = {"phone": row.phone("phone"), "agency": row.ref("agency_code", "agency"), "name": row.text("name")}
    record["role"] = row.cells["role"].lower()
    if record["role"] not in {member.value for member in models.StaffRole}:
        row.fail(f"role must be 'officer', 'head' or 'province', not {row.cells['role']!r}")
    return record


def parse_village_head(row: Row) -> dict:
    return {
        "phone": row.phone("phone"),
        "village": row.ref("village_code", "village", digits=8),
        "name": row.text("name"),
    }


def renumber_other_categories(records: list[dict]) -> None:
    """Categories missing from a reloaded categories.csv go after the file's, in old order."""
    in_file = [record["code"] for record in records]
    others = (models.Category.select().where(models.Category.code.not_in(in_file))
              .order_by(models.Category.position, models.Category.code))
    for position, category in enumerate(others, len(in_file) + 1):
        models.Category.update(position=position).where(models.Category.code == category.code).execute()


@dataclass(frozen=True)
class FileSpec:
    """One directory file: its columns, the model it fills, its key and its row parser."""

    name: str  # file name without .csv; also the name of its count
    model: type[models.BaseModel]
    columns: tuple[str, ...]
    parse: Callable[[Row], dict]
    key: tuple[str, ...] = ("code",)  # record fields that identify a row (the upsert target)
    kind: str | None = None  # the kind of code the file defines, for references
    optional: tuple[str, ...] = ()
    finish: Callable[[list[dict]], None] | None = None  # runs after the file's rows are written

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


SPECS = (
    FileSpec("districts", models.District, ("code", "name_th", "name_en"), parse_district, kind="district"),
    FileSpec(
        "subdistricts", models.Subdistrict, ("code", "district_code", "name_th", "name_en"), parse_subdistrict,
        kind="subdistrict", optional=("zip_code", "lat", "lon"),
    ),
    FileSpec(
        "villages", models.Village, ("code", "subdistrict_code", "moo", "name_th", "name_en"), parse_village,
        kind="village",
    ),
    FileSpec(
        "categories", models.Category, ("code", "name_th", "name_en"), parse_category,
        kind="category", optional=("days", "keywords_th", "keywords_en"), finish=renumber_other_categories,
    ),
    FileSpec(
        "agencies", models.Agency, ("code", "name_th", "name_en"), parse_agency,
        kind="agency", optional=("short_name_th", "short_name_en"),
    ),
    FileSpec(
        "routing", models.RoutingRule, ("category_code", "area_code", "agency_code"), parse_rule,
        key=("category", "area_code"),
    ),
    FileSpec("staff", models.Staff, ("phone", "agency_code", "name", "role"), parse_staff, key=("phone",)),
    FileSpec(
        "village_heads", models.VillageHead, ("phone", "village_code", "name"), parse_village_head, key=("phone",),
    ),
)
"""Every directory file, in load order (a file only refers to files before it)."""


# --- reading and checking -------------------------------------------------------------


MAX_ENCODING_PROBLEMS = 10
"""Undecodable lines reported per file (a binary file would give thousands)."""


def decode(spec: FileSpec, data: bytes, problems: list[str]) -> str | None:
    """The file's text (UTF-8, optional BOM); each undecodable line becomes a problem.

    None when the header line itself cannot be decoded (the file is then not read further).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        bad = []
        for number, line in enumerate(data.split(b"\n"), 1):
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                bad.append(f"{spec.filename}:{number}: not valid UTF-8 (byte {error.object[error.start]:#04x})")
        problems.extend(bad[:MAX_ENCODING_PROBLEMS])
        if len(bad) > MAX_ENCODING_PROBLEMS:
            more = len(bad) - MAX_ENCODING_PROBLEMS
            problems.append(f"{spec.filename}: ... and {more} more lines that are not UTF-8")
        if bad[0].startswith(f"{spec.filename}:1:"):
            return None
        return data.decode("utf-8-sig", errors="replace")


def read_rows(spec: FileSpec, text: str, problems: list[str]) -> list[tuple[int, dict[str, str]]] | None:
    """(line, cells by column) for each non-blank data row; None when the header is unusable."""
    reader = csv.reader(io.StringIO(text, newline=""))
    where = f"{spec.filename}:"
    try:
        header = next(reader, None)
        if header is None:
            problems.append(f"{where}1: empty file, a header row is required: {','.join(spec.columns)}")
            return None
        names = [name.strip().lower() for name in header]
        missing = [name for name in spec.columns if name not in names]
        unknown = [name for name in names if name not in spec.columns + spec.optional]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if missing or unknown or repeated:
            found = (("missing column", missing), ("unknown column", unknown), ("repeated column", repeated))
            details = [f"{label} {', '.join(items)}" for label, items in found if items]
            problems.append(f"{where}1: bad header ({'; '.join(details)}); expected {','.join(spec.columns)}")
            return None
        rows, line = [], reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) != len(names):
                    problems.append(f"{where}{line}: expected {len(names)} columns, found {len(cells)}")
                else:
                    rows.append((line, {name: cell.strip() for name, cell in zip(names, cells)}))
            line = reader.line_num + 1
        return rows
    except csv.Error as error:
        problems.append(f"{where}{reader.line_num}: unreadable CSV ({error})")
        return None


def check(spec: FileSpec, rows: list[tuple[int, dict[str, str]]], known: Known, problems: list[str]) -> list[dict]:
    """Parse every row; problems and duplicate keys are reported; returns the records."""
    records, first_line = [], {}
    for index, (line, cells) in enumerate(rows, 1):
        row = Row(cells, line, index, known)
        record = spec.parse(row)
        key = tuple(record[name] for name in spec.key)
        if key in first_line:
            row.fail(f"duplicate {'/'.join(spec.key)} {'/'.join(map(str, key))} (first on line {first_line[key]})")
        else:
            first_line[key] = line
        if spec.kind:
            known.codes[spec.kind].add(record["code"])
        problems.extend(f"{spec.filename}:{line}: {reason}" for reason in row.problems)
        records.append(record)
    return records


def write(spec: FileSpec, records: list[dict]) -> None:
    """Insert the records, updating rows that already exist (same key)."""
    model = spec.model
    target = [getattr(model, name) for name in spec.key]
    for batch in chunked(records, 100):
        update = [getattr(model, name) for name in batch[0] if name not in spec.key]
        model.insert_many(batch).on_conflict(conflict_target=target, preserve=update).execute()
    if spec.finish:
        spec.finish(records)


def load(folder: Path | str) -> dict[str, int]:
    """Load the directory files present in ``folder``; all or nothing. Counts by file name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DirectoryError([f"{folder}: not a folder"])
    expected = {spec.filename for spec in SPECS}
    problems = [f"{path.name}:1: unknown directory file (expected one of {', '.join(sorted(expected))})"
                for path in sorted(folder.glob("*.csv")) if path.name not in expected]
    present = [spec for spec in SPECS if (folder / spec.filename).is_file()]
    if not present:
        problems.append(f"{folder}: no directory files (expected {', '.join(sorted(expected))})")
    with models.database.atomic():  # checked against the same database state it is written to
        known, loaded = Known.from_database(), []
        for spec in present:
            text = decode(spec, (folder / spec.filename).read_bytes(), problems)
            rows = None if text is None else read_rows(spec, text, problems)
            if rows is None:
                if spec.kind:
                    known.broken.add(spec.kind)
                continue
            loaded.append((spec, check(spec, rows, known, problems)))
        if problems:
            raise DirectoryError(problems)  # nothing was written: the transaction is rolled back
        for spec, records in loaded:
            write(spec, records)
        catalog.new_version()
    catalog.CATALOG.forget()
    return {spec.name: len(records) for spec, records in loaded}
