"""RedisValidatorStore: each source's ETag / Last-Modified, for conditional GET of feeds."""
from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key, redis_for

FIELDS = (("etag", "If-None-Match"), ("last-modified", "If-Modified-Since"))


class RedisValidatorStore:
    """Keeps the HTTP validators of the last successful poll in `rasid:source:<name>:http`."""

    def __init__(self, client: aioredis.Redis) -> None:
        self.client = client

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisValidatorStore:
        return cls(redis_for(crawler))

    async def request_headers(self, source: str) -> dict[str, str]:
        stored = await self.client.hgetall(key("source", source, "http"))
        return {
            header: stored[field.encode()].decode("latin-1")
            for field, header in FIELDS
            if field.encode() in stored
        }

    async def remember(self, source: str, etag: bytes | None, last_modified: bytes | None) -> None:
        values = {f: v for f, v in (("etag", etag), ("last-modified", last_modified)) if v}
        name = key("source", source, "http")
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(name)
            if values:
                pipe.hset(name, mapping=values)
            await pipe.execute()
