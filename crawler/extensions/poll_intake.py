"""PollIntake: feeds due sources from the Redis poll queue into the running spider (RASID_POLL_INTAKE)."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.redis import redis_for
from crawler.stores.poll_queue import RedisPollQueue

logger = logging.getLogger(__name__)


class PollIntake:
    """Reads the poll queue while the spider is open and hands each due source to `spider.poll`."""

    def __init__(self, crawler: Any, queue: RedisPollQueue) -> None:
        self.crawler = crawler
        self.queue = queue
        self.task: asyncio.Task[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> PollIntake:
        if not crawler.settings.getbool("RASID_POLL_INTAKE"):
            raise NotConfigured("RASID_POLL_INTAKE is off (polls come from start requests)")
        ext = cls(crawler, RedisPollQueue(redis_for(crawler),
                                          crawler.settings.get("RASID_CONSUMER", "rasid")))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.task = asyncio.ensure_future(self._run(spider))

    async def _run(self, spider: Any) -> None:
        while True:
            try:
                for name in await self.queue.take():
                    await spider.poll(name)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                logger.error("poll queue unreachable (%s); retrying in 1s", exc)
                await asyncio.sleep(1)
            except Exception:
                logger.exception("poll intake error; continuing")
                await asyncio.sleep(1)

    async def spider_closed(self, spider: Any) -> None:
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
