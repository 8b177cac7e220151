"""A small asyncio HTTP client: many connections, one request each (gunicorn's sync
workers close the connection after every answer), answers and latencies kept."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass
class Measure:
    """One load run: how many answers, how fast, how slow the slowest."""

    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int  # no answer, or not 2xx
    sorry: int  # answers holding the apology
    note: str = ""

    @property
    def rate(self) -> float:
        """Answered requests per second that were neither errors nor apologies."""
        good = self.requests - self.errors - self.sorry
        return good / self.seconds if self.seconds else 0.0


@dataclass
class Answer:
    status: int  # 0: no answer (connection error or timeout)
    body: str
    seconds: float
    sent_at: float  # time.time() when the request left


async def _one(port: int, request: bytes, timeout: float) -> Answer:
    sent_at, start = time.time(), time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        try:
            writer.write(request)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), timeout)
        finally:
            writer.close()
    except (OSError, asyncio.TimeoutError) as error:
        return Answer(0, f"{type(error).__name__}: {error}", time.perf_counter() - start, sent_at)
    head, _, body = raw.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = 0
    return Answer(status, body.decode("utf-8", "replace"), time.perf_counter() - start, sent_at)


async def _run(port: int, requests: list[bytes], concurrency: int, duration: float | None, timeout: float):
    answers: list[Answer | None] = [None] * len(requests)
    position = 0
    stop_at = time.perf_counter() + duration if duration else None

    async def connection() -> None:
        nonlocal position
        while position < len(requests) and (stop_at is None or time.perf_counter() < stop_at):
            index, position = position, position + 1
            answers[index] = await _one(port, requests[index], timeout)

    start = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return answers[:position], time.perf_counter() - start


def post_all(port: int, requests: list[bytes], concurrency: int = 50, duration: float | None = None,
             timeout: float = 60) -> tuple[list[Answer], float]:
    """Send ``requests`` in order over ``concurrency`` connections (for at most ``duration``
    seconds when given); the answers of those sent, in the order of ``requests``, and the
    elapsed seconds."""
    return asyncio.run(_run(port, requests, concurrency, duration, timeout))


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def measure(port: int, requests: list[bytes], concurrency: int, duration: float, apologies: list[str]) -> Measure:
    """Load from this process for ``duration`` seconds (when wrk is not there)."""
    answers, seconds = post_all(port, requests, concurrency, duration)
    latencies = [answer.seconds for answer in answers]
    errors = sum(1 for answer in answers if not 200 <= answer.status < 300)
    sorry = sum(1 for answer in answers if any(text in answer.body for text in apologies))
    wrapped = "" if len(answers) < len(requests) else " (ran out of prepared requests)"
    return Measure(len(answers), seconds, percentile(latencies, 0.5), percentile(latencies, 0.99), errors,
                   sorry, "python client" + wrapped)


async def _at_rate(port: int, requests: list[bytes], rate: float, timeout: float):
    start = time.perf_counter()

    async def scheduled(index: int) -> Answer:
        await asyncio.sleep(max(0.0, start + index / rate - time.perf_counter()))
        return await _one(port, requests[index], timeout)

    answers = await asyncio.gather(*(scheduled(index) for index in range(len(requests))))
    return list(answers), time.perf_counter() - start


def post_at_rate(port: int, requests: list[bytes], rate: float, timeout: float = 60) -> tuple[list[Answer], float]:
    """Open loop: request ``i`` leaves at ``i / rate`` seconds whatever the earlier ones are
    doing (as villagers' phones do), each on its own connection; the answers in order and the
    elapsed seconds. An answer's ``seconds`` runs from its own departure."""
    return asyncio.run(_at_rate(port, requests, rate, timeout))
