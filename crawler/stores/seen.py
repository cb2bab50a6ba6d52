"""RedisSeenStore: canonical article URLs already processed, so they are not fetched again."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key, redis_for
from crawler.urls import url_fingerprint


class RedisSeenStore:
    """Remembers article fingerprints in one Redis SET (`rasid:seen`)."""

    def __init__(self, client: aioredis.Redis, set_key: str = key("seen")) -> None:
        self.client = client
        self.set_key = set_key

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisSeenStore:
        return cls(redis_for(crawler))

    async def unseen(self, urls: Sequence[str]) -> list[str]:
        """The URLs (in order, once each) whose canonical form was never marked seen."""
        unique = list(dict.fromkeys(urls))
        if not unique:
            return []
        flags = await self.client.smismember(self.set_key, [url_fingerprint(u) for u in unique])
        return [url for url, seen in zip(unique, flags, strict=True) if not seen]

    async def mark(self, *urls: str) -> None:
        if urls:
            await self.client.sadd(self.set_key, *(url_fingerprint(u) for u in urls))
