"""Open311 GeoReport v2 at ``/open311/v2``: a thin adapter beside the channel adapters.

Partner systems read the types of problem (services) and the cases (service requests), and
with an API key (``OPEN311_API_KEYS``) file a case: the same ``lifecycle.file_report`` as an
SMS report, routed by the same job; a given ``phone`` gets the same SMS as a texting citizen.
JSON and XML (``.json`` / ``.xml``); errors as ``[{"code": 400, "description": …}]``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import unicodedata
import urllib.parse

import redis
from flask import Blueprint, current_app, request
from werkzeug.exceptions import HTTPException

from cases.casework import duplicates, lifecycle
from cases.language import lifecycle_texts, texts
from cases.language.i18n import LANGUAGES, normalize_language
from cases.messages.outbox import queue_sms
from cases.messages.receipts import received_params
from cases.province.catalog import CATALOG
from cases.province.phones import THAI_DIGITS, InvalidPhone, to_e164
from cases.reporting import public
from cases.store.models import utcnow
from outbound.ratelimit import RateLimit
from web import services, unit_of_work

from .open311_format import respond

log = logging.getLogger(__name__)

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

CHANNEL = "open311"
"""``Case.channel`` of the cases partner systems file."""
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-27T00:00:00+07:00"
"""When this API last changed (discovery)."""
CONTACT = "The province office that runs this Rongrian instance."
KEY_SERVICE = "Ask the province office for an API key (OPEN311_API_KEYS)."
MAX_DESCRIPTION = 4000
"""Characters of a description at most (the spec's limit)."""
MAX_IDS = 1000
"""References one ``service_request_id`` list may hold."""
MAX_FIELD = 200
"""Characters of any other field at most."""
POSTS_PER_MINUTE = 60
"""POSTs one API key may make in any minute (the app config ``OPEN311_MAX_PER_MINUTE`` overrides)."""
UNENCODED_PLUS = re.compile(r" (\d\d:?\d\d)$")
"""A date's ``+07:00`` that reached us as `` 07:00`` (a ``+`` not encoded in the URL)."""
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
KEY_HEADER = "X-Api-Key"
"""Where a partner may send its api_key instead of the form body."""


class Open311Error(Exception):
    """An answer in the spec's error format."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


@bp.errorhandler(Open311Error)
def _spec_error(error: Open311Error):
    return respond([{"code": error.code, "description": error.description}], "errors", _format(), error.code)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):  # a body too large, and the like
    return _spec_error(Open311Error(error.code or 400, error.description or error.name))


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def _elsewhere(rest):
    """Any other path or method under /open311/v2: a 404 in the spec's format too."""
    raise Open311Error(404, "nothing here for this method and path: see discovery.json")


def _format() -> str:
    fmt = (request.view_args or {}).get("fmt") or request.path.rpartition(".")[2]
    return fmt if fmt in ("json", "xml") else "json"


def _check_format(fmt: str) -> None:
    if fmt not in ("json", "xml"):
        raise Open311Error(404, "formats: .json or .xml")


def language() -> str:
    """``locale`` (``en``, ``th_TH``…) if given, else the best of Accept-Language; Thai by default."""
    asked = request.args.get("locale", "").strip()[:2].lower()
    return normalize_language(asked or request.accept_languages.best_match(LANGUAGES))


# --- reading ---------------------------------------------------------------------------


@bp.get("/discovery.<fmt>")
def discovery(fmt):
    _check_format(fmt)
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root.rstrip("/")
    endpoint = {
        "specification": SPECIFICATION, "url": f"{base}{bp.url_prefix}", "changeset": CHANGESET,
        "type": "production", "formats": ["application/json", "text/xml"],
    }
    found = {"changeset": CHANGESET, "contact": CONTACT, "key_service": KEY_SERVICE, "endpoints": [endpoint]}
    return respond(found, "discovery", fmt)


@bp.get("/services.<fmt>")
def service_list(fmt):
    _check_format(fmt)
    shown = language()
    return respond([_service(category, shown) for category in CATALOG.categories()], "services", fmt)


def _service(category, shown: str) -> dict:
    words = [word.strip() for field in (category.keywords_th, category.keywords_en) for word in (field or "").split(";")]
    default = CATALOG.rule(category.code, "*")
    return {
        "service_code": category.code,
        "service_name": texts.localized(category, shown),
        "description": category.name_th if category.name_th == category.name_en else f"{category.name_th} / {category.name_en}",
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(dict.fromkeys(word for word in words if word)),
        "group": texts.localized(default, shown) if default else "",
    }


@bp.get("/services/<code>.<fmt>")
def service_definition(code, fmt):
    _check_format(fmt)
    if CATALOG.category(code) is None:
        raise Open311Error(404, f"no service has the code {code[:MAX_FIELD]}")
    return respond({"service_code": code, "attributes": []}, "service_definition", fmt)


@bp.get("/requests.<fmt>")
def request_list(fmt):
    _check_format(fmt)
    args = request.args
    ids = _references(args.get("service_request_id", ""))
    if ids is not None:
        found = public.search(references=ids)
    else:
        code = args.get("service_code", "").strip() or None
        if code is not None and CATALOG.category(code) is None:
            raise Open311Error(400, f"service_code: no service has the code {code[:MAX_FIELD]}")
        try:
            start, end = public.period(_time("start_date"), _time("end_date"), utcnow())
        except ValueError as error:
            raise Open311Error(400, str(error)) from error
        found = public.search(category=code, start=start, end=end, open_=_status(args.get("status", "")))
    return respond(_rows(found), "service_requests", fmt)


@bp.get("/requests/<ref>.<fmt>")
def single_request(ref, fmt):
    _check_format(fmt)
    ref = ref.strip().translate(THAI_DIGITS)
    found = public.search(references=[ref]) if ref.isdigit() and len(ref) <= 10 else []
    if not found:
        raise Open311Error(404, f"no service request has the id {ref[:MAX_FIELD]}")
    return respond(_rows(found), "service_requests", fmt)


def _references(text: str) -> list[str] | None:
    if not text.strip():
        return None
    ids = [part.strip().translate(THAI_DIGITS).replace("-", "") for part in text.split(",") if part.strip()]
    if len(ids) > MAX_IDS or not all(part.isdigit() and len(part) <= 10 for part in ids):
        raise Open311Error(400, f"service_request_id: up to {MAX_IDS} references (digits), comma-separated")
    return ids


def _time(name: str):
    text = request.args.get(name, "").strip()
    if not text:
        return None
    text = UNENCODED_PLUS.sub(r"+\1", text)  # "+07:00" left unencoded in a URL reads " 07:00"
    try:
        return public.to_utc(dt.datetime.fromisoformat(text))
    except (ValueError, OverflowError) as error:
        raise Open311Error(400, f"{name}: not an ISO 8601 date-time like 2026-11-27T17:05:00+07:00") from error


def _status(text: str) -> bool | None:
    """open → True, closed → False, both or none → None."""
    asked = {part.strip().lower() for part in text.split(",") if part.strip()}
    if not asked <= {"open", "closed"}:
        raise Open311Error(400, "status: open or closed (or both, comma-separated)")
    return None if len(asked) != 1 else asked == {"open"}


def _rows(cases) -> list[dict]:
    shown = language()
    return [_row(item, shown) for item in public.describe(cases, shown)]


def _row(item: public.PublicCase, shown: str) -> dict:
    case, village = item.case, item.village
    subdistrict = village.subdistrict
    return {
        "service_request_id": case.reference,
        "status": "open" if item.open else "closed",
        "status_notes": item.note,
        "service_name": texts.localized(item.category, shown),
        "service_code": item.category.code,
        "description": item.description,
        "agency_responsible": texts.localized(item.agency, shown) if item.agency else "",
        "service_notice": "",
        "requested_datetime": public.local_iso(case.created_at),
        "updated_datetime": public.local_iso(item.updated_at),
        "expected_datetime": public.local_iso(item.expected_at),
        "address": public.address(village, shown),
        "address_id": village.code,
        "zipcode": subdistrict.zip_code,
        "lat": subdistrict.lat,
        "long": subdistrict.lon,
        "media_url": None,
    }


# --- filing ----------------------------------------------------------------------------


@bp.post("/requests.<fmt>")
def create_request(fmt):
    _check_format(fmt)
    fields = _form()
    if "api_key" in request.args:  # a key in the URL ends up in access logs
        raise Open311Error(403, "send api_key in the form body (or the X-Api-Key header), never in the URL")
    _check_key(fields.get("api_key") or request.headers.get(KEY_HEADER, ""))
    category, village, description, phone = _report(fields)
    now = utcnow()
    with unit_of_work():
        case = duplicates.resent(CHANNEL, category, village, description, phone, now)
        if case is None:
            try:
                case = lifecycle.file_report(category, village, description, reporter_phone=phone, channel=CHANNEL, now=now)
            except lifecycle.CaseRefused as refusal:
                raise Open311Error(429, "phone: this phone filed the most reports allowed in 24 hours") from refusal
            if phone:  # the receipt a texting citizen gets
                if case.repeated:
                    queue_sms(phone, lifecycle_texts.ALREADY_RECEIVED, case=case, ref=case.reference)
                else:
                    queue_sms(phone, texts.RECEIVED, case=case, **received_params(case))
    return respond([{"service_request_id": case.reference}], "service_requests", fmt, 201)


def _form() -> dict:
    """The POSTed fields, or Open311Error: a form only, valid UTF-8 only."""
    if request.mimetype not in FORMS:
        raise Open311Error(400, "send the fields as a form (application/x-www-form-urlencoded)")
    if request.mimetype == FORMS[0]:
        raw = request.get_data(cache=True)
        try:
            pairs = urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=50)
        except UnicodeDecodeError as error:
            raise Open311Error(400, "the body is not valid UTF-8") from error
        except ValueError as error:
            raise Open311Error(400, "too many fields") from error
        fields = {}
        for name, value in pairs:
            fields.setdefault(name, value)
    else:
        fields = request.form.to_dict()
        if any("\ufffd" in value for value in fields.values()):
            raise Open311Error(400, "the body is not valid UTF-8")
    return fields


def _check_key(key: str) -> None:
    keys = current_app.config.get("OPEN311_API_KEYS") or []
    if isinstance(keys, str):
        keys = [part.strip() for part in keys.split(",") if part.strip()]
    if not keys:
        raise Open311Error(403, "this server takes no service requests (no API keys are set)")
    given = key.strip().encode("utf-8")
    if not any(hmac.compare_digest(given, known.encode("utf-8")) for known in keys):
        raise Open311Error(403, "api_key is missing or wrong")
    per_minute = current_app.config.get("OPEN311_MAX_PER_MINUTE", POSTS_PER_MINUTE)
    name = "open311:" + hashlib.sha256(given).hexdigest()[:16]
    try:
        wait = RateLimit(services().connection, name, per_minute).admit()
    except redis.exceptions.RedisError as error:  # the limit is a courtesy: no Redis, no limit
        log.warning("Open311 rate limit not checked: %s", error)
        wait = 0
    if wait:
        raise Open311Error(429, f"too many requests with this api_key: try again in {int(wait) or 1} seconds")


def _report(fields: dict):
    """(category, village, description, phone or None) from the form, or Open311Error."""
    code = _field(fields, "service_code")
    category = CATALOG.category(code)
    if category is None:
        raise Open311Error(400, "service_code is missing or names no service (see services.json)")
    village_code = _field(fields, "address_id").translate(THAI_DIGITS)
    if not village_code:
        raise Open311Error(400, "address_id (the 8-digit village code) is required; lat/long and address_string are not used")
    village = CATALOG.village(village_code)
    if village is None:
        raise Open311Error(400, "address_id: no village has that code (8 digits)")
    description = (fields.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description is required")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description: at most {MAX_DESCRIPTION} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r" for ch in description):
        raise Open311Error(400, "description: control characters are not allowed")
    raw_phone = _field(fields, "phone")
    try:
        phone = to_e164(raw_phone) if raw_phone else None
    except InvalidPhone as error:
        raise Open311Error(400, "phone: not a phone number (Thai 0812345678 or +66812345678)") from error
    return category, village, description, phone


def _field(fields: dict, name: str) -> str:
    value = (fields.get(name) or "").strip()
    if len(value) > MAX_FIELD:
        raise Open311Error(400, f"{name}: too long")
    return value
