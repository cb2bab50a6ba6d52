"""RedisClose: closes the crawl's shared Redis client after everything else has closed."""
from __future__ import annotations

from typing import Any

from scrapy import signals


class RedisClose:
    """Always on; the client is created lazily by crawler.redis.redis_for."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisClose:
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    async def engine_stopped(self) -> None:
        client = getattr(self.crawler, "_rasid_redis", None)
        if client is not None:
            await client.aclose()
            self.crawler._rasid_redis = None
