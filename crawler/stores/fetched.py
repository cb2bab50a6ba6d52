"""RedisFetchedStore: canonical article URLs already downloaded, each with its content hash."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key, redis_for
from crawler.stores.compact import DayHashes
from crawler.urls import url_fingerprint


def url_digest(url: str) -> bytes:
    """The 8 bytes of the URL fingerprint (the seed file name's tail, the old `rasid:seen` member)."""
    return bytes.fromhex(url_fingerprint(url))


class RedisFetchedStore:
    """Do not download again: `rasid:fetched:<bucket>` hashes, retention RASID_FETCHED_DAYS."""

    # The payload is the 4-byte content hash of the article at the URL (empty for a page that
    # could not be parsed): how an article updated in place is recognised. Every sighting in a
    # source refreshes the entry, so a URL is forgotten only once it has been out of every
    # source for the retention period.

    def __init__(self, client: aioredis.Redis, days: int = 30,
                 clock: Callable[[], float] = time.time, prefix: str = key("fetched")) -> None:
        self.hashes = DayHashes(client, prefix, days, bits=16, clock=clock)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisFetchedStore:
        return cls(redis_for(crawler), crawler.settings.getint("RASID_FETCHED_DAYS", 30))

    async def unfetched(self, urls: Sequence[str]) -> list[str]:
        """The URLs (in order, once each) whose canonical form was not downloaded recently."""
        unique = list(dict.fromkeys(urls))
        found = await self.hashes.get([url_digest(u) for u in unique], refresh=True)
        return [url for url, value in zip(unique, found, strict=True) if value is None]

    async def content_hash(self, *urls: str) -> bytes | None:
        """The first content hash recorded for these URLs (of one article); None when none."""
        found = await self.hashes.get([url_digest(u) for u in dict.fromkeys(urls)])
        return next((value for value in found if value), None)

    async def mark(self, *urls: str, content_hash: bytes = b"") -> None:
        """Record the URLs as downloaded today, with the hash of what they contained."""
        await self.hashes.put({url_digest(u): content_hash for u in urls})

    async def prune(self, buckets: int | None = None) -> int:
        return await self.hashes.prune(buckets)
