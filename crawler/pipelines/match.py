"""TopicMatchPipeline: which watched topics an article matches (RASID_TOPICS)."""
from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import NotConfigured

from crawler import metrics
from crawler.items import ArticleItem
from crawler.match import Topic, TopicMatcher
from crawler.signals import config_reloaded

logger = logging.getLogger(__name__)


class TopicMatchPipeline:
    """Annotates each item with its topic matches."""

    def __init__(self, topics: list[Topic], stats: Any) -> None:
        self.matcher = TopicMatcher(topics)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> TopicMatchPipeline:
        topics = crawler.settings.getlist("RASID_TOPICS")
        if not topics:
            raise NotConfigured("no topics configured (RASID_TOPICS)")
        pipeline = cls([Topic.from_dict(t) for t in topics], crawler.stats)
        crawler.signals.connect(pipeline.on_reload, signal=config_reloaded)
        return pipeline

    def on_reload(self, settings: dict[str, Any]) -> None:
        self.matcher = TopicMatcher([Topic.from_dict(t) for t in settings["RASID_TOPICS"]])

    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.matches = self.matcher.match(item.article)
        self.stats.inc_value("rasid/articles/processed")
        metrics.ARTICLES.labels(item.source).inc()
        for match in item.matches:
            metrics.MATCHES.labels(match.topic).inc()
        if item.matches:
            self.stats.inc_value("rasid/articles/matched")
            logger.info("%s matches %s", item.article.url,
                        ", ".join(m.topic for m in item.matches))
        return item
