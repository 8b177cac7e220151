"""Inbound SMS as Twilio posts them (form, signature, raw HTTP request), and what the
benchmarks read in the answers: the reference number and the apology text."""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.pofile import read_po
from twilio.request_validator import RequestValidator

from .procs import ROOT

ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-auth-token"
FROM_NUMBER = "+15005550006"
PUBLIC_BASE_URL = "https://rongrian.bench.invalid"
PATH = "/twilio/sms"
USSD_PATH = "/ussd"
FIRST_SMS = "ถนนเป็นหลุม"
ONE_SHOT_TEXT = "ถนนเป็นหลุมใหญ่"

PURPOSES = {"intake-first": 1, "intake-oneshot": 2, "burst": 3, "worker": 4, "warmup": 5, "openloop": 6,
            "intake-warmup": 7, "gateway": 8, "gateway-talk": 0, "intake-ussd": 9}
"""Each use gets its own citizen phones (+66 9P xxx xxxx), never a staff or head phone."""

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
REFERENCE = re.compile(r"(?<![0-9-])[0-9](?:-?[0-9]){5,9}(?![0-9])")


def phone(purpose: str, index: int) -> str:
    return f"+669{PURPOSES[purpose]}{index:07d}"


def one_shot(type_number: int, village: str) -> str:
    return f"{type_number} {village} {ONE_SHOT_TEXT}"


def form(purpose: str, index: int, body: str, run: str = "") -> dict:
    """Twilio's inbound form for the ``index``-th message of ``purpose`` (a unique MessageSid)."""
    sid = f"SM{run}{PURPOSES[purpose]}{index:09d}".ljust(34, "0")
    return {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": phone(purpose, index), "To": FROM_NUMBER,
            "Body": body, "NumSegments": "1"}


def ussd_form(purpose: str, index: int) -> dict:
    """The first request of a USSD session (nothing typed yet) from the ``index``-th phone of ``purpose``."""
    return {"sessionId": f"ATUid_{PURPOSES[purpose]}_{index}", "serviceCode": "*123#", "phoneNumber": phone(purpose, index),
            "networkCode": "52001", "text": ""}


def signature(params: dict) -> str:
    """X-Twilio-Signature of a POST of ``params`` to PUBLIC_BASE_URL + /twilio/sms."""
    return RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + PATH, params)


def signed(params: dict) -> tuple[str, str]:
    """(signature, url-encoded body)."""
    return signature(params), urlencode(params)


def http_request(port: int, params: dict, path: str = PATH) -> bytes:
    """The whole signed HTTP/1.1 request (the connection closes after the answer)."""
    sig, body = signed(params)
    data = body.encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(data)}\r\n"
            f"X-Twilio-Signature: {sig}\r\n\r\n")
    return head.encode() + data


def message_text(twiml: str) -> str:
    """The text of the TwiML reply's <Message> (empty when there is none)."""
    found = re.search(r"<Message[^>]*>(.*?)</Message>", twiml, re.S)
    return html.unescape(found.group(1)) if found else ""


def references(text: str) -> list[str]:
    """Reference numbers in ``text`` (runs of 6-10 digits, hyphens ignored, Thai digits read)."""
    return [match.replace("-", "") for match in REFERENCE.findall(text.translate(THAI_DIGITS))]


def apology_texts(root: Path = ROOT) -> list[str]:
    """The "sorry" template in English and as the Thai catalog words it."""
    english = "Sorry, something went wrong. Please send your message again."
    texts = [english]
    catalog = root / "locale" / "th" / "LC_MESSAGES" / "messages.po"
    try:
        with open(catalog, "rb") as file:
            message = read_po(file).get(english)
        if message is not None and message.string:
            texts.append(message.string)
    except (OSError, ValueError) as error:
        print(f"  note: Thai apology text not read from {catalog}: {error}")
    return texts


def is_apology(text: str, apologies: list[str]) -> bool:
    return any(apology in text for apology in apologies)
