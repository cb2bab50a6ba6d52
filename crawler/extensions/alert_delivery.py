"""AlertDelivery: runs the DeliveryService while the crawl runs, and a last round when it closes."""
from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.alerts.delivery import DeliveryPolicy
from crawler.alerts.health import Backoff
from crawler.alerts.outbox import AlertOutbox
from crawler.alerts.service import DeliveryService
from crawler.items import ArticleItem
from crawler.redis import redis_for
from crawler.signals import config_reloaded

logger = logging.getLogger(__name__)


def policy_from_settings(settings: Any) -> tuple[DeliveryPolicy, Backoff, int]:
    """The RASID_ALERTS setting (the config's `alerts:` section, in seconds) as objects."""
    alerts = settings.getdict("RASID_ALERTS")
    policy = DeliveryPolicy(
        timezone=alerts.get("timezone", "UTC"),
        dead_letter_after=float(alerts.get("dead_letter_after", 86_400)),
        send_timeout=settings.getfloat("RASID_SEND_TIMEOUT", 10.0),
        idle_seconds=settings.getfloat("RASID_DELIVERY_INTERVAL", 10.0))
    backoff = Backoff(float(alerts.get("retry_after", 30)), float(alerts.get("retry_max", 3600)))
    return policy, backoff, int(alerts.get("down_after", 3))


class AlertDelivery:
    """Wakes every channel when an item queued alerts (RASID_CHANNELS must not be empty)."""

    def __init__(self, service: DeliveryService) -> None:
        self.service = service

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertDelivery:
        channels = crawler.settings.getdict("RASID_CHANNELS")
        if not channels:
            raise NotConfigured("no alert channels configured (RASID_CHANNELS)")
        ext = cls(_service(crawler, crawler.settings))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.on_reload, signal=config_reloaded)
        ext.crawler = crawler
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.service.start()

    def item_scraped(self, item: Any, spider: Any) -> None:
        if isinstance(item, ArticleItem) and item.alerts:
            self.service.kick()

    async def on_reload(self, settings: dict[str, Any]) -> None:
        """New channels: the old workers finish their cycle, new ones take over."""
        merged = self.crawler.settings.copy()
        merged.setdict(settings, priority="cmdline")
        old, self.service = self.service, _service(self.crawler, merged)
        await old.close()
        self.service.start()

    async def spider_closed(self, spider: Any) -> None:
        polls = getattr(spider, "polls", None)
        if polls is not None:  # the last polls' notices must be queued before the last round
            await polls.wait_ended()
        await self.service.close()
        totals = self.service.totals
        stats = self.crawler.stats
        stats.set_value("rasid/alerts/sent", totals.sent)
        stats.set_value("rasid/alerts/failed", totals.failed)
        stats.set_value("rasid/alerts/dead_lettered", totals.buried)


def _service(crawler: Any, settings: Any) -> DeliveryService:
    policy, backoff, down_after = policy_from_settings(settings)
    outbox = AlertOutbox(redis_for(crawler), settings.get("RASID_CONSUMER", "rasid"),
                         settings.getdict("RASID_DIGESTS"))
    return DeliveryService.build(redis_for(crawler), outbox, settings.getdict("RASID_CHANNELS"),
                                 policy, backoff, down_after)
