"""SeenPipeline: marks an article fetched and seen only after every earlier stage succeeded."""
from __future__ import annotations

from typing import Any

from crawler.items import ArticleItem
from crawler.stores.fetched import RedisFetchedStore
from crawler.stores.seen import RedisSeenStore
from crawler.stores.signature import content_hash


class SeenPipeline:
    """Last pipeline: an article that failed earlier is not marked, so the next poll retries it."""

    def __init__(self, fetched: RedisFetchedStore, seen: RedisSeenStore) -> None:
        self.fetched = fetched
        self.seen = seen

    @classmethod
    def from_crawler(cls, crawler: Any) -> SeenPipeline:
        return cls(RedisFetchedStore.from_crawler(crawler), RedisSeenStore.from_crawler(crawler))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        urls = list(dict.fromkeys([*item.seen_urls, *([item.article.url] if item.article.url else [])]))
        digest = bytes.fromhex(item.content_hash) if item.content_hash else content_hash(item.article)
        await self.fetched.mark(*urls, content_hash=digest)
        await self.seen.mark(*((url, item.feed_guid) for url in urls))
        return item
