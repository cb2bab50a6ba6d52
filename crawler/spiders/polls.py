"""PollBook: which sources are being polled, by whom, and how each poll ended."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key, redis_for

logger = logging.getLogger(__name__)


@dataclass
class Poll:
    """One poll of one source: its feed request plus the article requests it spawned."""

    source: str
    started: float = field(default_factory=time.monotonic)
    outstanding: int = 1
    new_articles: int = 0
    errors: list[str] = field(default_factory=list)


class PollBook:
    """Never two polls of a source at once: a lease in Redis, the request count in memory."""

    def __init__(self, client: aioredis.Redis, crawler: Any, owner: str,
                 lease_seconds: int = 600) -> None:
        self.client = client
        self.crawler = crawler  # its stats exist only once the crawl has started
        self.owner = owner
        self.lease_seconds = lease_seconds
        self.active: dict[str, Poll] = {}
        self.inflight_urls: set[str] = set()
        self.failed: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> PollBook:
        return cls(redis_for(crawler), crawler, crawler.settings.get("RASID_CONSUMER", "rasid"),
                   crawler.settings.getint("RASID_POLL_LEASE", 600))

    async def begin(self, name: str) -> bool:
        poll = self.active.get(name)
        if poll is not None and time.monotonic() - poll.started < self.lease_seconds:
            return False
        lease = key("source", name, "lease")
        if not await self.client.set(lease, self.owner, nx=True, ex=self.lease_seconds):
            holder = await self.client.get(lease)
            if holder != self.owner.encode() or name in self.active:
                return False
            # our own lease, left by a previous run of this process that died mid-poll
            await self.client.set(lease, self.owner, ex=self.lease_seconds)
        self.active[name] = Poll(name)
        return True

    def add_request(self, name: str, new_article: bool = False) -> None:
        poll = self.active[name]
        poll.outstanding += 1
        poll.new_articles += int(new_article)

    def claim_url(self, url: str) -> bool:
        """False when another poll in this process is already fetching the URL."""
        if url in self.inflight_urls:
            return False
        self.inflight_urls.add(url)
        return True

    def fail(self, name: str, error: str) -> None:
        logger.warning("source %s: %s", name, error)
        if name in self.active:
            self.active[name].errors.append(error)

    def release_urls(self, urls: list[str]) -> None:
        self.inflight_urls.difference_update(urls)

    async def finish_request(self, name: str) -> None:
        poll = self.active.get(name)
        if poll is None:
            return
        poll.outstanding -= 1
        if poll.outstanding <= 0:
            await self._end(self.active.pop(name))

    async def _end(self, poll: Poll) -> None:
        seconds = time.monotonic() - poll.started
        ok = not poll.errors
        status = "ok" if ok else "failed"
        self.crawler.stats.inc_value(f"rasid/polls/{status}")
        if not ok:
            self.failed.add(poll.source)
        logger.info("poll %s: %s, %d new articles, %.2fs%s", poll.source, status,
                    poll.new_articles, seconds, f" ({poll.errors[0]})" if poll.errors else "")
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(key("source", poll.source, "lease"))
            pipe.hset(key("source", poll.source, "status"), mapping={
                "last_poll": time.time(), "result": status, "new_articles": poll.new_articles,
                "duration": round(seconds, 3), "error": poll.errors[0] if poll.errors else ""})
            await pipe.execute()
