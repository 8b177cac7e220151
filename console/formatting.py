"""How the console shows times: Asia/Bangkok, Buddhist era ("27 พ.ย. 2569 14:05").

Month names come from the CLDR data in Babel (no Thai text in code).
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from cases.language.texts import localized
from cases.province.phones import local_form, masked
from cases.reporting.stats import VILLAGE_HEAD

from . import auth, sessions

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543


def buddhist_datetime(value: dt.datetime | None, language: str = "th", with_time: bool = True) -> str:
    """A naive-UTC timestamp as Bangkok time with the Buddhist-era year; "-" for None."""
    if value is None:
        return "-"
    local = value.replace(tzinfo=dt.timezone.utc).astimezone(BANGKOK)
    day_month = format_datetime(local, "d MMM", tzinfo=BANGKOK, locale=language)
    text = f"{day_month} {local.year + BUDDHIST_ERA_OFFSET}"
    return f"{text} {local:%H:%M}" if with_time else text


def retry_time(seconds: int, language: str = "th", now: dt.datetime | None = None) -> str:
    """When something refused for ``seconds`` may be tried again: Bangkok time rounded up to
    the minute ("14:05"), with the day when that is not today."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    when = now + dt.timedelta(seconds=max(seconds, 0) + 59)
    when = when.replace(second=0, microsecond=0)
    local, today = (value.replace(tzinfo=dt.timezone.utc).astimezone(BANGKOK) for value in (when, now))
    return f"{local:%H:%M}" if local.date() == today.date() else buddhist_datetime(when, language)


def iso_utc(value: dt.datetime | None) -> str:
    """A naive-UTC timestamp in ISO-8601 with its zone (``2026-11-27T07:05:00Z``); "" for None."""
    if value is None:
        return ""
    return value.replace(microsecond=0).isoformat() + "Z"


def channel_label(channel: str) -> str:
    """How a case came in, in the page's language (a village head's report as such)."""
    labels = {"sms": "SMS", "ussd": "USSD", "open311": "Open311", "voice": _("Voice call"), VILLAGE_HEAD: _("Village head")}
    return labels.get(channel, channel)


def init_formatting(app: Flask) -> None:
    @app.template_filter("be")
    def _be(value, with_time: bool = True):
        return buddhist_datetime(value, str(get_locale() or "th"), with_time)

    app.jinja_env.filters["local_phone"] = local_form
    app.jinja_env.filters["masked"] = masked
    app.jinja_env.filters["name"] = localized
    app.jinja_env.filters["channel"] = channel_label
    app.context_processor(template_helpers)


def template_helpers() -> dict:
    """Names every console template may use."""
    return {
        "console_staff": auth.current_staff,
        "console_language": sessions.language,
        "console_endpoints": lambda: current_app.view_functions.keys(),
    }
