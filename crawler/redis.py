"""One asyncio Redis client per crawl, built from the RASID_REDIS_URL setting."""
from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from scrapy.exceptions import NotConfigured

KEY_PREFIX = "rasid:"


def key(*parts: str) -> str:
    """A namespaced Redis key: key('seen', 'urls') -> 'rasid:seen:urls'."""
    return KEY_PREFIX + ":".join(parts)


def redis_for(crawler: Any) -> aioredis.Redis:
    """The crawl's shared client (created on first use, closed by the RedisClose extension)."""
    client = getattr(crawler, "_rasid_redis", None)
    if client is None:
        url = crawler.settings.get("RASID_REDIS_URL")
        if not url:
            raise NotConfigured("RASID_REDIS_URL is not set")
        client = aioredis.from_url(url, decode_responses=False)
        crawler._rasid_redis = client
    return client
