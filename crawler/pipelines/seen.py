"""SeenPipeline: marks an article seen only after every earlier stage succeeded."""
from __future__ import annotations

from typing import Any

from crawler.items import ArticleItem
from crawler.stores.seen import RedisSeenStore


class SeenPipeline:
    """Last pipeline: an article that failed earlier is not marked, so the next poll retries it."""

    def __init__(self, store: RedisSeenStore) -> None:
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Any) -> SeenPipeline:
        return cls(RedisSeenStore.from_crawler(crawler))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        await self.store.mark(*item.seen_urls, *([item.article.url] if item.article.url else []))
        return item
