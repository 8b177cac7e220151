"""Which doors the app opens, and whether each one can check its caller.

In production (``RONGRIAN_ENV=production``) start-up refuses any door that cannot: the
message names the setting to add. In development the open doors are allowed and listed,
loudly, at start-up.
"""
from __future__ import annotations

from . import settings as config

TWILIO = "twilio"
SMSGATE = "smsgate"


class UnsafeSettings(RuntimeError):
    """Production settings that leave a door open (the message names what to set)."""


def backends(settings) -> set[str]:
    """The SMS backends the settings use, for anyone (SMS_BACKEND and its per-group overrides)."""
    return {settings.get(name) or settings["SMS_BACKEND"]
            for name in ("SMS_BACKEND", "SMS_BACKEND_STAFF", "SMS_BACKEND_CITIZENS")}


def twilio_enabled(settings) -> bool:
    """Whether Twilio carries anything: its backend, or a token or key to check its webhooks."""
    return TWILIO in backends(settings) or bool(
        settings.get("TWILIO_AUTH_TOKEN") or settings.get("TWILIO_WEBHOOK_SHARED_KEY"))


def twilio_routes(settings) -> bool:
    """Whether /twilio/* exists: always in development (to try it unsigned), in production
    only when Twilio is configured (else 404: no unsigned door)."""
    return twilio_enabled(settings) or not config.is_production(settings)


def has_credentials(settings) -> bool:
    """Whether any secret of a real deployment is set (then the console needs SECRET_KEY too:
    every web process must sign sessions and login codes with the same key)."""
    return any(settings.get(name) for name in (
        "TWILIO_AUTH_TOKEN", "TWILIO_WEBHOOK_SHARED_KEY", "SMSGATE_SIGNING_KEY", "USSD_SECRET",
        "OPEN311_API_KEYS",
    ))


def missing(settings) -> list[str]:
    """The settings production needs and lacks, each with the door it guards."""
    needed = []
    if not settings.get("SECRET_KEY"):
        needed.append("SECRET_KEY (the console's sessions and login codes)")
    if not settings.get("USSD_SECRET"):
        needed.append("USSD_SECRET (callers of /ussd)")
    if twilio_enabled(settings) and not settings.get("TWILIO_AUTH_TOKEN"):
        needed.append("TWILIO_AUTH_TOKEN (Twilio's webhook signatures)")
    if SMSGATE in backends(settings) and not settings.get("SMSGATE_SIGNING_KEY"):
        needed.append("SMSGATE_SIGNING_KEY (the Android gateway's webhooks)")
    return needed


def check(settings) -> list[str]:
    """Refuse (UnsafeSettings) what may not start; the warnings of what may, but is open."""
    environment = settings.get("RONGRIAN_ENV")
    if environment not in config.ENVIRONMENTS:
        raise UnsafeSettings(f"RONGRIAN_ENV={environment!r}: use one of {', '.join(config.ENVIRONMENTS)}")
    if config.is_production(settings):
        needed = missing(settings)
        if needed:
            raise UnsafeSettings(
                "RONGRIAN_ENV=production and a door could not check its callers. Set: " + "; ".join(needed))
        return []
    if has_credentials(settings) and not settings.get("SECRET_KEY"):
        raise UnsafeSettings("SECRET_KEY is not set: with credentials set, every web process and the worker "
                             "must share one key. Set SECRET_KEY to a long random value.")
    open_doors = []
    if not (settings.get("TWILIO_AUTH_TOKEN") or settings.get("TWILIO_WEBHOOK_SHARED_KEY")):
        open_doors.append("/twilio/* takes unsigned requests (no TWILIO_AUTH_TOKEN)")
    if not settings.get("USSD_SECRET"):
        open_doors.append("/ussd takes any caller (no USSD_SECRET)")
    if not settings.get("SECRET_KEY"):
        open_doors.append("console sessions and login codes keyed with instance/dev-secret-key (no SECRET_KEY)")
    if not open_doors:
        return []
    return ["DEVELOPMENT MODE (RONGRIAN_ENV=development; never expose this instance, a server runs with "
            "RONGRIAN_ENV=production): " + "; ".join(open_doors)]
