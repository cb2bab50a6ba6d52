"""StoryStore: which story an article tells, across sites, and every site that reported it."""
from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import redis.asyncio as aioredis

from crawler.redis import key, redis_for
from crawler.stores.compact import DAY, LUA_DAYS, DayHashes
from crawler.stores.fetched import url_digest
from crawler.stores.signature import NUM_PERM, Signature

SAME_STORY = 0.4  # estimated Jaccard similarity of body word-trigram sets (see bench/dedup.py)
MAX_REPORTS = 50

# KEYS: the URL's bucket, then one bucket per LSH band. ARGV: cutoff, today, URL field,
# new story id, packed signature, shingle count, report JSON, story key prefix, TTL seconds,
# max reports, equal values needed, then one field per band. One script, so two processes
# reading two copies of a story at once still agree on a single story.
ASSIGN = LUA_DAYS + """
local cutoff, today = tonumber(ARGV[1]), tonumber(ARGV[2])
local sig, report, prefix = ARGV[5], ARGV[7], ARGV[8]
local ttl, max_reports, need = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
local function live(v) return v and rasid_day(v) >= cutoff end
local function hex(s)
  return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end))
end
local function first_of(sid) return redis.call('HGET', prefix .. hex(sid), 'first') end
local function equal_values(other)
  local n = 0
  for j = 1, #sig, 2 do
    if string.sub(sig, j, j + 1) == string.sub(other, j, j + 1) then n = n + 1 end
  end
  return n
end
local stamp = rasid_stamp(today)

local known = redis.call('HGET', KEYS[1], ARGV[3])
if live(known) then
  local sid = string.sub(known, 3)
  local first = first_of(sid)
  if first then return {sid, 'known', first} end
end

local best, best_equal, tried = nil, need - 1, {}
for i = 2, #KEYS do
  local entry = redis.call('HGET', KEYS[i], ARGV[10 + i])
  if live(entry) then
    local sid = string.sub(entry, 3)
    if not tried[sid] then
      tried[sid] = true
      local other = redis.call('HGET', prefix .. hex(sid), 'sig')
      if other and #other == #sig then
        local n = equal_values(other)
        if n > best_equal then best, best_equal = sid, n end
      end
    end
  end
end
if best then
  local reports = prefix .. hex(best) .. ':reports'
  if redis.call('LLEN', reports) < max_reports then redis.call('RPUSH', reports, report) end
  redis.call('HSET', KEYS[1], ARGV[3], stamp .. best)
  return {best, 'duplicate', first_of(best)}
end

local sid = ARGV[4]
local story = prefix .. hex(sid)
redis.call('DEL', story, story .. ':reports')
redis.call('HSET', story, 'sig', sig, 'size', ARGV[6], 'first', report)
redis.call('RPUSH', story .. ':reports', report)
redis.call('EXPIRE', story, ttl)
redis.call('EXPIRE', story .. ':reports', ttl)
for i = 2, #KEYS do
  if not live(redis.call('HGET', KEYS[i], ARGV[10 + i])) then
    redis.call('HSET', KEYS[i], ARGV[10 + i], stamp .. sid)
  end
end
redis.call('HSET', KEYS[1], ARGV[3], stamp .. sid)
return {sid, 'new', report}
"""


@dataclass
class Report:
    """One site's report of a story."""

    source: str
    site: str | None
    url: str | None
    time: str

    @classmethod
    def now(cls, source: str, site: str | None, url: str | None, clock: float) -> Report:
        return cls(source, site, url, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(clock)))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Report:
        data = json.loads(raw)
        return cls(**{k: data.get(k) for k in ("source", "site", "url", "time")})


@dataclass
class StoryDecision:
    """The story an article belongs to: `new` (first report), `duplicate` or `known` (its URL)."""

    story_id: str
    status: str
    first: Report


class StoryStore:
    """Stories by MinHash LSH over article bodies (retention RASID_ALERTED_DAYS)."""

    # Layout: `rasid:story:band:<bucket>` (band digest -> day + story id),
    # `rasid:story:url:<bucket>` (URL -> day + story id), `rasid:story:<id>` (signature, size,
    # first report) and `rasid:story:<id>:reports` (the first MAX_REPORTS reports, JSON).
    # A story id is the URL fingerprint of its first report. The ASSIGN script reads the
    # candidate stories' keys it finds in the bands: fine on one Redis, not on Redis Cluster.

    def __init__(self, client: aioredis.Redis, days: int = 30,
                 clock: Callable[[], float] = time.time, prefix: str = key("story"),
                 threshold: float = SAME_STORY, max_reports: int = MAX_REPORTS) -> None:
        self.client = client
        self.days = days
        self.clock = clock
        self.prefix = prefix
        self.need = math.ceil(threshold * NUM_PERM)
        self.max_reports = max_reports
        self.bands = DayHashes(client, f"{prefix}:band", days, bits=16, clock=clock)
        self.urls = DayHashes(client, f"{prefix}:url", days, bits=12, clock=clock)
        self._assign = client.register_script(ASSIGN)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StoryStore:
        return cls(redis_for(crawler), crawler.settings.getint("RASID_ALERTED_DAYS", 30))

    async def assign(self, url: str, signature: Signature | None, source: str,
                     site: str | None = None) -> StoryDecision:
        """Record this report and say which story it tells (one atomic step in Redis)."""
        own = url_digest(url)
        url_bucket, url_field = self.urls.locate(own)
        bands = [self.bands.locate(band) for band in signature.bands()] if signature else []
        report = Report.now(source, site, url, self.clock())
        reply = await self._assign(
            keys=[url_bucket, *(bucket for bucket, _ in bands)],
            args=[self.urls.cutoff(), self.urls.today(), url_field, own,
                  signature.packed() if signature else b"", signature.size if signature else 0,
                  report.to_json(), f"{self.prefix}:", self.days * DAY, self.max_reports,
                  self.need, *(field for _, field in bands)])
        story, status, first = reply
        await self.bands.prune()
        await self.urls.prune()
        return StoryDecision(story.hex(), status.decode(), Report.from_json(first))

    async def reports(self, story_id: str) -> list[Report]:
        """Every recorded report of the story, first one first ([] once forgotten)."""
        raw = await self.client.lrange(f"{self.prefix}:{story_id}:reports", 0, -1)
        return [Report.from_json(r) for r in raw]

    async def prune(self, buckets: int | None = None) -> int:
        return await self.bands.prune(buckets) + await self.urls.prune(buckets)
