"""What people type on a keypad, made readable: Thai digits, stray spaces, keypad slips,
and the SMS keywords with their aliases and common misspellings."""
from __future__ import annotations

import re
import unicodedata
from enum import Enum

from pythainlp.util import normalize as thai_normalize
from pythainlp.util import thai_digit_to_arabic_digit
from rapidfuzz import fuzz, process


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


def split_command(text: str) -> tuple[Command | None, str]:
    """(command, the rest) when ``text`` starts with a keyword, else (None, text).

    A reference stuck to the keyword (``สถานะ1234567``) is split off too.
    """
    text = clean(text)
    match = re.match(r"^(\D+?)\s*(\d.*)?$", text)
    first, rest = (match.group(1).strip(), (match.group(2) or "").strip()) if match else ("", text)
    if " " in first:
        first, _, more = first.partition(" ")
        rest = f"{more} {rest}".strip()
    command = lookup(first)
    return (command, rest) if command else (None, text)


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
