"""AlertPipeline: one outbox entry per matched topic, unless the story already alerted for it."""
from __future__ import annotations

import logging
from typing import Any

from crawler.alerts.alert import ALSO, Alert
from crawler.alerts.outbox import AlertOutbox
from crawler.items import ArticleItem
from crawler.redis import redis_for
from crawler.signals import config_reloaded
from crawler.stores.recent import RecentArticles

logger = logging.getLogger(__name__)


class AlertPipeline:
    """Queues alerts in the Redis outbox; the AlertDelivery extension sends them."""

    def __init__(self, outbox: AlertOutbox, recent: RecentArticles, crawler: Any) -> None:
        self.outbox = outbox
        self.recent = recent
        self.crawler = crawler
        self.archives = _archives(crawler.settings.getdict("RASID_CHANNELS"))

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertPipeline:
        pipeline = cls(AlertOutbox.from_crawler(crawler), RecentArticles(redis_for(crawler)),
                       crawler)
        crawler.signals.connect(pipeline.on_reload, signal=config_reloaded)
        return pipeline

    def on_reload(self, settings: dict[str, Any]) -> None:
        self.outbox.digests = settings["RASID_DIGESTS"]
        self.archives = _archives(settings["RASID_CHANNELS"])

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        stats = self.crawler.stats
        alerted = []
        for match in item.matches:
            # the story, or for an `on_update: alert` topic the story's current version
            story = item.story_keys.get(match.topic, item.story_id)
            alert = Alert.for_match(item.article, match, source=item.source, story=story)
            if await self.outbox.enqueue(alert):
                alerted.append(match.topic)
                stats.inc_value("rasid/alerts/queued")
            else:
                stats.inc_value("rasid/alerts/duplicate")
                await self._also_reported(item, alert)
        item.alerts = len(alerted)
        if alerted:
            await self.recent.add(item.article.to_dict(), alerted)
        return item

    async def _also_reported(self, item: ArticleItem, alert: Alert) -> None:
        """Another site's copy of a story that alerted: recorded in the archives, not sent."""
        channels = [c for c in alert.channels if c in self.archives]
        if item.duplicate_of and channels:
            alert.kind, alert.channels = ALSO, channels
            await self.outbox.enqueue(alert, dedup=False)


def _archives(channels: dict[str, Any]) -> set[str]:
    """The channels that archive (jsonl://): they also record later copies of a story."""
    return {name for name, spec in channels.items()
            if str(spec.get("url") if isinstance(spec, dict) else spec).startswith("jsonl://")}
