"""Child processes for the benchmarks: each in its own process group, output to a log file,
always stopped (``Procs`` is a context manager); free loopback ports; HTTP readiness."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project folder (put on PYTHONPATH so that child processes can import ``bench``)."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tool(name: str) -> str:
    """A console script of this venv (beside the running python), else one on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: run `make install`")
    return found


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    """Status and body of a GET (0 and b'' when the server does not answer)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


class Procs:
    """Started processes, stopped together (newest first) when the ``with`` block ends."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.running: list[tuple[str, subprocess.Popen]] = []

    def __enter__(self) -> Procs:
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()

    def start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        """Start ``argv`` in a new session; stdout and stderr go to ``folder/name.log``."""
        log = open(self.folder / f"{name}.log", "ab")
        try:
            process = subprocess.Popen(
                argv, env=env, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        finally:
            log.close()
        self.running.append((name, process))
        return process

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def stop(self, process: subprocess.Popen, timeout: float = 15) -> None:
        """SIGTERM the process group, SIGKILL it after ``timeout`` seconds."""
        self.running = [(name, proc) for name, proc in self.running if proc is not process]
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        _signal_group(process, signal.SIGKILL)  # children left behind by the leader
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            print(f"  warning: process {process.pid} did not stop", file=sys.stderr)

    def stop_all(self) -> None:
        for _, process in reversed(list(self.running)):
            self.stop(process)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)  # start_new_session: the group id is the leader's pid
    except (ProcessLookupError, PermissionError):
        pass


def wait_http(url: str, process: subprocess.Popen, timeout: float = 60, log: Path | None = None) -> None:
    """Wait until ``url`` answers 2xx; fail at once if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode}){_tail(log)}")
        status, _ = http_get(url, timeout=1)
        if 200 <= status < 300:
            return
        time.sleep(0.1)
    raise RuntimeError(f"{url}: no answer after {timeout:.0f} s{_tail(log)}")


def _tail(log: Path | None, lines: int = 15) -> str:
    if not log or not log.exists():
        return ""
    return "\n  " + "\n  ".join(log.read_text(errors="replace").splitlines()[-lines:])


def count_in_logs(paths: list[Path], phrase: str) -> int:
    """Lines holding ``phrase`` in the given log files."""
    total = 0
    for path in paths:
        if path.exists():
            with open(path, errors="replace") as file:
                total += sum(1 for line in file if phrase in line)
    return total


def run_quiet(argv: list[str], env: dict | None = None, timeout: float = 120, cwd: Path | None = None) -> str:
    """Run a short command; raise with its output when it fails."""
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}… failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout
