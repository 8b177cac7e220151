"""Open loop: reports arrive at a fixed rate (issue 8: 200 a second for 60 seconds) whatever
the server is doing, as villagers' phones send them, into the Procfile's web command with two
`rongrian worker`. Every webhook must be answered within 15 s of sending and every reference
be at its staff within 5 minutes of the last report."""
from __future__ import annotations

import time

from . import burst
from .client import percentile, post_at_rate
from .stack import Context, web_flags

MAX_ANSWER = 15.0
"""Seconds from a report leaving the phone to the webhook's answer."""
MAX_AFTER_LAST = 300.0
"""Seconds from the last report to the last reference at its staff."""


def run(ctx: Context, db) -> dict:
    args = ctx.args
    count = min(round(args.open_rate * args.open_seconds), ctx.directory.capacity)
    print(f"\n== open loop on {db.name}: {args.open_rate:.0f} one-shot reports/s for {args.open_seconds:.0f} s "
          f"({count}), gunicorn {web_flags()} + {burst.WORKERS} × rongrian worker", flush=True)
    with ctx.procs(f"{db.name}-openloop") as procs:
        stack, tracker, port = burst.serving(ctx, procs, db, "bench_openloop")
        for number in range(burst.WORKERS):
            stack.worker(f"worker{number + 1}")
        stack.wait_workers(burst.WORKERS)
        requests, phones = burst.reports(ctx, "openloop", count, port)
        answers, elapsed = post_at_rate(port, requests, args.open_rate)
        last_sent = max(answer.sent_at for answer in answers)
        seconds = [answer.seconds for answer in answers]
        late = sum(1 for answer in answers if answer.status != 200 or answer.seconds > MAX_ANSWER)
        print(f"  sent {len(answers)} in {elapsed:.1f} s; answers p50 {percentile(seconds, 0.5):.2f} s, "
              f"p99 {percentile(seconds, 0.99):.2f} s, max {max(seconds):.2f} s; "
              f"not 200 or later than {MAX_ANSWER:.0f} s: {late}", flush=True)
        tracker.replies(answers, phones)
        drained = tracker.wait(last_sent + MAX_AFTER_LAST + 60, quiet=0)
        after_last = max(tracker.reached_at.values(), default=last_sent) - last_sent
        locked = stack.locked("web") + stack.locked("worker")
    by_sms = tracker.by_sms
    print(f"  answered in the webhook {len(answers) - tracker.deferred}, left to a worker {tracker.deferred}"
          + (f" (reference by SMS p50 {percentile(by_sms, 0.5):.1f} s, p99 {percentile(by_sms, 0.99):.1f} s "
             f"after sending)" if by_sms else ""), flush=True)
    duplicates, _ = tracker.duplicates()
    found = {
        "open_answer_p99_s": round(percentile(seconds, 0.99), 2), "open_answer_max_s": round(max(seconds), 2),
        "open_late": late, "open_lost": len(tracker.missing), "open_dup": duplicates,
        "open_after_last_s": round(after_last, 1), "open_locked": locked, "open_by_sms": len(by_sms),
        "open_by_sms_p99_s": round(percentile(by_sms, 0.99), 1) if by_sms else 0,
    }
    found["open_ok"] = "yes" if (late == 0 and drained and after_last <= MAX_AFTER_LAST and not tracker.missing
                                 and duplicates == 0 and locked == 0) else "no"
    print(f"  lost {found['open_lost']}, duplicate SMS {duplicates}, 'database is locked' {locked}; "
          f"last reference at its staff {after_last:.1f} s after the last report (< {MAX_AFTER_LAST:.0f}): "
          f"{found['open_ok']}", flush=True)
    return found
