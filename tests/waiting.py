"""Waiting in tests for what other processes and threads do."""
from __future__ import annotations

import time


def wait_for(condition, seconds: float, step: float = 0.05) -> bool:
    """True as soon as ``condition()`` is; False when ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())
