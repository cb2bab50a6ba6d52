"""AlertOutbox: one Redis Stream per channel, written in the same step that records the alert."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from crawler.alerts.alert import Alert
from crawler.redis import ensure_group, key, redis_for
from crawler.stores.alerted import AlertedStore

logger = logging.getLogger(__name__)

# One script, so "alerted" and "queued on every channel" can never disagree after a crash.
# KEYS: the alerted record's hash, then one stream per channel.
# ARGV: dedup flag, the record's three arguments, the alert, then one digest per channel.
ENQUEUE = AlertedStore.lua_check_and_add + f"""
if ARGV[1] == '1' and not {AlertedStore.lua_call(keys_at=1, args_at=2)} then
  return 0
end
for i = 2, #KEYS do
  redis.call('XADD', KEYS[i], '*', 'alert', ARGV[5], 'digest', ARGV[i + 4])
end
return #KEYS - 1
"""
GROUP = "deliver"
INSTANT = "instant"


@dataclass
class Entry:
    """One alert waiting for one channel."""

    id: str
    alert: Alert
    digest: str


def stream_key(channel: str) -> str:
    return key("outbox", channel)


class AlertOutbox:
    """Durable per-channel queues: an entry stays pending until its channel accepted it."""

    def __init__(self, client: aioredis.Redis, consumer: str,
                 digests: dict[str, str] | None = None, alerted_days: int = 30) -> None:
        self.client = client
        self.consumer = consumer
        self.digests = digests or {}  # "topic" or "topic/channel" -> digest spec
        self.alerted = AlertedStore(client, alerted_days)
        self.deadletter = key("deadletter")
        self._enqueue = client.register_script(ENQUEUE)
        self._ready: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertOutbox:
        settings = crawler.settings
        return cls(redis_for(crawler), settings.get("RASID_CONSUMER", "rasid"),
                   settings.getdict("RASID_DIGESTS"), settings.getint("RASID_ALERTED_DAYS", 30))

    def digest_for(self, topic: str, channel: str) -> str:
        return self.digests.get(f"{topic}/{channel}") or self.digests.get(topic) \
            or self.digests.get(f"*/{channel}") or INSTANT

    async def enqueue(self, alert: Alert, dedup: bool = True) -> int:
        """Queue the alert on each of its channels unless the story already alerted the topic.

        The number of channel entries written (0: a repeat)."""
        channels = list(dict.fromkeys(alert.channels))
        for channel in channels:
            await self.ensure(channel)
        written = await self._enqueue(
            keys=[*self.alerted.keys_for(alert.story, alert.topic),
                  *(stream_key(c) for c in channels)],
            args=["1" if dedup else "0", *self.alerted.args_for(alert.story, alert.topic),
                  alert.to_json(), *(self.digest_for(alert.topic, c) for c in channels)])
        if written:
            await self.alerted.prune()
        return int(written)

    async def ensure(self, channel: str) -> None:
        if channel not in self._ready:
            await ensure_group(self.client, stream_key(channel), GROUP, "0")
            self._ready.add(channel)

    async def due(self, channel: str, limit: int = 100, reclaim_ms: int = 300_000) -> list[Entry]:
        """This consumer's pending entries, those of consumers idle too long, then new ones."""
        await self.ensure(channel)
        stream = stream_key(channel)
        found: dict[str, Entry] = {}
        for start in ("0", ">"):
            reply = await self.client.xreadgroup(GROUP, self.consumer, {stream: start}, count=limit)
            for _stream, entries in reply or []:
                self._collect(found, entries)
        claimed = await self.client.xautoclaim(stream, GROUP, self.consumer, reclaim_ms,
                                               count=limit)
        self._collect(found, claimed[1])
        return sorted(found.values(), key=lambda e: tuple(map(int, e.id.split("-"))))

    def _collect(self, found: dict[str, Entry], entries: Any) -> None:
        for raw_id, fields in entries:
            entry_id = raw_id.decode() if isinstance(raw_id, bytes) else raw_id
            if not fields:
                continue
            try:
                alert = Alert.from_json(fields[b"alert"])
            except (KeyError, ValueError, TypeError) as exc:
                logger.error("outbox entry %s is unreadable (%s); skipping it", entry_id, exc)
                continue
            found[entry_id] = Entry(entry_id, alert, fields.get(b"digest", b"").decode() or INSTANT)

    async def done(self, channel: str, *entry_ids: str) -> None:
        """The channel accepted these: acknowledge and drop them from its stream."""
        if entry_ids:
            stream = stream_key(channel)
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.xack(stream, GROUP, *entry_ids)
                pipe.xdel(stream, *entry_ids)
                await pipe.execute()

    async def bury(self, channel: str, entry: Entry, error: str) -> None:
        """Move an entry that kept failing to the dead-letter stream."""
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.xadd(self.deadletter, {"channel": channel, "alert": entry.alert.to_json(),
                                        "error": error[:500], "buried": str(time.time())})
            pipe.xack(stream_key(channel), GROUP, entry.id)
            pipe.xdel(stream_key(channel), entry.id)
            await pipe.execute()

    async def buried(self, count: int = 1000) -> list[dict[str, Any]]:
        entries = await self.client.xrange(self.deadletter, count=count)
        return [{"id": i.decode(), **{k.decode(): v.decode() for k, v in f.items()}}
                for i, f in entries]

    async def requeue_buried(self) -> int:
        """Put every dead letter back on its channel's queue; how many."""
        entries = await self.buried()
        for entry in entries:
            await self.ensure(entry["channel"])
            async with self.client.pipeline(transaction=True) as pipe:
                alert = Alert.from_json(entry["alert"])
                alert.created = time.time()  # a fresh start for the dead-letter clock
                pipe.xadd(stream_key(entry["channel"]), {
                    "alert": alert.to_json(),
                    "digest": self.digest_for(alert.topic, entry["channel"])})
                pipe.xdel(self.deadletter, entry["id"])
                await pipe.execute()
        return len(entries)

    async def pending_count(self, channel: str) -> int:
        """Entries not yet accepted by the channel (delivered entries are deleted)."""
        return int(await self.client.xlen(stream_key(channel)))
