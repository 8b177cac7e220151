"""Burst: N one-shot reports from N phones, each about a different (type, village), into
the Procfile's web command with two `rongrian worker` (``--workers 1,2,4``: once per count, each
on a fresh database); then wait until every reference reached its agency's staff phones through
the Twilio stand-in, or the deadline passed."""
from __future__ import annotations

import time

from . import sms
from .client import post_all
from .stack import Context, Stack, web_flags
from .tracking import Tracker, latency_line

EVERY_ANSWER_INLINE = {"INLINE_LATENCY_BUDGET": "inf"}
"""Settings that keep the webhook from leaving any message to a worker (workers/admission.py)."""
MAX_DRAIN = 300
"""Issue 8: the whole burst is at its staff within this many seconds."""
WORKERS = 2


def reports(ctx: Context, purpose: str, count: int, port: int) -> tuple[list[bytes], list[tuple[str, list[str]]]]:
    """``count`` signed one-shot reports and, for each, its citizen's phone and the staff
    phones that must hear of it."""
    requests, phones = [], []
    for index in range(count):
        type_number, village = ctx.directory.report(index)
        form = sms.form(purpose, index, sms.one_shot(type_number, village))
        requests.append(sms.http_request(port, form))
        phones.append((form["From"], ctx.directory.staff_for(type_number, village)))
    return requests, phones


def serving(ctx: Context, procs, db, name: str, settings: dict | None = None) -> tuple[Stack, Tracker, int]:
    """A fresh database with the generated directory, the Twilio stand-in and the web app:
    the stack, the tracker of what reaches the stand-in, and the web app's port."""
    stack = Stack(procs, ctx.redis.url, db.new(name), settings=settings or {})
    tracker = Tracker(stack.standin(procs.folder), ctx.apologies)
    stack.load_directory(ctx.directory)
    return stack, tracker, stack.web()


def run(ctx: Context, db) -> dict:
    """One burst per worker count of ``--workers``; the figures (keys ending ``_wN`` when
    there are several counts) and, for several, a table of the drain per count."""
    counts = ctx.args.workers or [WORKERS]
    if len(counts) == 1:
        return burst(ctx, db, counts[0])
    found, rows = {}, []
    for workers in counts:
        ctx.redis.flush()
        figures = burst(ctx, db, workers, f"_w{workers}")
        found.update({f"{key}_w{workers}": value for key, value in figures.items()})
        rows.append((workers, figures))
    print(f"\n  drain on {db.name} by worker count ({min(ctx.args.reports, ctx.directory.capacity)} reports):")
    print(f"  {'workers':>7} {'drain s':>8} {'reports/s':>10} {'per worker':>10} {'lost':>5} {'dup':>4} {'ok':>3}")
    for workers, figures in rows:
        rate = figures["burst_rps"]
        print(f"  {workers:>7} {figures['burst_drain_s']!s:>8} {rate:>10} {rate / workers:>10.1f} "
              f"{figures['burst_lost']:>5} {figures['burst_dup']:>4} {figures['burst_ok']:>3}", flush=True)
    return found


def burst(ctx: Context, db, workers: int, suffix: str = "") -> dict:
    """One burst into the web app with ``workers`` × `rongrian worker` on a fresh database."""
    args = ctx.args
    count = min(args.reports, ctx.directory.capacity)
    print(f"\n== burst on {db.name}: {count} one-shot reports, {args.connections} connections, "
          f"gunicorn {web_flags()} + {workers} × rongrian worker, deadline {args.deadline:.0f} s", flush=True)
    with ctx.procs(f"{db.name}-burst{suffix}") as procs:
        stack, tracker, port = serving(ctx, procs, db, f"bench_burst{suffix}")  # a drain per worker
        for number in range(workers):
            stack.worker(f"worker{number + 1}")
        if stack.wait_workers(workers) is None:
            print("  note: the workers did not register as rq workers within 60 s; going on")
        requests, phones = reports(ctx, "burst", count, port)
        start = time.time()
        answers, sent_in = post_all(port, requests, args.connections)
        print(f"  sent in {sent_in:.1f} s ({len(answers) / sent_in:.1f} req/s); {latency_line(answers)}", flush=True)
        tracker.replies(answers, phones)
        drained = tracker.wait(start + args.deadline, quiet=0)
        drain = max(tracker.reached_at.values(), default=start) - start
        tracker.wait(time.time() + 30, lambda: stack.queue_depth(port), quiet=2, complete=False)  # late copies
        locked = stack.locked("web") + stack.locked("worker")
    lost = len(tracker.missing)
    duplicates, examples = tracker.duplicates()
    found = {
        "burst_lost": lost, "burst_unanswered": tracker.unanswered, "burst_dup": duplicates,
        "burst_sorry": tracker.sorry_replies + tracker.sorry_sms(), "burst_locked": locked,
        "burst_drain_s": round(drain, 1) if drained else f">{args.deadline:.0f}",
        "burst_rps": round(len(tracker.reached_at) / (drain if drained else args.deadline), 1) if drain > 0 else 0,
    }
    base = ctx.results.get(db.name, {}).get("intake_base_rps")
    if base:
        found["burst_vs_base"] = f"{found['burst_rps'] / base:.2g}x"
    checks = {
        "lost": lost == 0, "unanswered": tracker.unanswered == 0, "dup": found["burst_dup"] == 0,
        "sorry": found["burst_sorry"] == 0, "locked": locked == 0, "drain": drained and drain < MAX_DRAIN,
    }
    found["burst_ok"] = "yes" if all(checks.values()) else "no"
    print(f"  references {tracker.references} (shared by two reports: {tracker.shared}); "
          f"SMS at the stand-in {len(tracker.log.messages)}", flush=True)
    for label, value, key in (
        ("lost (not at staff in time)", lost, "lost"), ("unanswered (no reference)", tracker.unanswered, "unanswered"),
        ("duplicate SMS", found["burst_dup"], "dup"), ("apologies", found["burst_sorry"], "sorry"),
        ("'database is locked' lines", locked, "locked"),
        (f"drain s (< {MAX_DRAIN})", found["burst_drain_s"], "drain"),
    ):
        print(f"  {label:<28} {value!s:>8}  {'ok' if checks[key] else 'FAIL'}")
    print(f"  reports/s to staff            {found['burst_rps']:>8}"
          + (f"  ({found['burst_vs_base']} of the intake baseline's req/s)" if base else ""), flush=True)
    if tracker.missing:
        print(f"  e.g. missing: {', '.join(tracker.missing[:5])}")
    for example in examples:
        print(f"  e.g. duplicate: {example}")
    return found
