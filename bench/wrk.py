"""The intake load generator: Debian's `wrk` (installed with apt-get when missing and
possible) cycling through request bodies prepared in a file by Python (bench/wrk.lua)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from .client import Measure

SCRIPT = Path(__file__).with_name("wrk.lua")
TEMPLATE_MARK = "@N@"
"""In a body, the place where wrk.lua writes a request number (unsigned template bodies)."""


def find(install: bool = True) -> tuple[str | None, str]:
    """The wrk binary (installing it with apt-get as root when missing), or None and why."""
    found = shutil.which("wrk")
    if found or not install:
        return found, "" if found else "wrk not found"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "wrk not found and apt-get cannot be used here"
    print("  installing wrk with apt-get…", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 300}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, **quiet).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, **quiet)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, **quiet)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"wrk could not be installed: {error}"
    found = shutil.which("wrk")
    return found, "" if found else "wrk could not be installed with apt-get"


def write_bodies(path: Path, lines: list[tuple[str, str]]) -> Path:
    """``lines``: (signature, url-encoded body), one request each."""
    with open(path, "w", encoding="utf-8") as file:
        for signature, body in lines:
            file.write(f"{signature}\t{body}\n")
    return path


def run(binary: str, port: int, bodies: Path, duration: float, connections: int, threads: int = 1,
        apologies: list[str] = (), path: str = "/twilio/sms") -> Measure:
    """Load 127.0.0.1:``port`` for ``duration`` seconds; requests with no answer in 30 s count
    as errors (gunicorn's own worker timeout), answers holding an ``apologies`` text as sorry."""
    argv = [binary, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
            "-s", str(SCRIPT), f"http://127.0.0.1:{port}", "--", str(bodies), str(threads), *apologies]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 120, env={**os.environ, "WRK_PATH": path})
    line = next((line for line in done.stdout.splitlines() if line.startswith("WRK-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-1000:]}")
    data = json.loads(line[len("WRK-JSON "):])
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    note = "wrk" + (f" (ran out of prepared requests {data['wrapped']} times: repeats)" if data["wrapped"] else "")
    return Measure(data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1e6, data["p99_us"] / 1e6,
                   errors, data["sorry"], note)
