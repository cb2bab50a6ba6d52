"""RedisPollQueue: "source X is due" travels from the clock to the pollers as a Redis Stream."""
from __future__ import annotations

import redis.asyncio as aioredis

from crawler.redis import ensure_group, key

GROUP = "pollers"
MAXLEN = 10_000


class RedisPollQueue:
    """The scheduler adds due sources; every crawling process reads them through one group."""

    def __init__(self, client: aioredis.Redis, consumer: str) -> None:
        self.client = client
        self.consumer = consumer
        self.stream = key("polls")
        self._group_ready = False

    async def put(self, source: str, next_poll: float | None = None) -> None:
        """Queue a poll; `next_poll` (when the clock will say "due" again) goes to the status."""
        await self._ensure_group()  # before the first entry, or the pollers would never see it
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.xadd(self.stream, {"source": source}, maxlen=MAXLEN, approximate=True)
            if next_poll is not None:
                pipe.hset(key("source", source, "status"), "next_poll", next_poll)
            await pipe.execute()

    async def take(self, block_ms: int = 1000, count: int = 100) -> list[str]:
        """Due sources handed to this consumer, unacknowledged (NOACK): a poll lost with a
        crashed process recurs at the source's next tick."""
        await self._ensure_group()
        reply = await self.client.xreadgroup(GROUP, self.consumer, {self.stream: ">"},
                                             count=count, block=block_ms, noack=True)
        return [fields[b"source"].decode()
                for _stream, entries in reply or [] for _id, fields in entries]

    async def _ensure_group(self) -> None:
        if self._group_ready:
            return
        await ensure_group(self.client, self.stream, GROUP, "$")
        self._group_ready = True
