"""PollBook: which sources are being polled, by whom, and how each poll ended."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis

from crawler import metrics
from crawler.redis import key, redis_for
from crawler.signals import poll_finished

logger = logging.getLogger(__name__)
HOUR = 3600
TAKE_LEASE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""


@dataclass
class Poll:
    """One poll of one source: its feed request plus the articles it spawned, until piped."""

    source: str
    started: float = field(default_factory=time.monotonic)
    outstanding: int = 1
    new_articles: int = 0
    matches: int = 0
    alerts: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class PollReport:
    """How a poll ended, as sent with the poll_finished signal."""

    source: str
    ok: bool
    new_articles: int
    matches: int
    alerts: int
    seconds: float
    error: str
    failures_in_a_row: int
    flags: frozenset[str] = frozenset()  # "down", "silent": what SourceHealth said before


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
        self.endings: set[asyncio.Task[None]] = set()
        self._lease = client.register_script(TAKE_LEASE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> PollBook:
        return cls(redis_for(crawler), crawler, crawler.settings.get("RASID_CONSUMER", "rasid"),
                   crawler.settings.getint("RASID_POLL_LEASE", 600))

    async def begin(self, name: str) -> bool:
        poll = self.active.get(name)
        if poll is not None and time.monotonic() - poll.started < self.lease_seconds:
            return False
        # free, or ours (left by a previous run of this process that died mid-poll)
        if not await self._lease(keys=[key("source", name, "lease")],
                                 args=[self.owner, self.lease_seconds]):
            return False
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

    def release_urls(self, urls: list[str]) -> None:
        self.inflight_urls.difference_update(urls)

    def fail(self, name: str, error: str) -> None:
        logger.warning("source %s: %s", name, error)
        if name in self.active:
            self.active[name].errors.append(error)

    def finish_item(self, name: str, matches: int, alerts: int) -> None:
        poll = self.active.get(name)
        if poll is not None:
            poll.matches += matches
            poll.alerts += alerts
        self.finish_request(name)

    def finish_request(self, name: str) -> None:
        poll = self.active.get(name)
        if poll is None:
            return
        poll.outstanding -= 1
        if poll.outstanding <= 0:
            task = asyncio.ensure_future(self._end(self.active.pop(name)))
            self.endings.add(task)
            task.add_done_callback(self.endings.discard)

    async def wait_ended(self) -> None:
        """Let the bookkeeping of finished polls reach Redis (before the crawl closes)."""
        if self.endings:
            await asyncio.gather(*self.endings, return_exceptions=True)

    async def _end(self, poll: Poll) -> None:
        seconds = time.monotonic() - poll.started
        ok = not poll.errors
        error = poll.errors[0] if poll.errors else ""
        self.crawler.stats.inc_value(f"rasid/polls/{'ok' if ok else 'failed'}")
        metrics.POLLS.labels(poll.source, "ok" if ok else "failed").inc()
        metrics.POLL_SECONDS.observe(seconds)
        if not ok:
            self.failed.add(poll.source)
        logger.info("poll %s: %s, %d new, %d matches, %d alerts, %.2fs%s", poll.source,
                    "ok" if ok else "failed", poll.new_articles, poll.matches, poll.alerts,
                    seconds, f" ({error})" if error else "")
        in_a_row, flags = await self._record(poll, ok, seconds, error)
        await self.crawler.signals.send_catch_log_async(poll_finished, report=PollReport(
            poll.source, ok, poll.new_articles, poll.matches, poll.alerts, seconds, error,
            in_a_row, flags))

    async def _record(self, poll: Poll, ok: bool, seconds: float,
                      error: str) -> tuple[int, frozenset[str]]:
        """Write the poll's result where `rasid status` and /metrics read it."""
        now = time.time()
        status = key("source", poll.source, "status")
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(key("source", poll.source, "lease"))
            pipe.hset(status, mapping={"last_poll": now, "result": "ok" if ok else "failed",
                                       "new_articles": poll.new_articles,
                                       "duration": round(seconds, 3), "error": error})
            if ok:
                pipe.hset(status, mapping={"last_ok": now, "failures": 0})
            else:
                pipe.hincrby(status, "failures", 1)
                pipe.hset(status, "last_error", error)
            if poll.new_articles:
                pipe.hset(status, "last_new", now)
                pipe.hincrby(key("source", poll.source, "new"), str(int(now // HOUR)),
                             poll.new_articles)
            pipe.hmget(status, "failures", "down_since", "silent_since")
            *_, (failures, down, silent) = await pipe.execute()
        flags = frozenset(f for f, v in (("down", down), ("silent", silent)) if v)
        return int(failures or 0), flags
