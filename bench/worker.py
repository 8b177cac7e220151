"""Worker: reports routed and notified per second by one `rongrian worker` (the queue
filled by posting reports while no worker runs), against trivial jobs per second on the same
worker process (so the same worker class) in the same run."""
from __future__ import annotations

import re
import time

import redis
from rq import Queue
from rq.job import JobStatus

from . import jobs
from .burst import EVERY_ANSWER_INLINE, reports, serving
from .client import post_all
from .procs import ROOT
from .stack import Context
from .tracking import latency_line


def worker_class() -> str:
    """The rq worker class workers/worker.py names (for the printout only)."""
    try:
        source = (ROOT / "workers" / "worker.py").read_text()
    except OSError:
        return "?"
    found = re.findall(r"\b(\w*Worker)\(", source)
    return found[-1] if found else "?"


def trivial_rate(redis_url: str, queue_name: str, count: int, until: float) -> float | None:
    """Enqueue ``count`` no-op jobs where the running worker listens; jobs per second it
    drained them at (None when it did not finish before ``until``)."""
    queue = Queue(queue_name, connection=redis.Redis.from_url(redis_url))
    start = time.time()
    enqueued = queue.enqueue_many([Queue.prepare_data(jobs.noop, job_id=f"bench-noop-{time.time_ns()}-{n}")
                                   for n in range(count)])
    last = enqueued[-1]
    while time.time() < until:
        status = last.get_status(refresh=True)
        if status in (JobStatus.FINISHED, JobStatus.FAILED):
            ended = last.ended_at.timestamp() if last.ended_at else time.time()
            failed = sum(1 for job in enqueued if job.get_status(refresh=True) != JobStatus.FINISHED)
            if failed:
                print(f"  note: {failed} trivial jobs did not finish")
            return count / max(ended - start, 1e-6)
        time.sleep(0.02)
    return None


def run(ctx: Context, db) -> dict:
    args = ctx.args
    count = min(args.worker_reports, ctx.directory.capacity)
    print(f"\n== worker on {db.name}: {count} queued reports, then {args.trivial_jobs} trivial jobs, "
          f"one rongrian worker (rq {worker_class()} in workers/worker.py)", flush=True)
    with ctx.procs(f"{db.name}-worker") as procs:
        stack, tracker, port = serving(ctx, procs, db, "bench_worker", EVERY_ANSWER_INLINE)  # the worker only routes
        requests, phones = reports(ctx, "worker", count, port)
        answers, _ = post_all(port, requests, args.connections)
        tracker.replies(answers, phones)
        print(f"  queued: {tracker.references} references ({tracker.unanswered} answers without one), "
              f"queue depth {stack.queue_depth(port)}; "
              f"{latency_line(answers)}", flush=True)
        launched = time.time()
        stack.worker("worker")
        queues = stack.wait_workers(1)
        start = time.time() if queues else launched
        print(f"  worker ready in {start - launched:.1f} s" if queues else "  note: no rq worker registered; "
              "timing from its launch", flush=True)
        drained = tracker.wait(start + args.deadline, lambda: stack.queue_depth(port), quiet=1)
        seconds = max(tracker.last_sms_at - start, 1e-6)
        report_rate = tracker.references / seconds if drained else None
        base = trivial_rate(ctx.redis.url, queues[0], args.trivial_jobs, time.time() + args.deadline) if queues else None
    sent = len(tracker.log.messages)
    found = {
        "worker_reports_per_s": round(report_rate, 2) if report_rate else "not drained",
        "worker_trivial_per_s": round(base, 1) if base else "n/a",
        "worker": f"{report_rate / base:.3f}x" if report_rate and base else "n/a",
        "worker_sms_per_report": round(sent / max(tracker.references, 1), 2),
    }
    if not drained:
        print(f"  not drained within {args.deadline:.0f} s: {len(tracker.missing)} references never at staff")
    print(f"  reports routed+notified {found['worker_reports_per_s']!s:>10} /s  ({found['worker_sms_per_report']} SMS each)")
    print(f"  trivial jobs (baseline) {found['worker_trivial_per_s']!s:>10} /s")
    print(f"  ratio                   {found['worker']:>10}", flush=True)
    return found
