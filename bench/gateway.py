"""Gateway (issue 20): three Android phones (SMS Gateway for Android stand-ins, each paced at
30 SMS a minute by the app) share a crowd. 60 villagers send one-shot reports to the same
phone within ``--gateway-spread`` seconds (one number on the village poster) while one citizen,
who texted that phone too, is in a conversation. Into the Procfile's web command with two
`rongrian worker`, through the signed ``/smsgate/events`` webhook; what leaves is read from
the stand-in's log.

Printed: the wait of each of the conversation's replies (the next question within 30 s), the
wait of each reference (all 60 within 80 s) and of the last one, the SMS per phone, the most
any phone sent in any 60 s (never over its pace), the staff notices, lost and duplicate SMS.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from sms_gateway.signatures import smsgate_signature

from . import burst, sms
from .procs import free_port, tool, wait_http
from .stack import Context, Stack, StandinLog, web_flags

PHONES = {"phone-1": "ais", "phone-2": "dtac", "phone-3": "true"}
"""The phones of the account and the operator of each one's SIM (SMSGATE_DEVICES)."""
TEXTED = "phone-1"
"""The phone whose number the village poster shows: every citizen texts it."""
PACE = 30
"""SMS a minute per phone (SMSGATE_MAX_PER_MINUTE): Android's own limit."""
REPORTS = 60
SIGNING_KEY, USERNAME, PASSWORD = "bench-signing-key", "bench", "bench-password"
MAX_QUESTION = 30.0
"""Seconds from the conversation's SMS to the next question."""
MAX_REFERENCE = 80.0
"""Seconds from a one-shot report to its reference (three phones at 30 a minute)."""
MAX_STEPS = 6
"""Answers the conversation gives at most before it must have its reference."""
STAFF_DEADLINE = 240.0
"""Seconds after the first report by which every staff notice must have left."""


def standin(stack: Stack, folder: Path) -> StandinLog:
    """The SMS Gateway stand-in as its own gunicorn (threads); the app sends to it."""
    port = free_port()
    log = StandinLog(folder / "sent.jsonl")
    process = stack.procs.start("smsgate-standin", [
        tool("gunicorn"), "--worker-class", "gthread", "--workers", "1", "--threads", "16",
        "--bind", f"127.0.0.1:{port}", "bench.smsgate_standin:app"],
        env=stack.env(STANDIN_LOG=str(log.path), STANDIN_DEVICES=",".join(PHONES)))
    wait_http(f"http://127.0.0.1:{port}/healthz", process, log=stack.procs.log("smsgate-standin"))
    stack.settings.update(
        SMS_BACKEND="smsgate", SMSGATE_URL=f"http://127.0.0.1:{port}/3rdparty/v1", SMSGATE_USERNAME=USERNAME,
        SMSGATE_PASSWORD=PASSWORD, SMSGATE_SIGNING_KEY=SIGNING_KEY, SMSGATE_MAX_PER_MINUTE=str(PACE),
        SMSGATE_DEVICES=",".join(f"{device}={operator}" for device, operator in PHONES.items()),
        INLINE_LATENCY_BUDGET="inf",
    )
    return log


class Texter:
    """The phones' side: signed ``sms:received`` events posted to the app, as the app on
    phone TEXTED posts them when a citizen's SMS arrives."""

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/smsgate/events"
        self.count = 0
        self.failed: list[str] = []
        self._lock = threading.Lock()

    def text(self, phone: str, body: str) -> float:
        """Post one SMS from ``phone``; when it left (Unix time)."""
        with self._lock:
            self.count += 1
            number = self.count
        event = {"event": "sms:received", "id": f"bench-evt-{number}", "deviceId": TEXTED, "webhookId": "bench",
                 "payload": {"messageId": f"bench-in-{number}", "message": body, "phoneNumber": phone,
                             "simNumber": 1, "receivedAt": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
                             .replace("+00:00", f".{number % 1000:03d}+00:00")}}
        data = json.dumps(event, ensure_ascii=False).encode()
        stamp = str(int(time.time()))
        request = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Content-Type": "application/json", "X-Timestamp": stamp,
            "X-Signature": smsgate_signature(SIGNING_KEY, data, stamp)})
        sent = time.time()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status != 204:
                    self.failed.append(f"{response.status}")
        except OSError as error:
            self.failed.append(type(error).__name__)
        return sent


def most_in_a_minute(times: list[float]) -> int:
    """The most of ``times`` within any 60 s."""
    times, most, first = sorted(times), 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 60.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def converse(texter: Texter, log: StandinLog, phone: str, village: str, lock: threading.Lock) -> list[float]:
    """One citizen's conversation, answering each reply at once: their words, the village
    code, then "1" to whatever is asked, until the reference comes; the wait of each reply."""
    waits, answers = [], [sms.FIRST_SMS, village] + ["1"] * MAX_STEPS
    for answer in answers[:MAX_STEPS]:
        with lock:
            before = sum(1 for message in log.messages if message["to"] == phone)
        sent = texter.text(phone, answer)
        deadline = sent + 180
        reply = None
        while reply is None and time.time() < deadline:
            time.sleep(0.1)
            with lock:
                log.new()
                mine = [message for message in log.messages if message["to"] == phone]
            if len(mine) > before:
                reply = mine[before]
        if reply is None:
            waits.append(float("inf"))
            break
        waits.append(reply["t"] - sent)
        if sms.references(reply["body"]):
            break
    return waits


def run(ctx: Context, db) -> dict:
    spread = ctx.args.gateway_spread
    print(f"\n== gateway on {db.name}: {REPORTS} one-shot reports to {TEXTED} within {spread:.0f} s and one "
          f"conversation, {len(PHONES)} phones at {PACE} SMS/min each, gunicorn {web_flags()} + "
          f"{burst.WORKERS} × rongrian worker", flush=True)
    with ctx.procs(f"{db.name}-gateway") as procs:
        stack = Stack(procs, ctx.redis.url, db.new("bench_gateway"))
        log = standin(stack, procs.folder)
        stack.load_directory(ctx.directory)
        port = stack.web()
        for number in range(burst.WORKERS):
            stack.worker(f"worker{number + 1}")
        stack.wait_workers(burst.WORKERS)
        texter, lock = Texter(port), threading.Lock()
        reports = []
        for index in range(REPORTS):
            type_number, village = ctx.directory.report(index)
            reports.append((sms.phone("gateway", index), sms.one_shot(type_number, village),
                            ctx.directory.staff_for(type_number, village)))
        talker, (_, talk_village) = sms.phone("gateway-talk", 0), ctx.directory.report(REPORTS)
        sent_at: dict[str, float] = {}
        start = time.time()

        def crowd():
            for index, (phone, body, _) in enumerate(reports):
                time.sleep(max(0.0, start + index * spread / REPORTS - time.time()))
                sent_at[phone] = texter.text(phone, body)

        thread = threading.Thread(target=crowd)
        thread.start()
        time.sleep(spread * 2 / 3)  # the citizen writes when the phones are swamped
        waits = converse(texter, log, talker, talk_village, lock)
        thread.join()
        expected = {(staff, phone) for phone, _, staff_phones in reports for staff in staff_phones}
        deadline = start + STAFF_DEADLINE
        while time.time() < deadline:
            with lock:
                log.new()
            refs = _references(log.messages, sent_at)
            if len(refs) == REPORTS and not _staff_missing(log.messages, refs, reports):
                break
            time.sleep(0.5)
        time.sleep(3)  # late copies
        with lock:
            log.new()
    messages = log.messages
    refs = _references(messages, sent_at)
    reference_waits = [refs[phone][1] - sent_at[phone] for phone in refs]
    staff_missing = _staff_missing(messages, refs, reports)
    per_phone = Counter(message["device"] for message in messages)
    most = {device: most_in_a_minute([m["t"] for m in messages if m["device"] == device]) for device in PHONES}
    copies = Counter((message["to"], message["body"]) for message in messages)
    duplicates = sum(count - 1 for count in copies.values() if count > 1) + (len(messages) - len({m["id"] for m in messages}))
    lost = REPORTS - len(refs) + len(staff_missing) + len(texter.failed)
    question = waits[0] if waits else float("inf")
    last_ref = max(reference_waits, default=float("inf"))
    by_phone = ", ".join(f"{device} {per_phone.get(device, 0)}" for device in PHONES)
    print(f"  conversation: waits of its replies {', '.join(f'{wait:.1f}' for wait in waits)} s "
          f"(the next question {question:.1f} s, < {MAX_QUESTION:.0f})", flush=True)
    print(f"  references {len(refs)}/{REPORTS}: wait p50 {_median(reference_waits):.1f} s, the last one's wait "
          f"{last_ref:.1f} s (< {MAX_REFERENCE:.0f}); the last reference left {_last_at(refs, start):.1f} s after "
          f"the first report; from another phone than {TEXTED}: "
          f"{sum(1 for _, (device, _) in refs.items() if device != TEXTED)}", flush=True)
    print(f"  SMS per phone: {by_phone}; most in any 60 s: "
          f"{', '.join(f'{device} {count}' for device, count in most.items())} (pace {PACE})", flush=True)
    print(f"  staff notices {len(expected) - len(staff_missing)}/{len(expected)}; lost {lost}, duplicates "
          f"{duplicates}; webhook failures {len(texter.failed)}", flush=True)
    found = {
        "gateway_question_s": round(question, 1), "gateway_conversation_max_s": round(max(waits, default=0), 1),
        "gateway_last_ref_s": round(last_ref, 1), "gateway_refs": len(refs),
        "gateway_per_phone": "/".join(str(per_phone.get(device, 0)) for device in PHONES),
        "gateway_most_per_60s": max(most.values(), default=0), "gateway_lost": lost, "gateway_dup": duplicates,
    }
    checks = [question <= MAX_QUESTION, last_ref <= MAX_REFERENCE, len(refs) == REPORTS,
              max(most.values(), default=0) <= PACE, lost == 0, duplicates == 0]
    found["gateway_ok"] = "yes" if all(checks) else "no"
    print(f"  acceptance (next question < {MAX_QUESTION:.0f} s, every reference < {MAX_REFERENCE:.0f} s, no phone "
          f"over {PACE} in 60 s, 0 lost, 0 duplicates): {found['gateway_ok']}", flush=True)
    return found


def _references(messages: list[dict], sent_at: dict[str, float]) -> dict[str, tuple[str, float]]:
    """Citizen → (the phone, when) of the first SMS holding their reference."""
    found = {}
    for message in messages:
        if message["to"] in sent_at and message["to"] not in found and sms.references(message["body"]):
            found[message["to"]] = (message["device"], message["t"])
    return found


def _staff_missing(messages: list[dict], refs: dict, reports: list) -> list[tuple[str, str]]:
    """(staff phone, citizen) pairs whose new-case SMS has not left yet (for references known)."""
    reference_of = {}
    for message in messages:
        if message["to"] in refs and message["to"] not in reference_of:
            found = sms.references(message["body"])
            if found:
                reference_of[message["to"]] = found[0]
    told = {(message["to"], ref) for message in messages for ref in sms.references(message["body"])}
    return [(staff, phone) for phone, _, staff_phones in reports for staff in staff_phones
            if phone not in reference_of or (staff, reference_of[phone]) not in told]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def _last_at(refs: dict, start: float) -> float:
    return max((at for _, at in refs.values()), default=start) - start
