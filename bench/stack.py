"""The app as production runs it, driven from outside: the Procfile's gunicorn, `rongrian
worker` processes, `rongrian load-directory`, and the Twilio stand-in with its message log."""
from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis
from rq import Worker

from . import sms
from .client import post_all
from .databases import Redis
from .directory import Directory, generate
from .procs import ROOT, Procs, count_in_logs, free_port, http_get, run_quiet, tool, wait_http

APP = "rongrian:create_app()"
BASELINE_APP = "bench.baseline_app:create_app()"
APP_PATTERN = re.compile(r"^[\w.]+:[\w.]+(\(.*\))?$")
"""gunicorn's WSGI app argument, ``module:callable`` or ``module:factory()``."""
DEFAULT_PROCFILE = {"web": f"gunicorn --workers 2 --bind 0.0.0.0:5000 {APP}", "worker": "rongrian worker"}
LOCKED = "database is locked"
_warm_up = itertools.count()
DROPPED_SETTINGS = ("TWILIO_", "SMSGATE_", "SMS_", "DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL", "USSD_SECRET",
                    "SECRET_KEY", "MAX_REPORTS_PER_DAY", "OPEN311_")


@dataclass
class Context:
    """What every benchmark of one `python -m bench` run shares."""

    args: argparse.Namespace
    folder: Path  # the work folder: logs, databases, the directory
    redis: Redis
    directory: Directory
    wrk: str | None  # None: load from the Python client
    apologies: list[str]
    results: dict[str, dict] = field(default_factory=dict)  # database kind → figures so far

    def procs(self, name: str) -> Procs:
        """A ``Procs`` logging into its own sub-folder."""
        folder = self.folder / name
        folder.mkdir(parents=True, exist_ok=True)
        return Procs(folder)


@dataclass
class Stack:
    """Processes of one benchmark over one database; ``procs`` stops them all."""

    procs: Procs
    redis_url: str
    database_url: str
    standin_url: str = "http://127.0.0.1:9"  # nothing listens: sends would fail (no worker runs)
    logs: dict[str, list[Path]] = field(default_factory=lambda: {"web": [], "worker": []})
    settings: dict[str, str] = field(default_factory=dict)  # more environment for the web and workers

    def env(self, **extra) -> dict:
        env = {key: value for key, value in os.environ.items() if not key.startswith(DROPPED_SETTINGS)}
        env.update(
            DATABASE_URL=self.database_url, REDIS_URL=self.redis_url, SMS_BACKEND="twilio",
            TWILIO_ACCOUNT_SID=sms.ACCOUNT_SID, TWILIO_AUTH_TOKEN=sms.AUTH_TOKEN, TWILIO_FROM_NUMBER=sms.FROM_NUMBER,
            TWILIO_API_BASE=self.standin_url, PUBLIC_BASE_URL=sms.PUBLIC_BASE_URL, SECRET_KEY="bench-secret",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            PATH=os.pathsep.join([os.path.dirname(tool("gunicorn")), os.environ.get("PATH", "")]),
        )
        env.update(self.settings, **extra)
        return env

    def load_directory(self, directory: Directory) -> None:
        """`rongrian init-db` and `load-directory`; without the contract's optional columns when today's
        loader refuses them."""
        run_quiet([tool("rongrian"), "init-db"], env=self.env(), timeout=300)
        argv = [tool("rongrian"), "load-directory", str(directory.folder)]
        try:
            run_quiet(argv, env=self.env(), timeout=300)
        except RuntimeError as error:
            if "bad header" not in str(error):
                raise
            print("  note: the loader refused the optional columns (keywords, short names): loaded without them")
            generate(directory.folder, len(directory.villages), optional=False)
            run_quiet(argv, env=self.env(), timeout=300)

    def web(self, name: str = "web", app: str = APP) -> int:
        """The Procfile's web command on a free loopback port; returns the port once it answers
        and a few requests warmed both workers up."""
        port = free_port()
        process = self.procs.start(name, web_command(port, app), env=self.env())
        self.logs["web"].append(self.procs.log(name))
        wait_http(f"http://127.0.0.1:{port}/healthz", process, log=self.procs.log(name))
        time.sleep(2.0)  # the second worker imports the app too
        warm = [sms.http_request(port, sms.form("warmup", next(_warm_up), sms.FIRST_SMS)) for _ in range(30)]
        post_all(port, warm, concurrency=4)
        return port

    def worker(self, name: str):
        """One `rongrian worker` (the Procfile's worker command)."""
        self.logs["worker"].append(self.procs.log(name))
        return self.procs.start(name, procfile("worker"), env=self.env())

    def wait_workers(self, count: int, timeout: float = 60) -> list[str] | None:
        """Wait until ``count`` rq workers registered in Redis; the queues they listen to
        (None when they never showed up as rq workers)."""
        connection = redis.Redis.from_url(self.redis_url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                workers = Worker.all(connection=connection)
            except Exception:  # noqa: BLE001 - not rq's layout: report, do not crash
                return None
            if len(workers) >= count:
                return sorted({name for worker in workers for name in worker.queue_names()})
            time.sleep(0.05)
        return None

    def standin(self, folder: Path) -> StandinLog:
        """The Twilio REST stand-in as its own gunicorn (threads); sends go to it from now on."""
        port = free_port()
        log = StandinLog(folder / "sent.jsonl")
        process = self.procs.start("twilio-standin", [
            tool("gunicorn"), "--worker-class", "gthread", "--workers", "1", "--threads", "16",
            "--bind", f"127.0.0.1:{port}", "bench.twilio_standin:app"], env=self.env(STANDIN_LOG=str(log.path)))
        wait_http(f"http://127.0.0.1:{port}/healthz", process, log=self.procs.log("twilio-standin"))
        self.standin_url = f"http://127.0.0.1:{port}"
        return log

    def queue_depth(self, port: int) -> int | None:
        """The queue depth /healthz reports (None when it says nothing)."""
        status, body = http_get(f"http://127.0.0.1:{port}/healthz")
        try:
            return json.loads(body).get("queue_depth") if body else None
        except ValueError:
            return None

    def locked(self, kind: str) -> int:
        """Lines saying "database is locked" in the web or worker logs."""
        return count_in_logs(self.logs[kind], LOCKED)


def procfile(kind: str) -> list[str]:
    """The Procfile's ``kind`` command, split (the default one when the Procfile lacks it)."""
    try:
        lines = (ROOT / "Procfile").read_text().splitlines()
        command = next(line.split(":", 1)[1] for line in lines if line.startswith(f"{kind}:"))
    except (OSError, StopIteration):
        command = DEFAULT_PROCFILE[kind]
    argv = shlex.split(command)
    return [tool(argv[0]), *argv[1:]]


def web_command(port: int, app: str = APP) -> list[str]:
    """The Procfile's web command bound to 127.0.0.1:``port``, serving ``app``."""
    argv, bound = procfile("web"), False
    for index, word in enumerate(argv[1:], start=1):
        if argv[index - 1] in ("--bind", "-b"):
            argv[index], bound = f"127.0.0.1:{port}", True
        elif word.startswith("--bind="):
            argv[index], bound = f"--bind=127.0.0.1:{port}", True
        elif APP_PATTERN.match(word):
            argv[index] = app
    return argv if bound else [*argv[:1], "--bind", f"127.0.0.1:{port}", *argv[1:]]


def web_flags() -> str:
    """The web command as the printouts show it."""
    return " ".join(web_command(0, "APP")[1:]).replace("127.0.0.1:0", "127.0.0.1:PORT")


class StandinLog:
    """Reads the stand-in's message log as it grows."""

    def __init__(self, path: Path):
        self.path = path
        self.path.touch()
        self.offset = 0
        self.messages: list[dict] = []

    def new(self) -> list[dict]:
        """Messages logged since the last call (whole lines only)."""
        with open(self.path, "rb") as file:
            file.seek(self.offset)
            data = file.read()
        end = data.rfind(b"\n") + 1
        self.offset += end
        fresh = [json.loads(line) for line in data[:end].splitlines() if line.strip()]
        self.messages.extend(fresh)
        return fresh
