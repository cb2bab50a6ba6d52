"""AlertDelivery: sends queued alerts while the crawl runs and once more when it closes."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.alerts.channels import build_channels
from crawler.alerts.delivery import AlertDeliverer
from crawler.alerts.outbox import AlertOutbox
from crawler.items import ArticleItem

logger = logging.getLogger(__name__)


class AlertDelivery:
    """Runs the AlertDeliverer on new alerts and every RASID_DELIVERY_INTERVAL seconds (retries)."""

    def __init__(self, crawler: Any, deliverer: AlertDeliverer, interval: float) -> None:
        self.crawler = crawler
        self.deliverer = deliverer
        self.interval = interval
        self.wake = asyncio.Event()
        self.closing = False
        self.task: asyncio.Task[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertDelivery:
        urls = crawler.settings.getdict("RASID_CHANNELS")
        if not urls:
            raise NotConfigured("no alert channels configured (RASID_CHANNELS)")
        deliverer = AlertDeliverer(AlertOutbox.from_crawler(crawler), build_channels(urls),
                                   send_timeout=crawler.settings.getfloat("RASID_SEND_TIMEOUT", 10.0))
        ext = cls(crawler, deliverer, crawler.settings.getfloat("RASID_DELIVERY_INTERVAL", 10.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.task = asyncio.ensure_future(self._run())

    def item_scraped(self, item: Any, spider: Any) -> None:
        if isinstance(item, ArticleItem) and item.alerts:
            self.wake.set()

    async def _run(self) -> None:
        while not self.closing:
            await self.deliver()
            try:
                await asyncio.wait_for(self.wake.wait(), self.interval)
            except TimeoutError:
                pass
            self.wake.clear()

    async def deliver(self) -> None:
        try:
            report = await self.deliverer.deliver_pending()
        except Exception:
            logger.exception("alert delivery cycle failed; the outbox keeps every alert")
            return
        stats = self.crawler.stats
        stats.inc_value("rasid/alerts/sent", report.sent)
        stats.inc_value("rasid/alerts/failed", report.failed)

    async def spider_closed(self, spider: Any) -> None:
        # no cancel: Apprise may swallow it mid-send; the loop ends after its current cycle
        self.closing = True
        self.wake.set()
        if self.task is not None:
            await self.task
        await self.deliver()  # last chance; what still fails stays in the outbox
