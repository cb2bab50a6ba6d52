"""AlertPipeline: one outbox entry per matched topic, unless the story already alerted for it."""
from __future__ import annotations

import logging
from typing import Any

from crawler.alerts.alert import Alert
from crawler.alerts.outbox import AlertOutbox
from crawler.items import ArticleItem

logger = logging.getLogger(__name__)


class AlertPipeline:
    """Queues alerts in the Redis outbox; the AlertDelivery extension sends them."""

    def __init__(self, outbox: AlertOutbox, stats: Any) -> None:
        self.outbox = outbox
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertPipeline:
        return cls(AlertOutbox.from_crawler(crawler), crawler.stats)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        for match in item.matches:
            alert = Alert.for_match(item.article, match, source=item.source,
                                    story=getattr(item, "story_id", None))
            if await self.outbox.enqueue(alert):
                item.alerts += 1
                self.stats.inc_value("rasid/alerts/queued")
            else:
                self.stats.inc_value("rasid/alerts/duplicate")
        return item
