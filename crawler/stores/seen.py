"""RedisSeenStore: article identities (canonical URL plus feed GUID) already processed."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key, redis_for
from crawler.stores.compact import DayHashes, digest
from crawler.urls import canonical_url

Identity = tuple[str, str | None]


def identity_digest(url: str, guid: str | None) -> bytes:
    """8 bytes naming an article: its canonical URL and, when the feed gives one, its GUID."""
    return digest(f"{canonical_url(url)}\0{guid or ''}")


class RedisSeenStore:
    """Article identities seen: `rasid:seen:<bucket>` hashes, retention RASID_SEEN_DAYS."""

    # A feed item with a new GUID for a URL already fetched (a re-issued, updated item) is a
    # new identity, so it is fetched again; sitemaps and listings give no GUID, only the URL.

    def __init__(self, client: aioredis.Redis, days: int = 30,
                 clock: Callable[[], float] = time.time, prefix: str = key("seen")) -> None:
        self.hashes = DayHashes(client, prefix, days, bits=16, clock=clock)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisSeenStore:
        return cls(redis_for(crawler), crawler.settings.getint("RASID_SEEN_DAYS", 30))

    async def unseen(self, identities: Sequence[Identity]) -> list[Identity]:
        """The (url, guid) pairs, in order and once each, not seen recently."""
        unique = list(dict.fromkeys(identities))
        found = await self.hashes.get([identity_digest(*i) for i in unique], refresh=True)
        return [identity for identity, value in zip(unique, found, strict=True) if value is None]

    async def mark(self, *identities: Identity) -> None:
        await self.hashes.put({identity_digest(*i): b"" for i in identities})

    async def prune(self, buckets: int | None = None) -> int:
        return await self.hashes.prune(buckets)
