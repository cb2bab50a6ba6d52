"""ChannelHealth: each channel's failures, backoff and down/up state, kept in Redis."""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass

import redis.asyncio as aioredis

from crawler.redis import key

# Fixed-window rate limit: count in this window, refuse past the limit.
TAKE_TOKEN = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return 0 end
return 1
"""
RATE_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
              "h": 3600, "hour": 3600}


@dataclass
class Backoff:
    """Exponential backoff with jitter: base * 2^(failures-1), capped, times 0.5..1."""

    base: float = 30.0
    cap: float = 3600.0

    def delay(self, failures: int) -> float:
        raw = min(self.cap, self.base * 2 ** max(0, failures - 1))
        return raw * random.uniform(0.5, 1.0)


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """'20/min' -> (20, 60): at most 20 sends per 60-second window."""
    if not rate:
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\w+)", rate.strip())
    if not match or match.group(2) not in RATE_UNITS:
        raise ValueError(f"bad rate {rate!r}")
    return int(match.group(1)), RATE_UNITS[match.group(2)]


class ChannelHealth:
    """Survives restarts: a failing channel keeps its backoff and its "down" flag."""

    def __init__(self, client: aioredis.Redis, channel: str, backoff: Backoff,
                 down_after: int = 3, rate: str | None = None) -> None:
        self.client = client
        self.channel = channel
        self.backoff = backoff
        self.down_after = down_after
        self.rate = parse_rate(rate)
        self.key = key("channel", channel, "health")
        self._take = client.register_script(TAKE_TOKEN)

    async def wait_seconds(self) -> float:
        """How long until the channel may be tried again (0: now)."""
        next_at = await self.client.hget(self.key, "next_at")
        return max(0.0, float(next_at or 0) - time.time())

    async def take_token(self) -> bool:
        """False when the channel's rate limit is used up for this window (the alert waits)."""
        if self.rate is None:
            return True
        limit, window = self.rate
        bucket = int(time.time() // window)
        return bool(await self._take(keys=[key("channel", self.channel, "rate", str(bucket))],
                                     args=[limit, window * 2]))

    async def rate_wait(self) -> float:
        if self.rate is None:
            return 0.0
        window = self.rate[1]
        return window - time.time() % window

    async def failed(self, error: str) -> bool:
        """Record a failure; True when this failure makes the channel "down" (notify once)."""
        failures = int(await self.client.hincrby(self.key, "failures", 1))
        await self.client.hset(self.key, mapping={
            "next_at": time.time() + self.backoff.delay(failures), "last_error": error[:300],
            "last_failure": time.time()})
        if failures >= self.down_after:
            return bool(await self.client.hsetnx(self.key, "down_since", time.time()))
        return False

    async def succeeded(self) -> bool:
        """Record a success; True when the channel was down (send one "recovered" notice)."""
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hget(self.key, "down_since")
            pipe.hdel(self.key, "failures", "next_at", "down_since")
            pipe.hset(self.key, "last_ok", time.time())
            was_down, *_ = await pipe.execute()
        return was_down is not None

    async def count(self, result: str, n: int) -> None:
        """Lifetime totals per channel (sent, failed), for `rasid status`."""
        await self.client.hincrby(self.key, result, n)

    async def snapshot(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in (await self.client.hgetall(self.key)).items()}
