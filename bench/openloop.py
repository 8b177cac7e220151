"""Open loop: reports arrive at a fixed rate (issue 8: 200 a second for 60 seconds) whatever
the server is doing, as villagers' phones send them, into the Procfile's web command with one
`rongrian worker` (issue 22). Every citizen must have her reference within 15 s of sending, in
the webhook's reply or by SMS, at least 90 % of them in the reply, and every reference be at its
staff within 5 minutes of the last report."""
from __future__ import annotations

import time

from . import burst, sms
from .client import percentile, post_at_rate
from .stack import Context, web_flags

MAX_ANSWER = 15.0
"""Seconds from a report leaving the phone to the webhook's answer."""
MAX_AFTER_LAST = 300.0
"""Seconds from the last report to the last reference at its staff."""
MAX_REFERENCE_WAIT = 15.0
"""Seconds from a report leaving the phone to its reference on the phone (reply or SMS)."""
MIN_INLINE = 0.9
"""Share of the references that must come in the webhook's reply."""
WORKERS = 1
"""rq workers beside the web (issue 22: gunicorn -w 2 and one worker)."""


def run(ctx: Context, db) -> dict:
    args = ctx.args
    count = min(round(args.open_rate * args.open_seconds), ctx.directory.capacity)
    print(f"\n== open loop on {db.name}: {args.open_rate:.0f} one-shot reports/s for {args.open_seconds:.0f} s "
          f"({count}), gunicorn {web_flags()} + {WORKERS} × rongrian worker", flush=True)
    with ctx.procs(f"{db.name}-openloop") as procs:
        stack, tracker, port = burst.serving(ctx, procs, db, "bench_openloop")
        for number in range(WORKERS):
            stack.worker(f"worker{number + 1}")
        stack.wait_workers(WORKERS)
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
    inline_waits = [answer.seconds for answer in answers if answer.status == 200 and answer.body
                    and sms.references(sms.message_text(answer.body))]
    waits = inline_waits + by_sms
    share = len(inline_waits) / max(1, len(answers))
    print(f"  reference in the webhook's reply {len(inline_waits)} ({share:.1%}), by SMS {len(by_sms)}"
          + (f" (p50 {percentile(by_sms, 0.5):.1f} s, p99 {percentile(by_sms, 0.99):.1f} s)" if by_sms else ""),
          flush=True)
    print(f"  reference wait, reply and SMS together: p50 {percentile(waits, 0.5):.2f} s, "
          f"p99 {percentile(waits, 0.99):.2f} s, max {max(waits, default=0):.2f} s (≤ {MAX_REFERENCE_WAIT:.0f} s)",
          flush=True)
    duplicates, _ = tracker.duplicates()
    found = {
        "open_answer_p99_s": round(percentile(seconds, 0.99), 2), "open_answer_max_s": round(max(seconds), 2),
        "open_late": late, "open_lost": len(tracker.missing), "open_dup": duplicates,
        "open_after_last_s": round(after_last, 1), "open_locked": locked, "open_by_sms": len(by_sms),
        "open_by_sms_p99_s": round(percentile(by_sms, 0.99), 1) if by_sms else 0,
        "open_inline_share": round(share, 3), "open_ref_p50_s": round(percentile(waits, 0.5), 2),
        "open_ref_p99_s": round(percentile(waits, 0.99), 2), "open_ref_max_s": round(max(waits, default=0), 2),
    }
    found["open_ok"] = "yes" if (late == 0 and drained and after_last <= MAX_AFTER_LAST and not tracker.missing
                                 and duplicates == 0 and locked == 0 and share >= MIN_INLINE
                                 and len(waits) == len(answers) and max(waits, default=0) <= MAX_REFERENCE_WAIT) else "no"
    print(f"  lost {found['open_lost']}, duplicate SMS {duplicates}, 'database is locked' {locked}; "
          f"last reference at its staff {after_last:.1f} s after the last report (< {MAX_AFTER_LAST:.0f}); "
          f"all within issue 22's bounds: {found['open_ok']}", flush=True)
    return found
