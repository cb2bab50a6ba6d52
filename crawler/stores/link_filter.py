"""LinkFilter: which article links of a poll to download, from the fetched and seen stores."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crawler.sources.links import ArticleLink
from crawler.stores.fetched import RedisFetchedStore
from crawler.stores.seen import RedisSeenStore


class LinkFilter:
    """A link is fetched when its URL was not downloaded, or its feed GUID names a new item."""

    def __init__(self, fetched: RedisFetchedStore, seen: RedisSeenStore) -> None:
        self.fetched = fetched
        self.seen = seen

    @classmethod
    def from_crawler(cls, crawler: Any) -> LinkFilter:
        return cls(RedisFetchedStore.from_crawler(crawler), RedisSeenStore.from_crawler(crawler))

    async def fresh(self, links: Sequence[ArticleLink]) -> list[str]:
        """The URLs to download, in order and once each."""
        unfetched = set(await self.fetched.unfetched([link.url for link in links]))
        with_guid = [(link.url, link.guid) for link in links if link.guid]
        unseen = {url for url, _guid in await self.seen.unseen(with_guid)}
        urls = [link.url for link in links if link.url in unfetched or link.url in unseen]
        return list(dict.fromkeys(urls))

    async def skip(self, url: str, guid: str | None = None) -> None:
        """Never fetch this link again (a page that cannot be parsed)."""
        await self.fetched.mark(url)
        await self.seen.mark((url, guid))
