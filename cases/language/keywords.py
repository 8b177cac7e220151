"""What people type on a keypad, read once at the door: cleaned (Thai digits, stray spaces,
keypad slips, controls), its polite particles stripped once, and the SMS keywords with their
aliases and common misspellings. The type and the place are read by ``reading``."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property

from pythainlp.util import normalize as thai_normalize
from pythainlp.util import thai_digit_to_arabic_digit
from rapidfuzz import fuzz, process

from cases.language import reading
from cases.language.lexicon import without_particles
from cases.language.reading import Reading


class Command(str, Enum):
    """An SMS keyword (the first word of a message)."""

    STATUS = "status"
    CANCEL = "cancel"
    STOP = "stop"
    START = "start"
    ENGLISH = "en"
    THAI = "th"
    ACCEPT = "accept"
    DONE = "done"
    FORWARD = "forward"
    LIST = "list"
    VIEW = "view"
    ON_BEHALF = "on_behalf"
    SUMMARY = "summary"
    HELP = "help"
    AGENCIES = "agencies"


ALIASES: dict[Command, tuple[str, ...]] = {
    Command.STATUS: ("สถานะ", "status", "สถาณะ", "สะถานะ", "ติดตาม", "stat", "sts"),
    Command.CANCEL: ("ยกเลิก", "cancel", "ยกเลิด", "ยกเลก", "cancle"),
    Command.STOP: ("หยุด", "stop", "หยุต"),
    Command.START: ("เริ่ม", "start", "เริ้ม", "เรื่ม"),
    Command.ENGLISH: ("en", "eng", "english"),
    Command.THAI: ("th", "thai", "ไทย", "ภาษาไทย"),
    Command.ACCEPT: ("รับ", "accept", "รับเรื่อง", "acept", "accpet"),
    Command.DONE: ("เสร็จ", "done", "เสร็จแล้ว", "เสด็จ", "เสร็ด", "เสด", "finish", "closed", "close"),
    Command.FORWARD: ("ส่งต่อ", "fwd", "forward", "ส่งต่อไป", "foward", "frwd"),
    Command.LIST: ("งาน", "list", "งานค้าง", "lits", "lst"),
    Command.VIEW: ("ดู", "view", "ดูเรื่อง", "detail", "details", "veiw"),
    Command.ON_BEHALF: ("แทน", "for", "แจ้งแทน"),
    Command.HELP: ("ช่วย", "help", "?", "วิธีใช้", "คำสั่ง", "hlep"),
    Command.AGENCIES: ("หน่วยงาน", "agencies", "agency", "agencys", "agencie"),
    Command.SUMMARY: ("สรุป", "summary", "สรุปยอด", "ยอด", "สรูป", "สรุบ", "สะรุป", "summery", "sumary", "summ"),
}
"""Each command's words: Thai first, then English, then slips people really make."""

_WORDS = {word: command for command, words in ALIASES.items() for word in words}
FUZZY_MIN_LENGTH = 5
"""Words shorter than this must match exactly (a fuzzy 'ok' would swallow real text)."""
FUZZY_SCORE = 80
"""How close (0–100) a longer word must be to a keyword to count as it."""


def clean(text: str) -> str:
    """Thai digits → 0–9, keypad slips mended (เเ→แ, ํา→ำ), spaces folded, controls dropped."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t ")
    text = thai_digit_to_arabic_digit(text)
    text = thai_normalize(text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Said:
    """One inbound text, read once at the door: cleaned, its command word if any, and (for a
    message that starts a report) what the reader found in it."""

    raw: str
    text: str  # cleaned (``clean``)
    command: Command | None = None
    rest: str = ""  # the words after the command (the whole text when there is none)
    reading: Reading | None = None  # the type and place read from it (``with_reading``)

    @cached_property
    def bare(self) -> str:
        """The cleaned text without a closing polite particle (``5 ค่ะ`` → ``5``), stripped once."""
        return without_particles(self.text)

    @property
    def digits(self) -> str | None:
        """The digits when the text is only digits (a menu number, a rating), maybe with a
        polite particle after them (``5 ค่ะ``), else None."""
        return self.bare if self.bare.isdigit() else None

    def with_reading(self, last_village=None) -> "Said":
        """This text with its type and place read (``last_village``: the phone's last one)."""
        return replace(self, reading=reading.read(self.text, last_village))


def read(text: "str | Said") -> Said:
    """The one pass over an inbound text: cleaned, and its command word split off."""
    if isinstance(text, Said):
        return text
    cleaned = clean(text)
    command, rest = _split(cleaned)
    return Said(text or "", cleaned, command, rest)


def split_command(text: str) -> tuple[Command | None, str]:
    """(command, the rest) when ``text`` starts with a keyword, else (None, text).

    A reference stuck to the keyword (``สถานะ1234567``) is split off too.
    """
    return _split(clean(text))


def _split(text: str) -> tuple[Command | None, str]:
    match = re.match(r"^(\D+?)\s*(\d.*)?$", text)
    first, rest = (match.group(1).strip(), (match.group(2) or "").strip()) if match else ("", text)
    if " " in first:
        first, _, more = first.partition(" ")
        rest = f"{more} {rest}".strip()
    command = lookup(first)
    return (command, rest) if command else (None, text)


YES_WORDS = ("ใช่", "ใช่แล้ว", "ถูก", "ถูกต้อง", "ครับ", "ค่ะ", "คะ", "จ้า", "โอเค", "ตกลง", "แม่น", "แม่นแล้ว",
             "yes", "y", "ok", "okay", "right", "correct")
NO_WORDS = ("ไม่ใช่", "ไม่", "ไม่ถูก", "ผิด", "บ่ใช่", "บ่แม่น", "no", "n", "wrong", "not right")
"""Yes and no in words (standard and Northern Thai, English) at a yes/no question."""


def answer_word(text: str) -> bool | None:
    """True for a yes in words, False for a no, None for anything else (``text`` as cleaned
    at the door)."""
    word = without_particles(text).lower().rstrip(".!")  # ใช่ค่ะ, ไม่ใช่ครับ
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def lookup(word: str) -> Command | None:
    """The command ``word`` names, allowing for case and small misspellings."""
    word = word.strip().lower().rstrip(".:")
    if not word:
        return None
    if word in _WORDS:
        return _WORDS[word]
    if len(word) < FUZZY_MIN_LENGTH:
        return None
    found = process.extractOne(word, _WORDS.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
    return _WORDS[found[0]] if found else None
