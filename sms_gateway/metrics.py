"""GET /metrics: the Prometheus text format, for whoever holds METRICS_TOKEN.

No METRICS_TOKEN: 404 (never public). With it, a request without ``Authorization: Bearer
<METRICS_TOKEN>``, or with another token, gets 401.

Two kinds of figures:

- Counted in the web process, per request, with no Redis or database call: the latency of
  each channel's webhooks (a histogram by blueprint) and the inbound SMS each adapter took
  (a counter by provider). These are the serving process's own: under gunicorn's several
  workers a scrape sees one worker's counts, unless PROMETHEUS_MULTIPROC_DIR is set (an
  empty directory, made anew at each start, in the environment of every web process), when
  prometheus_client keeps them in files there and a scrape adds up every worker's.
- Read at scrape time (``State``, a Collector), so that every process tells the same: the
  outbox's depth per priority, the SMS waiting per gateway phone, the SMS sent to and failed
  at each provider in the last hour (gauges from the outbox table, not counters: right
  however many processes send), the rq queues' lengths, the drain jobs running, the
  database and Redis up or not.

No label holds a phone number or a message's text: a gateway phone is named by its device
id (or "default"), as in /healthz.
"""
from __future__ import annotations

import datetime as dt
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from rq import Queue

from cases.messages import outbox
from cases.store.models import Priority, utcnow
from flows import inbound
from web import services
from workers import admission, queue

from .health import holds_token

bp = Blueprint("metrics", __name__)

KEY = "rongrian.metrics"
"""Where the app keeps its metrics (``app.extensions``)."""
CHANNELS = {"twilio_sms": "twilio_sms", "twilio_voice": "twilio_voice", "ussd": "ussd",
            "smsgate": "smsgate", "open311": "open311"}
"""Blueprint → the channel label of its latency."""
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds: the latency histogram's buckets (Twilio gives up on a webhook after 15 s)."""
PROVIDERS = ("twilio", "smsgate")
"""Inbound providers shown from the start (at 0)."""
SENT_WINDOW = dt.timedelta(hours=1)
"""How far back the sent and failed gauges look."""
STARTED = "metrics_started"
"""Where a request keeps its start (``flask.g``)."""


class Metrics:
    """One app's own registry: its latency histogram, its inbound counter and the scrape-time
    ``State`` (an app of its own each, so tests that build many apps do not clash)."""

    def __init__(self, app: Flask):
        self.registry = CollectorRegistry(auto_describe=False)
        self.latency = Histogram("rongrian_webhook_duration_seconds", "Time to answer a channel's webhook, by channel",
                                 ["channel"], buckets=BUCKETS, registry=self.registry)
        self.inbound = Counter("rongrian_inbound_sms", "Inbound SMS taken by a webhook (a provider's retry counts again)",
                               ["provider"], registry=self.registry)
        for channel in CHANNELS.values():
            self.latency.labels(channel)
        for provider in PROVIDERS:
            self.inbound.labels(provider)
        self.state = State(app)
        self.registry.register(self.state)
        # set: every web process's counters live in files there (prometheus_client reads it too)
        self.multiprocess_dir = app.config.get("PROMETHEUS_MULTIPROC_DIR")

    def exposition(self) -> bytes:
        """The text a scrape gets."""
        if not self.multiprocess_dir:
            return generate_latest(self.registry)
        registry = CollectorRegistry(auto_describe=False)
        MultiProcessCollector(registry, self.multiprocess_dir)
        registry.register(self.state)
        return generate_latest(registry)


class State(Collector):
    """The gauges read at scrape time from the database and Redis."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        found = services(self.app)
        database_up = GaugeMetricFamily("rongrian_database_up", "1 when the database answered this scrape")
        redis_up = GaugeMetricFamily("rongrian_redis_up", "1 when Redis answered this scrape")
        try:
            families = list(from_database())
            database_up.add_metric([], 1)
        except Exception:  # any driver error means the database is not usable
            families = []
            database_up.add_metric([], 0)
        try:
            families += list(from_redis(found))
            redis_up.add_metric([], 1)
        except Exception:  # any Redis error: its gauges are left out
            redis_up.add_metric([], 0)
        yield database_up
        yield redis_up
        yield from families


def from_database():
    """The outbox per priority, sent and failed per provider, inbound left or given up on."""
    waiting, oldest = (
        GaugeMetricFamily("rongrian_outbox_waiting", "SMS queued to send, by priority", labels=["priority"]),
        GaugeMetricFamily("rongrian_outbox_oldest_waiting_seconds", "Age of the oldest queued SMS, by priority",
                          labels=["priority"]),
    )
    queued = outbox.waiting()
    for priority in Priority:
        name = priority.name.lower()
        waiting.add_metric([name], queued.get(name, {}).get("count", 0))
        oldest.add_metric([name], queued.get(name, {}).get("oldest_seconds", 0))
    sent = GaugeMetricFamily("rongrian_sms_sent_last_hour", "SMS handed to a provider in the last hour",
                             labels=["provider"])
    failed = GaugeMetricFamily("rongrian_sms_failed_last_hour", "SMS marked failed in the last hour, by provider",
                               labels=["provider"])
    for provider, counts in sorted(outbox.sent_and_failed(utcnow() - SENT_WINDOW).items()):
        sent.add_metric([provider], counts["sent"])
        failed.add_metric([provider], counts["failed"])
    yield from (waiting, oldest, sent, failed)
    yield GaugeMetricFamily("rongrian_outbox_unknown", "SMS whose fate is unknown (need a look)",
                            value=outbox.needing_a_look())
    yield GaugeMetricFamily("rongrian_inbound_left_to_workers", "Inbound SMS a flood left to the workers, unanswered",
                            value=inbound.left_to_workers_count())
    yield GaugeMetricFamily("rongrian_inbound_failed", "Inbound SMS given up on", value=inbound.failed_count())


def from_redis(found):
    """The rq queues' lengths, the drains running, each gateway and phone."""
    lengths = GaugeMetricFamily("rongrian_rq_queue_length", "Jobs waiting in an rq queue", labels=["queue"])
    for name in queue.ORDER:
        lengths.add_metric([name], Queue(name, connection=found.connection).count)
    drains = GaugeMetricFamily("rongrian_inbound_drains_running", "Drain jobs answering a flood's SMS now",
                               value=found.connection.exists(*admission.DRAINING))
    gateway_up = GaugeMetricFamily("rongrian_gateway_up", "1 when a gateway can send", labels=["gateway"])
    phone_up = GaugeMetricFamily("rongrian_gateway_phone_up", "1 when a gateway phone can send",
                                 labels=["gateway", "device"])
    phone_waiting = GaugeMetricFamily("rongrian_gateway_phone_waiting", "SMS parked for a gateway phone, by priority",
                                      labels=["gateway", "device", "priority"])
    for gateway, state in sorted(found.sender.state().items()):
        gateway_up.add_metric([gateway], 1 if state.get("up") else 0)
        for device, report in sorted(state.get("phones", {}).items()):
            phone_up.add_metric([gateway, device], 1 if report.get("up") else 0)
            parked = report.get("waiting", {})
            for priority in Priority:
                name = priority.name.lower()
                phone_waiting.add_metric([gateway, device, name], parked.get(name, {}).get("count", 0))
    yield from (lengths, drains, gateway_up, phone_up, phone_waiting)


def init_app(app: Flask) -> None:
    """Give ``app`` its metrics and the /metrics route."""
    app.extensions[KEY] = Metrics(app)
    app.register_blueprint(bp)


def count_inbound(provider: str) -> None:
    """One inbound SMS taken by the current app's webhook of ``provider``."""
    current_app.extensions[KEY].inbound.labels(provider).inc()


@bp.before_app_request
def _start_clock():
    if request.blueprint in CHANNELS:
        setattr(g, STARTED, time.perf_counter())
        services().admission.began()


@bp.teardown_app_request
def _stop_clock(_error):
    started = g.pop(STARTED, None)
    if started is not None:
        seconds = time.perf_counter() - started
        current_app.extensions[KEY].latency.labels(CHANNELS[request.blueprint]).observe(seconds)
        services().admission.took(seconds)  # the latency budget's measure of this process


@bp.get("/metrics")
def metrics():
    """The Prometheus text; 404 without METRICS_TOKEN, 401 without it in the request."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        return Response("404 Not Found: no METRICS_TOKEN is set\n", 404, mimetype="text/plain")
    if not holds_token(token, request.headers.get("Authorization", "")):
        return Response("401 Unauthorized: Authorization: Bearer METRICS_TOKEN is required\n", 401,
                        mimetype="text/plain", headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return Response(current_app.extensions[KEY].exposition(), content_type=CONTENT_TYPE_LATEST)
