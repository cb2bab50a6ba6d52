"""AlertOutbox: a Redis Stream of alerts, written in the same step that records them as alerted."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import redis.asyncio as aioredis

from crawler.alerts.alert import Alert
from crawler.redis import ensure_group, key, redis_for

logger = logging.getLogger(__name__)

# One script, so "alerted" and "queued" can never disagree after a crash.
ENQUEUE = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  return redis.call('XADD', KEYS[2], '*', 'alert', ARGV[2])
end
return false
"""
GROUP = "deliver"
RECLAIM_IDLE_MS = 300_000


class AlertOutbox:
    """Durable alert queue: entries stay pending until every channel has accepted them."""

    def __init__(self, client: aioredis.Redis, consumer: str) -> None:
        self.client = client
        self.consumer = consumer
        self.stream = key("outbox")
        self.alerted = key("alerted")
        self._enqueue = client.register_script(ENQUEUE)
        self._group_ready = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertOutbox:
        return cls(redis_for(crawler), crawler.settings.get("RASID_CONSUMER", "rasid"))

    async def enqueue(self, alert: Alert) -> str | None:
        """Queue the alert unless this story already alerted for this topic; the entry id or None."""
        await self._ensure_group()
        entry = await self._enqueue(keys=[self.alerted, self.stream],
                                    args=[alert.dedup_key, alert.to_json()])
        return entry.decode() if entry else None

    async def _ensure_group(self) -> None:
        if self._group_ready:
            return
        # from id 0: entries written before the group existed are delivered too
        await ensure_group(self.client, self.stream, GROUP, "0")
        self._group_ready = True

    async def pending(self, limit: int = 500) -> list[tuple[str, Alert]]:
        """Entries this consumer must deliver: its own retries, stale ones of dead consumers, new."""
        await self._ensure_group()
        found: dict[str, Alert] = {}
        for start in ("0", ">"):
            reply = await self.client.xreadgroup(GROUP, self.consumer, {self.stream: start},
                                                 count=limit)
            for _stream, entries in reply or []:
                self._collect(found, entries)
        claimed = await self.client.xautoclaim(self.stream, GROUP, self.consumer,
                                               RECLAIM_IDLE_MS, count=limit)
        self._collect(found, claimed[1])
        return list(found.items())

    def _collect(self, found: dict[str, Alert], entries: Iterable[Any]) -> None:
        for entry_id, fields in entries:
            entry_id = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
            if not fields:  # trimmed from the stream while pending
                continue
            try:
                found[entry_id] = Alert.from_json(fields[b"alert"])
            except (KeyError, ValueError, TypeError) as exc:
                logger.error("outbox entry %s is unreadable (%s); dropping it", entry_id, exc)

    def _sent_key(self, entry_id: str) -> str:
        return key("outbox", "sent", entry_id)

    async def sent_channels(self, entry_id: str) -> set[str]:
        return {c.decode() for c in await self.client.smembers(self._sent_key(entry_id))}

    async def mark_sent(self, entry_id: str, channel: str) -> None:
        await self.client.sadd(self._sent_key(entry_id), channel)

    async def done(self, entry_id: str) -> None:
        """Every channel accepted the alert: acknowledge it and forget its per-channel record."""
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.xack(self.stream, GROUP, entry_id)
            pipe.delete(self._sent_key(entry_id))
            await pipe.execute()

    async def pending_count(self) -> int:
        await self._ensure_group()
        info = await self.client.xpending(self.stream, GROUP)
        lag = 0
        for group in await self.client.xinfo_groups(self.stream):
            if group.get("name") in (GROUP, GROUP.encode()):
                lag = group.get("lag") or 0
        return int(info["pending"]) + int(lag)
