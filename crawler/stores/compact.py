"""DayHashes: bucketed Redis hashes of short binary digests, each stamped with the day it was written."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence

import redis.asyncio as aioredis

DAY = 86_400
DIGEST_BYTES = 8
FIELD_BYTES = 6
PUT_BATCH = 2_000  # entries per script call: Redis stays responsive to other clients

# Values start with the day number, two bytes big-endian (days since 1970: good until 2149).
LUA_DAYS = """
local function rasid_day(v) return string.byte(v, 1) * 256 + string.byte(v, 2) end
local function rasid_stamp(d) return string.char(math.floor(d / 256), d % 256) end
"""
# KEYS: buckets; ARGV: cutoff day, today or 0 (no refresh), then one field per key.
# The payload of each live entry (false when absent or expired); a refresh restamps old hits.
GET = LUA_DAYS + """
local cutoff, today = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('HGET', key, ARGV[i + 2])
  if v and rasid_day(v) >= cutoff then
    out[i] = string.sub(v, 3)
    if today > 0 and rasid_day(v) < today then
      redis.call('HSET', key, ARGV[i + 2], rasid_stamp(today) .. out[i])
    end
  else
    out[i] = false
  end
end
return out
"""
# KEYS: buckets; ARGV: today, then per key its 6-byte field followed by the payload. Overwrites.
PUT = LUA_DAYS + """
local stamp = rasid_stamp(tonumber(ARGV[1]))
for i, key in ipairs(KEYS) do
  local entry = ARGV[i + 1]
  redis.call('HSET', key, string.sub(entry, 1, 6), stamp .. string.sub(entry, 7))
end
return #KEYS
"""
# KEYS: buckets; ARGV: cutoff day. Deletes expired entries; each bucket holds ~100 at most.
PRUNE = LUA_DAYS + """
local cutoff, removed = tonumber(ARGV[1]), 0
for _, key in ipairs(KEYS) do
  local flat = redis.call('HGETALL', key)
  for i = 1, #flat, 2 do
    if rasid_day(flat[i + 1]) < cutoff then
      redis.call('HDEL', key, flat[i])
      removed = removed + 1
    end
  end
end
return removed
"""


def digest(token: str | bytes) -> bytes:
    """An 8-byte digest of a token (blake2b)."""
    data = token.encode("utf-8") if isinstance(token, str) else token
    return hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest()


class DayHashes:
    """`prefix:<bucket>` hashes: field = 6 bytes of a digest, value = 2-byte day + payload."""

    # Small hashes stay in Redis's ziplist encoding (<= 128 entries, the default
    # hash-max-ziplist-entries): an entry costs ~20 bytes instead of ~90 in a plain SET.
    # Entries older than `days` read as absent at once; `prune` deletes them a few buckets at a
    # time (a shared cursor in Redis), so nothing ever scans the keyspace.

    def __init__(self, client: aioredis.Redis, prefix: str, days: int, bits: int = 16,
                 clock: Callable[[], float] = time.time, prune_step: int = 8) -> None:
        if not 1 <= bits <= 16:
            raise ValueError("bits must be between 1 and 16")
        if days < 1:
            raise ValueError("days must be at least 1")
        self.client = client
        self.prefix = prefix
        self.days = days
        self.bits = bits
        self.clock = clock
        self.prune_step = prune_step
        self._get = client.register_script(GET)
        self._put = client.register_script(PUT)
        self._prune = client.register_script(PRUNE)

    @property
    def buckets(self) -> int:
        return 1 << self.bits

    def today(self) -> int:
        return int(self.clock() // DAY)

    def cutoff(self) -> int:
        """The oldest day still remembered."""
        return self.today() - self.days + 1

    def bucket_key(self, bucket: int) -> str:
        return f"{self.prefix}:{bucket:04x}"

    def locate(self, key: bytes) -> tuple[str, bytes]:
        """The bucket key and field of an 8-byte digest."""
        bucket = int.from_bytes(key[:2], "big") >> (16 - self.bits)
        return self.bucket_key(bucket), key[DIGEST_BYTES - FIELD_BYTES:]

    async def get(self, keys: Sequence[bytes], refresh: bool = False) -> list[bytes | None]:
        """The payload of each digest still remembered (None when not), in order."""
        if not keys:
            return []
        places = [self.locate(k) for k in keys]
        reply = await self._get(keys=[p[0] for p in places],
                                args=[self.cutoff(), self.today() if refresh else 0,
                                      *(p[1] for p in places)])
        return [value if isinstance(value, bytes) else None for value in reply]

    async def put(self, entries: dict[bytes, bytes]) -> None:
        """Remember digests with their payloads as of today (overwriting), then prune a little."""
        items = list(entries.items())
        for start in range(0, len(items), PUT_BATCH):
            keys: list[str] = []
            args: list[int | bytes] = [self.today()]
            for key, payload in items[start:start + PUT_BATCH]:
                bucket, field = self.locate(key)
                keys.append(bucket)
                args.append(field + payload)
            await self._put(keys=keys, args=args)
        if items:
            await self.prune(self.prune_step)

    async def prune(self, buckets: int | None = None) -> int:
        """Delete expired entries from the next `buckets` buckets; the number deleted."""
        count = min(buckets or self.prune_step, self.buckets)
        if count <= 0:
            return 0
        end = await self.client.incrby(f"{self.prefix}:sweep", count)
        keys = [self.bucket_key((end - count + i) % self.buckets) for i in range(count)]
        return int(await self._prune(keys=keys, args=[self.cutoff()]))
