"""Admission by measured latency (workers/budget.py): the webhook answers inline the share of
messages that keeps its requests within INLINE_LATENCY_BUDGET, and leaves the rest to the
workers; it comes back to inline within seconds of the budget holding again."""
import math
import time

import pytest

from cases.store import reference
from flows import sms
from web import services
from workers import budget
from workers.budget import PROBE, Load, inline_share


def test_a_light_load_is_answered_inline():
    # 20 messages a second on two processes, 5 ms each inline: 5 % busy
    load = Load(inline=20, inline_us=20 * 5000, slots=2)
    assert inline_share(load, 1.0) == 1.0


def test_a_load_past_what_the_processes_can_do_inline_is_shared_with_the_workers():
    # 200 a second on two processes at 12 ms inline, 1 ms stored: all inline would be 120 % busy
    load = Load(inline=100, inline_us=100 * 12000, stored=100, stored_us=100 * 1000, slots=2)
    share = inline_share(load, 1.0)
    assert 0.5 < share < 0.9
    busy = 100 * (share * 0.012 + (1 - share) * 0.001)
    assert busy == pytest.approx(budget.BUSY_MAX)  # as busy as the budget lets them be


def test_processes_busy_past_saturation_halve_the_share_at_each_look():
    # two processes busy 98 % of the last second: requests may be queueing unseen
    load = Load(inline=100, inline_us=100 * 19600, slots=2)
    assert inline_share(load, 1.0, 0.8) == pytest.approx(0.4)
    assert inline_share(load, 1.0, 0.03) == PROBE


def test_a_tighter_budget_answers_fewer_inline():
    load = Load(inline=100, inline_us=100 * 12000, stored=100, stored_us=100 * 1000, slots=2)
    assert inline_share(load, 0.05) < inline_share(load, 1.0)  # 12 ms / (1 − busy) ≤ 50 ms: 76 % busy


def test_requests_over_the_budget_at_the_95th_percentile_shed_at_once():
    load = Load(inline=100, inline_us=100 * 5000, slow=6, slots=2)
    assert inline_share(load, 1.0) == PROBE
    assert inline_share(Load(inline=100, inline_us=100 * 5000, slow=4, slots=2), 1.0) == 1.0


def test_one_slow_start_is_not_a_flood():
    # 30 requests in the last second, one of them 0.6 s (a cold start) over a 0.5 s budget
    assert inline_share(Load(inline=30, inline_us=29 * 5000 + 600_000, slow=1, slots=1), 0.5) == 1.0
    assert inline_share(Load(inline=30, inline_us=27 * 5000 + 1_800_000, slow=3, slots=1), 0.5) == PROBE


def test_a_budget_of_0_leaves_everything_to_the_workers_and_an_infinite_one_nothing():
    load = Load(inline=100, inline_us=100 * 19600, slow=50, slots=1)
    assert inline_share(load, 0) == 0.0
    assert inline_share(load, math.inf) == 1.0


def webhook_answers(citizens, count: int, gap: float) -> list[bool]:
    """Send one report from each of ``count`` new phones, ``gap`` seconds apart: which were
    answered in the webhook."""
    answered = []
    for _ in range(count):
        answered.append(bool(reference.find_in(next(citizens).send("1 51010103 ไฟดับทั้งซอย"))))
        time.sleep(gap)
    return answered


@pytest.fixture
def citizens(phone):
    return (phone(f"0863{index:06d}") for index in range(10**6))


def test_the_switch_follows_the_measured_latency_both_ways(demo, twilio_app, citizens, monkeypatch):
    admission = services(twilio_app).admission
    admission.budget = 0.3
    respond = sms.respond

    def slow_respond(phone, body):
        time.sleep(0.35)  # each inline answer over the budget, as measured by the web's own clock
        return respond(phone, body)

    monkeypatch.setattr(sms, "respond", slow_respond)
    slow = webhook_answers(citizens, 8, 0.02)
    assert slow[0] and not any(slow[2:]), slow  # measured over budget: left to the workers in < 1 s

    monkeypatch.setattr(sms, "respond", respond)  # the web is quick again
    started = time.monotonic()
    while not all(webhook_answers(citizens, 3, 0.05)):
        assert time.monotonic() - started < 5, "still leaving messages to the workers after 5 s"
    assert time.monotonic() - started < 5
