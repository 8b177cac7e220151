"""The channel adapters: Twilio SMS and voice, USSD, SMS Gateway for Android, Open311, and
/healthz and /metrics. Each translates a provider's request into a call to ``flows`` and back; the app is
built by the composition root (``rongrian.create_app``)."""
from __future__ import annotations

from flask import Flask

from . import health, metrics, open311, smsgate_webhook, twilio_sms, twilio_voice, ussd


def init_app(app: Flask, twilio: bool) -> None:
    """Register the adapters on ``app``; Twilio's only when ``twilio`` (in production, only
    when Twilio is configured: no unsigned door)."""
    metrics.init_app(app)  # first: its clock starts before the adapters' own hooks
    app.register_blueprint(health.bp)
    if twilio:
        app.register_blueprint(twilio_sms.bp)
        app.register_blueprint(twilio_voice.bp)
    app.register_blueprint(ussd.bp)
    app.register_blueprint(smsgate_webhook.bp)
    app.register_blueprint(open311.bp)
