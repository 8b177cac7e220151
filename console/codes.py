"""One-time login codes, kept in Redis: random 6 digits, stored only as an HMAC, valid
10 minutes, one per phone (a new code replaces the old), 5 wrong codes lock the phone
for 15 minutes (even the right code is refused then)."""
from __future__ import annotations

import hashlib
import hmac
import secrets

import redis

CODE_DIGITS = 6
CODE_SECONDS = 10 * 60
MAX_WRONG = 5
LOCK_SECONDS = 15 * 60
MAX_CODES = 5
"""Codes one phone may ask for in LOCK_SECONDS (more are not sent: no SMS bombing of staff)."""

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def clean_code(text: str | None) -> str:
    """What the user typed, as ASCII digits (Thai digits, spaces and hyphens allowed)."""
    return "".join(ch for ch in (text or "").translate(_THAI_DIGITS) if ch.isdigit())[:CODE_DIGITS + 2]


class LoginCodes:
    """The codes of every phone, in one Redis database."""

    def __init__(self, connection: redis.Redis, secret: str | bytes):
        self.redis = connection
        self.secret = secret.encode() if isinstance(secret, str) else secret

    @staticmethod
    def _key(kind: str, phone: str) -> str:
        return f"console:login:{kind}:{phone}"

    def _digest(self, phone: str, code: str) -> str:
        return hmac.new(self.secret, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()

    def locked(self, phone: str) -> bool:
        return bool(self.redis.exists(self._key("locked", phone)))

    def issue(self, phone: str) -> str | None:
        """A new code for ``phone`` (the old one no longer works); None when the phone is
        locked or asked for too many codes lately."""
        if self.locked(phone):
            return None
        asked = self._key("asked", phone)
        count = self.redis.incr(asked)
        if count == 1:
            self.redis.expire(asked, LOCK_SECONDS)
        if count > MAX_CODES:
            return None
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        self.redis.set(self._key("code", phone), self._digest(phone, code), ex=CODE_SECONDS)
        return code

    def check(self, phone: str, code: str) -> bool:
        """Whether ``code`` is the phone's current code (used up when right); a wrong code
        counts towards the lock."""
        if self.locked(phone):
            return False
        stored = self.redis.get(self._key("code", phone))
        typed = clean_code(code)
        if stored and len(typed) == CODE_DIGITS and hmac.compare_digest(stored.decode(), self._digest(phone, typed)):
            if self.redis.delete(self._key("code", phone)):  # one use only, even when two tries race
                self.redis.delete(self._key("wrong", phone), self._key("asked", phone))
                return True
            return False
        wrong = self._key("wrong", phone)
        count = self.redis.incr(wrong)
        if count == 1:
            self.redis.expire(wrong, LOCK_SECONDS)
        if count >= MAX_WRONG:
            self.redis.set(self._key("locked", phone), 1, ex=LOCK_SECONDS)
            self.redis.delete(wrong, self._key("code", phone))
        return False
