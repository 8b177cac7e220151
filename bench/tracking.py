"""Following reports from the reply (the reference) to the staff phones that must hear of
them, through the Twilio stand-in's message log."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from . import sms
from .client import Answer, percentile
from .stack import StandinLog


@dataclass
class Tracker:
    log: StandinLog
    apologies: list[str]
    expected: dict[str, set[str]] = field(default_factory=dict)  # reference → staff phones still to hear
    reached_at: dict[str, float] = field(default_factory=dict)  # reference → when its last staff SMS left
    unanswered: int = 0  # requests answered neither in the webhook nor later by SMS
    waiting: dict[str, tuple[float, list[str]]] = field(default_factory=dict)  # citizen → (sent at, staff), answer to come by SMS
    deferred: int = 0  # reports the webhook left to a worker (answered by SMS)
    by_sms: list[float] = field(default_factory=list)  # seconds from sending to the reference by SMS
    heard: dict[str, set[str]] = field(default_factory=dict)  # reference → staff phones that heard of it
    heard_at: dict[str, float] = field(default_factory=dict)  # reference → when the last of them did
    sorry_replies: int = 0
    shared: int = 0  # references given to more than one report
    last_sms_at: float = 0.0

    def replies(self, answers: list[Answer], phones: list[tuple[str, list[str]]]) -> None:
        """Read the answers to the reports (``phones[i]``: the citizen and the staff phones of
        report ``i``); an empty answer (a flood: a worker answers) is looked for by SMS."""
        for answer, (citizen, staff) in zip(answers, phones):
            text = sms.message_text(answer.body) if answer.status == 200 else ""
            self.sorry_replies += sms.is_apology(text, self.apologies)
            refs = sms.references(text)
            if answer.status == 200 and not text:
                self.waiting[citizen] = (answer.sent_at, staff)
                self.deferred += 1
            elif not refs:
                self.unanswered += 1
            else:
                self._expect(refs[0], staff)
        self.unanswered += len(phones) - len(answers)  # never sent
        self.poll()

    def _expect(self, ref: str, staff: list[str]) -> None:
        if ref in self.expected or ref in self.reached_at:
            self.shared += 1
            return
        self.expected[ref] = set(staff) - self.heard.get(ref, set())
        if not self.expected[ref]:
            del self.expected[ref]
            self.reached_at[ref] = self.heard_at[ref]

    @property
    def references(self) -> int:
        return len(self.expected) + len(self.reached_at)

    @property
    def missing(self) -> list[str]:
        """References not yet at all their staff, and citizens still without a reference."""
        return sorted(ref for ref, phones in self.expected.items() if phones) + sorted(self.waiting)

    def poll(self) -> int:
        """Take in the stand-in's new messages; how many there were."""
        fresh = self.log.new()
        for message in fresh:
            self.last_sms_at = max(self.last_sms_at, message["t"])
            refs = sms.references(message.get("body") or "")
            if message["to"] in self.waiting and refs:  # the answer a worker gave by SMS
                sent_at, staff = self.waiting.pop(message["to"])
                self.by_sms.append(message["t"] - sent_at)
                self._expect(refs[0], staff)
                continue
            for ref in refs:
                self.heard.setdefault(ref, set()).add(message["to"])
                self.heard_at[ref] = max(self.heard_at.get(ref, 0.0), message["t"])
                phones = self.expected.get(ref)
                if phones and message["to"] in phones:
                    phones.discard(message["to"])
                    if not phones:
                        del self.expected[ref]
                        self.reached_at[ref] = message["t"]
        return len(fresh)

    def wait(self, until: float, queue_depth=None, quiet: float = 1.0, complete: bool = True) -> bool:
        """Poll until every reference reached its staff (unless not ``complete``), the queue
        is empty (``queue_depth()`` says 0 or None) and no SMS left for ``quiet`` seconds;
        False when ``until`` passes first."""
        while True:
            self.poll()
            settled = time.time() - self.last_sms_at >= quiet and not (queue_depth and queue_depth())
            if settled and not (complete and self.missing):
                return True
            if time.time() >= until:
                return False
            time.sleep(0.25)

    def duplicates(self) -> tuple[int, list[str]]:
        """SMS sent again with the same To and Body: how many extra copies, and a few examples."""
        counts = Counter((message["to"], message["body"]) for message in self.log.messages)
        repeated = [(pair, count) for pair, count in counts.most_common() if count > 1]
        examples = [f"{count}× to {to}: {body}" for (to, body), count in repeated[:3]]
        return sum(count - 1 for _, count in repeated), examples

    def sorry_sms(self) -> int:
        return sum(1 for message in self.log.messages if sms.is_apology(message.get("body") or "", self.apologies))


def latency_line(answers: list[Answer]) -> str:
    seconds = [answer.seconds for answer in answers]
    failed = sum(1 for answer in answers if answer.status != 200)
    return (f"answers p50 {percentile(seconds, 0.5) * 1e3:.0f} ms, p99 {percentile(seconds, 0.99) * 1e3:.0f} ms, "
            f"not 200: {failed}")
