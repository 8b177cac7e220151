"""`python -m bench` (`make bench`): issue 8, "Hold a flood of reports".

Runs the app as production does (gunicorn, `rongrian worker`, Redis, SQLite or PostgreSQL)
and measures it from outside, each figure beside a baseline of the same run:
intake (req/s and p99 against a bare one-INSERT app), burst (N one-shot reports until
every reference reached its agency's staff), worker (reports per second against trivial
jobs), openloop (reports at a fixed rate: answer times, drain after the last); and, with
``--only reading`` (issue 11), how first messages in the citizen's own words are read and how
many SMS they save; gateway (issue 20): three Android phones at 30 SMS a minute sharing a crowd
of 60 reports to one of them while a citizen converses. Ends with one SUMMARY line.
"""
from __future__ import annotations

import argparse
import math
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import burst, gateway, intake, openloop, reading, sms, worker, wrk
from .databases import Postgres, Redis, SQLite
from .directory import CATEGORIES, generate
from .procs import Procs
from .stack import Context

DB_ALIASES = {"postgresql": "postgres"}
"""Other names accepted by ``--db``."""
BENCHMARKS = {"intake": intake, "burst": burst, "worker": worker, "openloop": openloop, "reading": reading,
              "gateway": gateway}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="intake,burst,worker,openloop,gateway,reading", help="benchmarks to run, comma-separated")
    parser.add_argument("--db", default="sqlite,postgres", help="database kinds, comma-separated")
    parser.add_argument("--reports", type=int, default=10_000, help="burst: one-shot reports (distinct phones)")
    parser.add_argument("--workers", default="", help="burst: `rongrian worker` counts, comma-separated, one burst each "
                        "(e.g. 1,2,4; default 2)")
    parser.add_argument("--deadline", type=float, default=600, help="burst, worker: seconds to wait for the drain")
    parser.add_argument("--duration", type=float, default=15, help="intake: seconds per load run")
    parser.add_argument("--mixes", default="first,oneshot,ussd",
                        help="intake: what to measure against the baseline, of first,oneshot (SMS webhook) and ussd (first screen)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections")
    parser.add_argument("--open-rate", type=float, default=200, help="openloop: reports per second")
    parser.add_argument("--open-seconds", type=float, default=60, help="openloop: seconds of arrivals")
    parser.add_argument("--gateway-spread", type=float, default=30, help="gateway: seconds over which the 60 reports arrive")
    parser.add_argument("--villages", type=int, default=3000, help="villages in the generated directory")
    parser.add_argument("--worker-reports", type=int, help="worker: reports queued (default min(reports, 500))")
    parser.add_argument("--trivial-jobs", type=int, default=500, help="worker: trivial jobs for its baseline")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk", help="intake load generator")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (each one is a CPU)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, databases)")
    args = parser.parse_args(argv)
    args.only = [name for name in args.only.split(",") if name]
    args.mixes = [name for name in args.mixes.split(",") if name]
    args.db = [DB_ALIASES.get(name, name) for name in args.db.split(",") if name]
    try:
        args.workers = [int(count) for count in args.workers.split(",") if count.strip()]
    except ValueError:
        parser.error(f"--workers: counts, comma-separated, not {args.workers!r}")
    if any(count < 1 for count in args.workers):
        parser.error("--workers: every count is 1 or more")
    unknown = [name for name in args.only if name not in BENCHMARKS] + [
        name for name in args.db if name not in ("sqlite", "postgres")] + [
        name for name in args.mixes if name not in ("first", "oneshot", "ussd")]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)}")
    args.worker_reports = args.worker_reports or min(args.reports, 500)
    args.villages = max(args.villages, math.ceil(max(args.reports, args.worker_reports, args.open_rate * args.open_seconds) / len(CATEGORIES)))
    return args


def open_database(kind: str, folder: Path):
    """The database kind, or None after saying why it is skipped."""
    if kind == "sqlite":
        (folder / "sqlite").mkdir(exist_ok=True)
        return SQLite(folder / "sqlite")
    reason = Postgres.unavailable()
    if reason is None:
        try:
            return Postgres()
        except Exception as error:  # noqa: BLE001 - reported, then skipped
            reason = f"the throwaway cluster did not start: {error}"
    print(f"\n== PostgreSQL skipped: {reason}", flush=True)
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop what was started, as on Ctrl-C
    folder = Path(tempfile.mkdtemp(prefix="rongrian-bench-"))
    figures: dict[str, object] = {}
    failed = False
    started = time.monotonic()
    print(f"Rongrian bench: {', '.join(args.only)} on {', '.join(args.db)}; {args.reports} reports; "
          f"work folder {folder}", flush=True)
    try:
        with Procs(folder) as procs:
            binary = None
            if args.client == "wrk" and "intake" in args.only:
                binary, why = wrk.find()
                if not binary:
                    print(f"  note: {why}; intake load comes from the Python client", flush=True)
            ctx = Context(args, folder, Redis(procs), generate(folder / "directory", args.villages), binary,
                          sms.apology_texts())
            for kind in args.db:
                db = open_database(kind, folder)
                if db is None:
                    figures[kind] = "skipped"
                    continue
                try:
                    for name in args.only:
                        ctx.redis.flush()
                        try:
                            found = BENCHMARKS[name].run(ctx, db)
                        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
                            traceback.print_exc()
                            found = {f"{name}": "error"}
                            failed = True
                        ctx.results.setdefault(db.name, {}).update(found)
                        figures.update({f"{db.name}.{key}": value for key, value in found.items()})
                finally:
                    db.close()
    finally:
        if args.keep:
            print(f"\nwork folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"\n({time.monotonic() - started:.0f} s)")
        print("SUMMARY " + " ".join(f"{key}={value}" for key, value in figures.items()), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
