"""Short-lived menu sessions (USSD, voice calls) kept in Redis with a TTL.

Redis being down is not an error here: reads give None and writes are dropped, and the
channels fall back to what they can rebuild (USSD replays its ``text``)."""
from __future__ import annotations

import json
import logging
from typing import Callable

import redis

from cases.province.phones import masked_in_text

log = logging.getLogger(__name__)

SESSION_TTL = 600
"""Seconds a session (and a phone's unfinished report) is kept after its last answer."""


class RedisStore:
    """JSON values under string keys, each with a TTL; silent when Redis is unreachable."""

    def __init__(self, connection: Callable[[], redis.Redis], prefix: str = "rongrian:"):
        self.connection, self.prefix = connection, prefix

    def get(self, key: str) -> dict | None:
        try:
            raw = self.connection().get(self.prefix + key)
        except redis.exceptions.RedisError as error:
            log.warning("Redis unavailable, session %s not read: %s", masked_in_text(key), error)
            return None
        return json.loads(raw) if raw else None

    def get_many(self, *keys: str) -> list[dict | None]:
        """``get`` of several keys in one round trip."""
        try:
            raws = self.connection().mget([self.prefix + key for key in keys])
        except redis.exceptions.RedisError as error:
            log.warning("Redis unavailable, sessions %s not read: %s", masked_in_text(" ".join(keys)), error)
            return [None] * len(keys)
        return [json.loads(raw) if raw else None for raw in raws]

    def set(self, key: str, value: dict, ttl: int = SESSION_TTL) -> None:
        try:
            self.connection().set(self.prefix + key, json.dumps(value, ensure_ascii=False), ex=ttl)
        except redis.exceptions.RedisError as error:
            log.warning("Redis unavailable, session %s not kept: %s", masked_in_text(key), error)

    def delete(self, key: str) -> None:
        try:
            self.connection().delete(self.prefix + key)
        except redis.exceptions.RedisError as error:
            log.warning("Redis unavailable, session %s not dropped: %s", masked_in_text(key), error)
