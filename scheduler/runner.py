"""CrawlRunner: the crawl that polls sources, run in this process on the asyncio reactor."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence

from scrapy.crawler import AsyncCrawlerRunner, Crawler
from scrapy.settings import Settings

from crawler.spiders.sources import SourceSpider


class CrawlRunner:
    """Starts the long-running crawl of the daemon, or a crawl that polls some sources once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runner: AsyncCrawlerRunner | None = None
        self.crawler: Crawler | None = None

    def _start(self, overrides: dict[str, object], **spider_args: object) -> asyncio.Task[None]:
        settings = self.settings.copy()
        settings.setdict(overrides, priority="cmdline")
        self.runner = AsyncCrawlerRunner(settings)
        self.crawler = self.runner.create_crawler(SourceSpider)
        return self.runner.crawl(self.crawler, **spider_args)

    def start_daemon(self) -> asyncio.Task[None]:
        """The crawl stays open and takes due sources from the poll queue."""
        return self._start({"RASID_POLL_INTAKE": True}, stay_open=True)

    async def once(self, sources: Sequence[str] = (), progress: bool = False) -> set[str]:
        """Poll each source (all when none given) once; the names of those that failed."""
        await self._start({"RASID_POLL_INTAKE": False, "RASID_PROGRESS": progress},
                          sources=list(sources))
        return set(self.crawler.spider.polls.failed) if self.crawler else set()

    async def stop(self) -> None:
        """In-flight requests finish, pending alerts get a last delivery, the crawl closes."""
        if self.runner is not None:
            await self.runner.stop()
