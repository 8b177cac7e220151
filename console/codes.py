"""One-time login codes and the limits around them, kept in Redis.

A code is 6 random digits, stored only as an HMAC, valid 10 minutes, one per phone (a new
code replaces the old). Every phone gets one, registered or not (an unknown phone's is
never sent), so that the work, the limits and every answer are the same for both.

- 5 wrong codes while a code is active lock the phone (even the right code is refused):
  15 minutes the first time, twice as long for each further lock within 24 hours of the
  last one (at most 24 hours). Wrong codes while no code is active count for nothing, so
  knowing a staff member's number is not enough to lock them out.
- A phone may ask for 5 codes in 15 minutes and 10 in 24 hours (no SMS bombing of staff).
- One IP address may ask for 10 codes and try 20 codes an hour; the whole console 600
  codes and 300 tries an hour (a slow guess spread over many addresses and phones).

Every refusal says how many seconds until the request may be made again.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import redis

CODE_DIGITS = 6
"""Digits of a code."""
CODE_SECONDS = 10 * 60
"""How long a code is valid."""
MAX_WRONG = 5
"""Wrong codes (typed while a code is active) that lock the phone."""
WRONG_SECONDS = 15 * 60
"""How long a wrong code is remembered towards the lock."""
LOCK_SECONDS = 15 * 60
"""The first lock of a phone; each further lock within LOCK_MEMORY_SECONDS lasts twice the one before."""
MAX_LOCK_SECONDS = 24 * 60 * 60
"""The longest lock."""
LOCK_MEMORY_SECONDS = 24 * 60 * 60
"""How long after a lock ends the next one still doubles."""
MAX_CODES = 5
"""Codes one phone may ask for in ASK_SECONDS (more are refused: no SMS bombing of staff)."""
ASK_SECONDS = 15 * 60
"""The window of MAX_CODES."""
MAX_CODES_PER_DAY = 10
"""Codes one phone may ask for in 24 hours."""
DAY_SECONDS = 24 * 60 * 60
"""The window of MAX_CODES_PER_DAY."""
LIMIT_SECONDS = 60 * 60
"""The window of the per-address and console-wide limits."""
IP_MAX_CODES = 10
"""Codes one IP address may ask for in LIMIT_SECONDS."""
IP_MAX_TRIES = 20
"""Codes one IP address may type in LIMIT_SECONDS."""
ALL_MAX_CODES = 600
"""Codes the whole console may be asked for in LIMIT_SECONDS (about 200 staff logging in, three times over)."""
ALL_MAX_TRIES = 300
"""Codes typed in the whole console in LIMIT_SECONDS (enough for every staff member; a guess
spread over many phones and addresses gets 300 tries an hour in all)."""

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

_COUNT = """
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i]) then
    local ttl = redis.call('TTL', key)
    if ttl < 0 then
      ttl = tonumber(ARGV[2 * i - 1])
      redis.call('EXPIRE', key, ttl)
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[2 * i - 1]) end
end
return 0
"""
"""Atomically: when every counter of KEYS is below its limit (ARGV: window seconds, limit;
per key), count one more on each (a counter lives one window from its first count) and
return 0; else count nothing and return the seconds until the fullest one empties."""


@dataclass(frozen=True)
class Refused:
    """A request refused: ``reason`` is "busy" (too many from this address or in all),
    "locked" (too many wrong codes) or "codes" (this phone asked too many); ``seconds``
    until it may be made again."""

    reason: str
    seconds: int


def clean_code(text: str | None) -> str:
    """What the user typed, as ASCII digits (Thai digits, spaces and hyphens allowed)."""
    return "".join(ch for ch in (text or "").translate(_THAI_DIGITS) if ch.isdigit())[:CODE_DIGITS + 2]


def lock_seconds(nth: int) -> int:
    """How long the ``nth`` lock of a phone within a day lasts."""
    return min(LOCK_SECONDS * 2 ** min(max(nth - 1, 0), 16), MAX_LOCK_SECONDS)


class LoginCodes:
    """The codes and limits of every phone and address, in one Redis database."""

    def __init__(self, connection: redis.Redis, secret: str | bytes):
        self.redis = connection
        self.secret = secret.encode() if isinstance(secret, str) else secret
        self._count = connection.register_script(_COUNT)

    @staticmethod
    def _key(kind: str, subject: str) -> str:
        return f"console:login:{kind}:{subject}"

    def _digest(self, phone: str, code: str) -> str:
        return hmac.new(self.secret, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()

    def _admit(self, *limits: tuple[str, int, int]) -> int:
        """0 when every (key, window, limit) admits one more (counted), else the seconds to wait."""
        keys = [key for key, _window, _limit in limits]
        args = [value for _name, window, limit in limits for value in (window, limit)]
        return int(self._count(keys=keys, args=args))

    def locked(self, phone: str) -> int:
        """Seconds the phone stays locked (0: not locked)."""
        return max(int(self.redis.ttl(self._key("locked", phone))), 0)

    def _refused(self, phone: str, address: str, kind: str, per_address: int, in_all: int) -> Refused | None:
        """Why a request of ``kind`` ("codes" or "tries") may not be made now: too many from
        ``address`` or in all this hour (then it is counted), or the phone is locked."""
        wait = self._admit((self._key(f"ip-{kind}", address), LIMIT_SECONDS, per_address),
                           (self._key(f"all-{kind}", "all"), LIMIT_SECONDS, in_all))
        if wait:
            return Refused("busy", wait)
        locked = self.locked(phone)
        return Refused("locked", locked) if locked else None

    def ask(self, phone: str, address: str) -> str | Refused:
        """A new code for ``phone`` asked from ``address`` (the old code no longer works),
        or why none is given."""
        refused = self._refused(phone, address, "codes", IP_MAX_CODES, ALL_MAX_CODES)
        if refused:
            return refused
        wait = self._admit((self._key("asked", phone), ASK_SECONDS, MAX_CODES),
                           (self._key("asked-day", phone), DAY_SECONDS, MAX_CODES_PER_DAY))
        if wait:
            return Refused("codes", wait)
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        self.redis.set(self._key("code", phone), self._digest(phone, code), ex=CODE_SECONDS)
        return code

    def attempt(self, phone: str, typed: str, address: str) -> bool | Refused:
        """Whether ``typed`` (from ``address``) is the phone's current code, used up when
        right; a refusal when over a limit, or when this wrong code locked the phone."""
        refused = self._refused(phone, address, "tries", IP_MAX_TRIES, ALL_MAX_TRIES)
        if refused:
            return refused
        if self.check(phone, typed):
            return True
        locked = self.locked(phone)
        return Refused("locked", locked) if locked else False

    def check(self, phone: str, code: str) -> bool:
        """Whether ``code`` is the phone's current code (used up when right); a wrong code
        counts towards a lock only while a code is active."""
        if self.locked(phone):
            return False
        stored = self.redis.get(self._key("code", phone))
        if stored is None:
            return False  # nothing to guess: no lock from a number alone
        typed = clean_code(code)
        if len(typed) == CODE_DIGITS and hmac.compare_digest(stored.decode(), self._digest(phone, typed)):
            if self.redis.delete(self._key("code", phone)):  # one use only, even when two tries race
                self.redis.delete(self._key("wrong", phone), self._key("asked", phone), self._key("asked-day", phone))
                return True
            return False
        wrong = self._key("wrong", phone)
        count = self.redis.incr(wrong)
        if count == 1:
            self.redis.expire(wrong, WRONG_SECONDS)
        if count >= MAX_WRONG:
            self._lock(phone)
        return False

    def _lock(self, phone: str) -> None:
        """Lock the phone, for twice as long as its previous lock when that was within a day."""
        history = self._key("locks", phone)
        seconds = lock_seconds(int(self.redis.incr(history)))
        self.redis.expire(history, seconds + LOCK_MEMORY_SECONDS)
        self.redis.set(self._key("locked", phone), 1, ex=seconds)
        self.redis.delete(self._key("wrong", phone), self._key("code", phone))
