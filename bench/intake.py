"""Intake: signed POST /twilio/sms through the Procfile's gunicorn (2 sync workers) at 50
connections, two mixes (first SMS of a conversation, one-shot report), and POST /ussd's first
screen (a new session per request), against the same gunicorn serving a bare Flask app that
does one INSERT per request (the baseline)."""
from __future__ import annotations

import math

from . import baseline_app, sms, wrk
from .burst import EVERY_ANSWER_INLINE
from .client import Measure, measure
from .stack import BASELINE_APP, Context, Stack, web_flags

MAX_POOL = 200_000
"""Most prepared requests per mix (each has its own MessageSid and phone)."""
PYTHON_RATE_CAP = 3000
"""Requests per second the Python client cannot pass: its pool size for the baseline."""
WARM_UP = 3.0
"""Seconds of the same load before each measured run (its own requests, not counted): what
is measured is a flood going on, not its first second (a full inline allowance, cold caches)."""


SMS_MIXES = {"first": "first SMS of a chat", "oneshot": "one-shot report"}
"""The SMS webhook's mixes (measured with every answer inline, then as deployed)."""
USSD = "ussd"
"""The USSD mix: the first screen of a new session (always answered in the request)."""


def _forms(ctx: Context, mix: str, count: int, purpose: str | None = None, start: int = 0) -> list[dict]:
    purpose = purpose or f"intake-{mix}"
    if mix == USSD:
        return [sms.ussd_form(purpose, n) for n in range(start, start + count)]
    if mix == "first":
        return [sms.form(purpose, n, sms.FIRST_SMS) for n in range(start, start + count)]
    return [sms.form(purpose, n, sms.one_shot(*ctx.directory.report(n))) for n in range(start, start + count)]


def _prepare(ctx: Context, port: int, forms: list[dict] | None, template: str | None, name: str,
             path: str = sms.PATH):
    """What one load sends: wrk's bodies file (``forms`` signed, or the numbered ``template``),
    or the Python client's raw requests."""
    if ctx.wrk:
        lines = [("-", template)] if template else [sms.signed(form) for form in forms]
        return wrk.write_bodies(ctx.folder / f"wrk-{name}.txt", lines)
    return [sms.http_request(port, form, path) for form in forms]


def _load(ctx: Context, port: int, prepared, duration: float, path: str = sms.PATH) -> Measure:
    """Load ``port`` for ``duration`` seconds with what ``_prepare`` made."""
    args = ctx.args
    if ctx.wrk:
        return wrk.run(ctx.wrk, port, prepared, duration, args.connections, args.wrk_threads, ctx.apologies, path)
    return measure(port, prepared, args.connections, duration, ctx.apologies)


def _warmed_up_load(ctx: Context, port: int, warm: list[dict] | None, forms: list[dict] | None,
                    template: str | None = None, path: str = sms.PATH) -> Measure:
    """WARM_UP seconds of the same load with requests of their own (a template's numbers
    marked apart), not measured, then at once the measured ``--duration`` seconds (both
    prepared first: no pause between them lets a flood end)."""
    warm_up = _prepare(ctx, port, warm, template.replace("SMbase", "SMwarm") if template else None, "warm-up", path)
    measured = _prepare(ctx, port, forms, template, "measured", path)
    _load(ctx, port, warm_up, WARM_UP, path)
    return _load(ctx, port, measured, ctx.args.duration, path)


def _show(label: str, result: Measure, base: Measure | None = None) -> None:
    line = (f"  {label:<24} {result.rate:8.1f} good req/s  p50 {result.p50 * 1e3:7.1f} ms  p99 {result.p99 * 1e3:8.1f} ms"
            f"  errors {result.errors:<4} sorry {result.sorry:<5} [{result.note}]")
    if base:
        line += f"  → {_ratio(result.rate, base.rate)} req/s, {_ratio(result.p99, base.p99)} p99"
    print(line, flush=True)


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base and not math.isnan(value) and not math.isnan(base) else "n/a"


def _figures(figures: dict, name: str, result: Measure, base: Measure) -> None:
    figures[name] = _ratio(result.rate, base.rate)
    figures[f"{name}_p99"] = _ratio(result.p99, base.p99)
    figures[f"{name}_errors"] = result.errors
    figures[f"{name}_sorry"] = result.sorry


def run(ctx: Context, db) -> dict:
    """Measure on database kind ``db``; returns the summary figures."""
    print(f"\n== intake on {db.name}: gunicorn {web_flags()}, {ctx.args.connections} connections, "
          f"{ctx.args.duration:.0f} s per run after {WARM_UP:.0f} s of the same load", flush=True)
    template = sms.form("intake-oneshot", 0, sms.one_shot(*ctx.directory.report(0)))
    template.update(MessageSid="SMbase@N@", From="+6699@N@")
    template = sms.signed(template)[1].replace("%40N%40", wrk.TEMPLATE_MARK)
    url = db.new("bench_baseline")
    baseline_app.init_db(url)
    with ctx.procs(f"{db.name}-intake-baseline") as procs:
        port = Stack(procs, ctx.redis.url, url).web("baseline", BASELINE_APP)
        pool = None if ctx.wrk else _forms(ctx, "oneshot", int(ctx.args.duration * PYTHON_RATE_CAP))
        warm = None if ctx.wrk else _forms(ctx, "oneshot", int(WARM_UP * PYTHON_RATE_CAP), "intake-warmup", MAX_POOL)
        base = _warmed_up_load(ctx, port, warm, pool, template)
    _show("baseline (1 INSERT)", base)
    figures = {"intake_base_rps": round(base.rate, 1)}
    ctx.redis.flush()
    locked = 0
    mixes = ctx.args.mixes
    for suffix, settings, how in (("_inline", EVERY_ANSWER_INLINE, "every answer in the webhook"),
                                  ("", {}, "as deployed: past INLINE_LATENCY_BUDGET a worker answers")):
        sms_mixes = [mix for mix in SMS_MIXES if mix in mixes]
        ussd = USSD in mixes and not suffix  # USSD is always answered in the request: measured once
        if not sms_mixes and not ussd:
            continue
        url = db.new(f"bench_intake{suffix}")
        print(f"  {how}:", flush=True)
        with ctx.procs(f"{db.name}-intake-app{suffix}") as procs:
            stack = Stack(procs, ctx.redis.url, url, settings=settings)
            stack.load_directory(ctx.directory)
            port = stack.web()
            for mix in sms_mixes:
                label = SMS_MIXES[mix]
                size = min(MAX_POOL, math.ceil(max(base.rate, 100) * ctx.args.duration * 1.5) + 500)
                warm_size = math.ceil(max(base.rate, 100) * WARM_UP * 1.5) + 500
                warm_start = 0 if mix == "oneshot" else MAX_POOL  # phones of their own per mix
                warm = _forms(ctx, mix, warm_size, "intake-warmup", warm_start)
                result = _warmed_up_load(ctx, port, warm, _forms(ctx, mix, size))
                _show(label, result, base)
                _figures(figures, f"intake_{mix}{suffix}", result, base)
                ctx.redis.flush()  # no worker runs here: drop the jobs the requests queued
            if ussd:  # reads only: may well pass the one-INSERT baseline, so more sessions are prepared
                size = min(MAX_POOL, math.ceil(max(base.rate, 300) * ctx.args.duration * 4) + 500)
                warm = _forms(ctx, USSD, math.ceil(max(base.rate, 300) * WARM_UP * 4) + 500, "intake-warmup", MAX_POOL)
                result = _warmed_up_load(ctx, port, warm, _forms(ctx, USSD, size), path=sms.USSD_PATH)
                _show("USSD first screen", result, base)
                _figures(figures, "intake_ussd", result, base)
                ctx.redis.flush()
        locked += stack.locked("web")
    figures["intake_locked"] = locked
    print(f"  \"database is locked\" lines in the web log: {figures['intake_locked']}", flush=True)
    return figures
