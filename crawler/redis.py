"""One asyncio Redis client per crawl, built from the RASID_REDIS_URL setting."""
from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import ResponseError
from scrapy.exceptions import NotConfigured

KEY_PREFIX = "rasid:"


def key(*parts: str) -> str:
    """A namespaced Redis key: key('seen', 'urls') -> 'rasid:seen:urls'."""
    return KEY_PREFIX + ":".join(parts)


def connect(url: str, max_connections: int = 64) -> aioredis.Redis:
    """A client whose pool waits for a free connection rather than failing at a burst."""
    pool = aioredis.BlockingConnectionPool.from_url(url, max_connections=max_connections,
                                                    timeout=None)
    return aioredis.Redis(connection_pool=pool)


def redis_for(crawler: Any) -> aioredis.Redis:
    """The crawl's shared client (created on first use, closed by the RedisClose extension)."""
    client = getattr(crawler, "_rasid_redis", None)
    if client is None:
        url = crawler.settings.get("RASID_REDIS_URL")
        if not url:
            raise NotConfigured("RASID_REDIS_URL is not set")
        client = connect(url)
        crawler._rasid_redis = client
    return client


async def ensure_group(client: aioredis.Redis, stream: str, group: str, start: str) -> None:
    """Create a stream's consumer group (and the stream) unless it exists already."""
    try:
        await client.xgroup_create(stream, group, id=start, mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
