"""RecentArticles: the latest matched articles per topic and overall, for the Atom feeds."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key

ALL = "_all"
KEEP = 100


class RecentArticles:
    """Capped Redis lists (`rasid:recent:<topic>`, `rasid:recent:_all`) of article dicts."""

    def __init__(self, client: aioredis.Redis, keep: int = KEEP) -> None:
        self.client = client
        self.keep = keep

    async def add(self, article: dict[str, Any], topics: Iterable[str]) -> None:
        entry = json.dumps({**article, "topics": list(topics)}, ensure_ascii=False)
        async with self.client.pipeline(transaction=True) as pipe:
            for name in (*topics, ALL):
                pipe.lpush(key("recent", name), entry)
                pipe.ltrim(key("recent", name), 0, self.keep - 1)
            await pipe.execute()

    async def latest(self, topic: str | None = None, count: int = 50) -> list[dict[str, Any]]:
        raw = await self.client.lrange(key("recent", topic or ALL), 0, count - 1)
        return [json.loads(item) for item in raw]
