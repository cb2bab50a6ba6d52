"""StoryPipeline: which story a matched article tells, and whether it changed in place."""
from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from crawler.items import ArticleItem
from crawler.stores.fetched import RedisFetchedStore
from crawler.stores.signature import article_signature, content_hash
from crawler.stores.stories import StoryStore

logger = logging.getLogger(__name__)


def story_key(story_id: str, content: str | None, updated: bool, alert_on_update: bool) -> str:
    """The story half of an alerted record: the story id, plus the content hash for an update
    of a topic with `on_update: alert`, so each new version of the text alerts once more."""
    return f"{story_id}.{content}" if updated and alert_on_update and content else story_id


class StoryPipeline:
    """Sets item.story_id, duplicate_of, updated and story_keys (RASID_NEAR_DUPLICATES,
    RASID_UPDATE_ALERT_TOPICS); between matching and seed writing."""

    def __init__(self, stories: StoryStore, fetched: RedisFetchedStore, stats: Any,
                 near_duplicates: bool = True, alert_on_update: frozenset[str] = frozenset()) -> None:
        self.stories = stories
        self.fetched = fetched
        self.stats = stats
        self.near_duplicates = near_duplicates
        self.alert_on_update = alert_on_update

    @classmethod
    def from_crawler(cls, crawler: Any) -> StoryPipeline:
        settings = crawler.settings
        return cls(StoryStore.from_crawler(crawler), RedisFetchedStore.from_crawler(crawler),
                   crawler.stats, settings.getbool("RASID_NEAR_DUPLICATES", True),
                   frozenset(settings.getlist("RASID_UPDATE_ALERT_TOPICS")))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        urls = _urls(item)
        digest = content_hash(item.article)
        item.content_hash = digest.hex()
        previous = await self.fetched.content_hash(*urls) if urls else None
        item.updated = previous is not None and previous != digest
        if item.updated:
            self.stats.inc_value("rasid/articles/updated")
            logger.info("%s changed since it was last fetched", urls[0])
        if item.matches and urls:
            await self._assign_story(item, urls[0])
        return item

    async def _assign_story(self, item: ArticleItem, url: str) -> None:
        article = item.article
        signature = article_signature(article) if self.near_duplicates else None
        decision = await self.stories.assign(url, signature, item.source, article.site)
        self.stats.inc_value(f"rasid/stories/{decision.status}")
        item.story_id = decision.story_id
        if decision.first.url != url:
            item.duplicate_of = asdict(decision.first)
            logger.info("%s tells story %s, first reported by %s (%s)", url, decision.story_id,
                        decision.first.source, decision.first.url)
        item.story_keys = {
            m.topic: story_key(decision.story_id, item.content_hash, item.updated,
                               m.topic in self.alert_on_update)
            for m in item.matches
        }


def _urls(item: ArticleItem) -> list[str]:
    """The article's own URL first, then the URLs it was requested by."""
    found = [item.article.url] if item.article.url else []
    return list(dict.fromkeys([*found, *item.seen_urls]))
