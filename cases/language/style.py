"""The Thai style guide's rules that a program can check or apply (``docs/thai-style.md``
explains them): one register with no sentence-final particle, one word for each case state,
no abbreviation a villager may not know in citizen texts, abbreviations and slashes spoken
in full on voice. The tests (``tests/test_style.py``) and the voice menu read this module,
so the rules have one source."""
from __future__ import annotations

import re

from cases.language.i18n import N_
from cases.store.models import CaseStatus

PARTICLE = ""
"""The one sentence-final particle every text uses: none (see the guide for why)."""
PARTICLES = frozenset({"ครับ", "ค่ะ", "คะ", "ค่า", "จ้ะ", "จ้า", "จ๊ะ", "นะ", "นะคะ", "นะครับ", "ฮะ", "คับ", "ขา"})
"""Particles no text may use (the guide chose none)."""

STATE_WORDS = {
    CaseStatus.NEW: N_("received"),
    CaseStatus.ASSIGNED: N_("waiting to be taken"),
    CaseStatus.ACCEPTED: N_("being fixed"),
    CaseStatus.DONE: N_("done"),
    CaseStatus.CANCELLED: N_("cancelled"),
}
"""The one word (msgid; Thai in the catalog) for each state, on every channel and screen."""
OTHER_STATE_WORDS = ("แก้แล้ว", "แก้ไขเสร็จ", "รับเรื่องแล้ว", "ดำเนินการ", "ปิดแล้ว", "ปิดไปแล้ว", "ข่าว")
"""Second names for a state (and "ข่าว" for case updates) that no Thai text may use."""

ABBREVIATIONS = {
    "ผญบ.": "ผู้ใหญ่บ้าน",
    "ทม.": "เทศบาลเมือง",
    "ทน.": "เทศบาลนคร",
    "ทต.": "เทศบาลตำบล",
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "สนง.": "สำนักงาน",
    "กฟภ.": "การไฟฟ้าส่วนภูมิภาค",
    "กปภ.": "การประปาส่วนภูมิภาค",
    "ปภ.": "ป้องกันและบรรเทาสาธารณภัย",
    "ทสจ.": "ทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด",
    "สสจ.": "สาธารณสุขจังหวัด",
    "ปศจ.": "ปศุสัตว์จังหวัด",
    "ชม.": "ชั่วโมง",
    "ต.": "ตำบล",
    "อ.": "อำเภอ",
    "จ.": "จังหวัด",
    "ม.": "หมู่",
}
"""Abbreviations a villager may not know, with what they stand for (spoken in full on voice)."""
STAFF_ABBREVIATIONS = frozenset({"ต.", "อ.", "ชม."})
"""Allowed in the fixed wording of staff texts (officials use them daily); never in citizen texts."""

SPOKEN_FORBIDDEN = ("พิมพ์",)
"""Words no voice prompt may say: a caller presses keys (``กด``), never types."""

_ABBREVIATION = re.compile(r"([\u0E01-\u0E2E]{1,4})\.")
"""Thai letters followed by a full stop: in Thai prose only an abbreviation looks like this."""
_SPOKEN = sorted(ABBREVIATIONS, key=len, reverse=True)


def abbreviations_in(text: str) -> list[str]:
    """The abbreviations written in ``text`` (any Thai letters + ``.``: known or not)."""
    return [match.group(0) for match in _ABBREVIATION.finditer(text or "")]


def spoken(text: str) -> str:
    """``text`` as text-to-speech should read it: abbreviations in full (``ต.ปัว`` →
    ``ตำบล ปัว``), a slash between words as a pause (``ไฟป่า/หมอกควัน`` → ``ไฟป่า หมอกควัน``)."""
    for short in _SPOKEN:
        text = re.sub(rf"(?<![\u0E01-\u0E4E]){re.escape(short)}\s*", ABBREVIATIONS[short] + " ", text)
    return re.sub(r"\s*/\s*", " ", text).strip()


STAFF_KEY_PREFIXES = ("staff_", "remind_", "escalate_")
STAFF_KEYS = frozenset({"digest", "surge", "help_province"})


def for_staff(key: str) -> bool:
    """True for the templates only staff (an agency's or the province's) receive."""
    return key.startswith(STAFF_KEY_PREFIXES) or key in STAFF_KEYS
