"""How many characters one SMS segment (or USSD screen) holds for a given text."""
from __future__ import annotations

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")
"""Characters GSM-7 sends as an escape plus one (they count twice)."""

SMS_UCS2_LIMIT = 70
"""UTF-16 code units in one SMS segment that holds any non-GSM character (Thai)."""
SMS_GSM7_LIMIT = 160
"""GSM-7 characters in one SMS segment."""
USSD_UCS2_LIMIT = 80
"""UTF-16 code units on one USSD screen (Thai)."""
USSD_GSM7_LIMIT = 182
"""GSM-7 characters on one USSD screen."""


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` has a GSM-7 encoding."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def units(text: str) -> int:
    """Length as the network counts it: GSM-7 septets, else UTF-16 code units."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def limit(text: str, ussd: bool = False) -> int:
    """The most units one segment (or USSD screen) may hold for this text."""
    if is_gsm7(text):
        return USSD_GSM7_LIMIT if ussd else SMS_GSM7_LIMIT
    return USSD_UCS2_LIMIT if ussd else SMS_UCS2_LIMIT


def fits(text: str, ussd: bool = False) -> bool:
    """True when ``text`` fits one SMS segment (or one USSD screen)."""
    return units(text) <= limit(text, ussd)
