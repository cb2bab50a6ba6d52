"""AlertedStore: story x topic pairs that have alerted, so a story alerts once per topic."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key, redis_for
from crawler.stores.compact import LUA_DAYS, DayHashes, digest


class AlertedStore:
    """`rasid:alerted:<bucket>` hashes (retention RASID_ALERTED_DAYS), checked in one Lua step."""

    # The outbox runs `lua_check_and_add` inside its own enqueue script, so "alerted" and
    # "queued" are written together or not at all (tests/test_stores.py does exactly this):
    #
    #     script = AlertedStore.lua_check_and_add + f"""
    #     if {AlertedStore.lua_call(keys_at=1, args_at=1)} then
    #       return redis.call('XADD', KEYS[2], '*', 'alert', ARGV[4])
    #     end
    #     return false"""
    #     await client.eval(script, 2, *store.keys_for(story, topic), stream,
    #                       *store.args_for(story, topic), alert_json)

    lua_check_and_add = LUA_DAYS + """
local function rasid_alerted_add(key, field, cutoff, today)
  local v = redis.call('HGET', key, field)
  if v and rasid_day(v) >= cutoff then return false end
  redis.call('HSET', key, field, rasid_stamp(today))
  return true
end
"""

    def __init__(self, client: aioredis.Redis, days: int = 30,
                 clock: Callable[[], float] = time.time, prefix: str = key("alerted")) -> None:
        self.hashes = DayHashes(client, prefix, days, bits=12, clock=clock)
        self._check_and_add = client.register_script(
            self.lua_check_and_add + f"return {self.lua_call(1, 1)} and 1 or 0")

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertedStore:
        return cls(redis_for(crawler), crawler.settings.getint("RASID_ALERTED_DAYS", 30))

    @staticmethod
    def lua_call(keys_at: int, args_at: int) -> str:
        """The Lua expression that checks and records, its key at KEYS[keys_at] and 3 ARGVs."""
        a = args_at
        return (f"rasid_alerted_add(KEYS[{keys_at}], ARGV[{a}], tonumber(ARGV[{a + 1}]), "
                f"tonumber(ARGV[{a + 2}]))")

    def _place(self, story: str, topic: str) -> tuple[str, bytes]:
        return self.hashes.locate(digest(f"{topic}\0{story}"))

    def keys_for(self, story: str, topic: str) -> list[str]:
        """The one key the check needs (for the script's KEYS)."""
        return [self._place(story, topic)[0]]

    def args_for(self, story: str, topic: str) -> list[bytes | int]:
        """Its three arguments (for the script's ARGV): field, oldest live day, today."""
        return [self._place(story, topic)[1], self.hashes.cutoff(), self.hashes.today()]

    async def check_and_add(self, story: str, topic: str) -> bool:
        """Record that the story alerted for the topic; False when it already had."""
        added = await self._check_and_add(keys=self.keys_for(story, topic),
                                          args=self.args_for(story, topic))
        await self.hashes.prune()
        return bool(added)

    async def alerted(self, story: str, topic: str) -> bool:
        [found] = await self.hashes.get([digest(f"{topic}\0{story}")])
        return found is not None

    async def prune(self, buckets: int | None = None) -> int:
        return await self.hashes.prune(buckets)
