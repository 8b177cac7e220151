"""The servers the benchmarks need besides the app: one Redis, and a database kind
(SQLite files in the work folder, or a throwaway PostgreSQL cluster) that hands out
empty databases by name."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import sys
import tempfile
import time
from pathlib import Path

import redis

from .procs import Procs, free_port, run_quiet


class Redis:
    """A redis-server on a free loopback port, without persistence."""

    def __init__(self, procs: Procs):
        binary = shutil.which("redis-server") or shutil.which("redis-server", path=str(Path(sys.executable).parent))
        if not binary:
            raise RuntimeError("redis-server not found: run `make redis`")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        procs.start("redis", [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"])
        self.client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.05)

    def flush(self) -> None:
        self.client.flushall()


class SQLite:
    """One SQLite file per database, in the work folder (the app sets WAL itself)."""

    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder

    def new(self, name: str) -> str:
        return f"sqlite:///{self.folder / (name + '.db')}"

    def close(self) -> None:
        pass


class Postgres:
    """A throwaway PostgreSQL cluster (initdb + pg_ctl, as user postgres when run as root),
    like scripts/with-postgres. ``Postgres.unavailable()`` says why there is none."""

    name = "postgres"

    @staticmethod
    def bindir() -> str | None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: [
            int(part) if part.isdigit() else 0 for part in path.split("/")])
        found = [path for path in found if os.path.exists(f"{path}/initdb")]
        if found:
            return found[-1]
        initdb = shutil.which("initdb")
        return os.path.dirname(initdb) if initdb else None

    @classmethod
    def unavailable(cls) -> str | None:
        if not cls.bindir():
            return "PostgreSQL server binaries not found (apt-get install postgresql)"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no 'postgres' user to run the server"
        return None

    def __init__(self):
        self.bin = self.bindir()
        self.data = tempfile.mkdtemp(prefix="bench-pg-")
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        self.started = False
        try:
            self._as_owner(f"{self.bin}/initdb -D {self.data} -A trust -U postgres >/dev/null")
            options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=200"
            self._as_owner(f"{self.bin}/pg_ctl -D {self.data} -o '{options}' -l {self.data}/log -w start >/dev/null")
            self.started = True
        except Exception:
            self.close()
            raise

    def _as_owner(self, command: str) -> None:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
        run_quiet(argv, timeout=120)

    def new(self, name: str) -> str:
        run_quiet([f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name])
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        if self.started:
            try:
                self._as_owner(f"{self.bin}/pg_ctl -D {self.data} -m fast -w stop >/dev/null")
            except Exception as error:
                print(f"  warning: PostgreSQL did not stop cleanly: {error}")
            self.started = False
        shutil.rmtree(self.data, ignore_errors=True)
