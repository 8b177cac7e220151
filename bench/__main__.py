"""`make bench`: how expensive the hot paths are, as ratios to a baseline of the same run.

- inbound SMS (store, flow, reply, outbox) vs GET /healthz (the cheapest request);
- village search from typed words vs a lookup by code;
- peak memory of 1,000 inbound SMS.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.redis_server import RedisServer  # noqa: E402


def timed(func, repeat: int) -> float:
    """Median seconds per call over ``repeat`` calls (after one warm-up)."""
    func(0)
    samples = []
    for index in range(1, repeat + 1):
        start = time.perf_counter()
        func(index)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    server = RedisServer()
    server.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            run(server.url, Path(folder))
    finally:
        server.stop()


def run(redis_url: str, folder: Path) -> None:
    import logging

    logging.disable(logging.WARNING)
    from cases import directory, places
    from cases.models import Village, create_tables
    from sms_gateway import create_app
    from sms_gateway.cli import DEMO_DIRECTORY

    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "REDIS_URL": redis_url})
    create_tables()
    directory.load(DEMO_DIRECTORY)
    client = app.test_client()

    def health(_):
        client.get("/healthz")

    def inbound(index):
        client.post("/twilio/sms", data={
            "MessageSid": f"SMbench{index}", "From": f"+6681{index:07d}", "Body": "1 51010103 ถนนเป็นหลุมใหญ่",
        })

    def by_code(_):
        Village.get_or_none(Village.code == "51010103")

    def by_words(_):
        places.search("ต.ในเมอง หมู่ 3")

    base = timed(health, 300)
    sms = timed(inbound, 300)
    code = timed(by_code, 300)
    words = timed(by_words, 300)
    print(f"GET /healthz (baseline)        {base * 1e3:8.2f} ms")
    print(f"inbound one-shot SMS           {sms * 1e3:8.2f} ms   x{sms / base:5.1f} baseline")
    print(f"village by code (baseline)     {code * 1e3:8.2f} ms")
    print(f"village by typed words         {words * 1e3:8.2f} ms   x{words / code:5.1f} baseline")

    tracemalloc.start()
    for index in range(1000, 2000):
        inbound(index)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python memory, 1,000 SMS  {peak / 2**20:8.1f} MiB")


if __name__ == "__main__":
    main()
