"""The compact dedup stores (fetched, seen, alerted) against a real redis-server: one contract."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis

from crawler.sources.links import ArticleLink
from crawler.stores.alerted import AlertedStore
from crawler.stores.compact import DAY, DayHashes
from crawler.stores.fetched import RedisFetchedStore
from crawler.stores.link_filter import LinkFilter
from crawler.stores.seen import RedisSeenStore
from tests.conftest import with_client

START = 20_000 * DAY + 3_600  # a fixed instant: day 20000, one in the morning



class Clock:
    """Frozen time that a test moves forward by whole days."""

    def __init__(self) -> None:
        self.now = float(START)

    def __call__(self) -> float:
        return self.now

    def advance(self, days: float) -> None:
        self.now += days * DAY


@dataclass
class Kind:
    """How the contract remembers and asks about one token in one store."""

    prefix: str
    build: Callable[[aioredis.Redis, int, Clock], Any]
    remember: Callable[[Any, str], Awaitable[Any]]
    known: Callable[[Any, str], Awaitable[bool]]


async def _fetched_known(store: RedisFetchedStore, token: str) -> bool:
    return not await store.unfetched([_url(token)])


async def _seen_known(store: RedisSeenStore, token: str) -> bool:
    return not await store.unseen([(_url(token), f"guid-{token}")])


def _url(token: str) -> str:
    return f"https://news.example/{token}.html"


KINDS = {
    "fetched": Kind("rasid:fetched",
                    lambda c, d, k: RedisFetchedStore(c, days=d, clock=k),
                    lambda s, t: s.mark(_url(t), content_hash=b"\x01\x02\x03\x04"),
                    _fetched_known),
    "seen": Kind("rasid:seen",
                 lambda c, d, k: RedisSeenStore(c, days=d, clock=k),
                 lambda s, t: s.mark((_url(t), f"guid-{t}")),
                 _seen_known),
    "alerted": Kind("rasid:alerted",
                    lambda c, d, k: AlertedStore(c, days=d, clock=k),
                    lambda s, t: s.check_and_add(t, "isis"),
                    lambda s, t: s.alerted(t, "isis")),
}


run = with_client


def entries(redis_url: str, prefix: str) -> int:
    """Entries left in a store's bucket hashes (SCAN is fine in a test)."""
    client = redis.Redis.from_url(redis_url)
    return sum(client.hlen(k) for k in client.scan_iter(f"{prefix}:*", count=1000)
               if client.type(k) == b"hash")


@pytest.fixture(params=list(KINDS))
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


def test_remembers_what_was_marked_and_nothing_else(redis_url, kind):
    async def body(client: aioredis.Redis) -> tuple[bool, bool]:
        store = kind.build(client, 30, Clock())
        await kind.remember(store, "a")
        return await kind.known(store, "a"), await kind.known(store, "b")

    assert run(redis_url, body) == (True, False)


def test_forgets_after_its_retention(redis_url, kind):
    clock = Clock()

    async def body(client: aioredis.Redis) -> list[bool]:
        store = kind.build(client, 3, clock)
        await kind.remember(store, "a")
        await kind.remember(store, "b")
        clock.advance(2.9)
        kept = await kind.known(store, "a")
        clock.advance(1)  # b was not asked about (asking may count as a sighting)
        return [kept, await kind.known(store, "b")]

    assert run(redis_url, body) == [True, False]


def test_pruning_deletes_expired_entries_only(redis_url, kind):
    clock = Clock()

    async def body(client: aioredis.Redis) -> list[bool]:
        store = kind.build(client, 2, clock)
        for i in range(40):
            await kind.remember(store, f"old-{i}")
        assert entries(redis_url, kind.prefix) == 40
        clock.advance(5)
        for i in range(10):  # each write also prunes a few buckets
            await kind.remember(store, f"new-{i}")
        await store.prune(1 << 16)  # the rest of a full sweep
        return [await kind.known(store, f"new-{i}") for i in range(10)]

    assert run(redis_url, body) == [True] * 10
    assert entries(redis_url, kind.prefix) == 10


def test_entries_are_short_digests_in_compact_hashes(redis_url, kind):
    async def body(client: aioredis.Redis) -> None:
        store = kind.build(client, 30, Clock())
        for i in range(200):
            await kind.remember(store, f"t{i}")

    run(redis_url, body)
    client = redis.Redis.from_url(redis_url)
    buckets = [k for k in client.scan_iter(f"{kind.prefix}:*") if client.type(k) == b"hash"]
    assert buckets and all(len(k) == len(kind.prefix) + 5 for k in buckets)
    assert {client.object("encoding", k) for k in buckets} == {b"ziplist"}
    fields = [f for k in buckets for f in client.hkeys(k)]
    assert len(fields) == 200 and {len(f) for f in fields} == {6}


def test_fetched_store_canonicalises_and_keeps_order(redis_url):
    async def body(client: aioredis.Redis) -> tuple[list[str], bytes | None, bytes | None]:
        store = RedisFetchedStore(client)
        await store.mark("https://a.example/x?utm_source=rss&id=1", content_hash=b"abcd")
        fresh = await store.unfetched(["https://a.example/y", "https://a.example/x?id=1",
                                       "https://a.example/z", "https://a.example/y"])
        return (fresh, await store.content_hash("https://a.example/x?id=1#top"),
                await store.content_hash("https://a.example/y"))

    assert run(redis_url, body) == (["https://a.example/y", "https://a.example/z"], b"abcd", None)


def test_a_sighting_keeps_a_fetched_url_remembered(redis_url):
    clock = Clock()

    async def body(client: aioredis.Redis) -> list[str]:
        store = RedisFetchedStore(client, days=3, clock=clock)
        await store.mark(_url("a"), _url("b"))
        clock.advance(2)
        await store.unfetched([_url("a")])  # still in the feed two days later
        clock.advance(2)
        return await store.unfetched([_url("a"), _url("b")])

    assert run(redis_url, body) == [_url("b")]


def test_link_filter_fetches_new_urls_and_reissued_feed_items(redis_url):
    links = [ArticleLink(_url("old"), guid="g1"), ArticleLink(_url("old"), guid="g2"),
             ArticleLink(_url("new")), ArticleLink(_url("plain"))]

    async def body(client: aioredis.Redis) -> tuple[list[str], list[str]]:
        filter_ = LinkFilter(RedisFetchedStore(client), RedisSeenStore(client))
        await filter_.fetched.mark(_url("old"), _url("plain"))
        await filter_.seen.mark((_url("old"), "g1"))
        fresh = await filter_.fresh(links)
        await filter_.skip(_url("old"), "g2")
        await filter_.skip(_url("new"))
        return fresh, await filter_.fresh(links)

    assert run(redis_url, body) == ([_url("old"), _url("new")], [])


def test_alerted_snippet_runs_inside_another_script(redis_url):
    """The outbox's way: check, record and XADD in one script; a repeat queues nothing."""
    script = AlertedStore.lua_check_and_add + f"""
if {AlertedStore.lua_call(keys_at=1, args_at=1)} then
  return redis.call('XADD', KEYS[2], '*', 'alert', ARGV[4])
end
return false"""

    async def body(client: aioredis.Redis) -> tuple[list[Any], int, bool]:
        store = AlertedStore(client)
        enqueue = client.register_script(script)
        replies = [await enqueue(keys=[*store.keys_for("s1", "isis"), "rasid:test:stream"],
                                 args=[*store.args_for("s1", "isis"), "{}"]) for _ in range(3)]
        return replies, await client.xlen("rasid:test:stream"), await store.alerted("s1", "isis")

    replies, queued, alerted = run(redis_url, body)
    assert replies[0] and replies[1:] == [None, None]
    assert queued == 1 and alerted


def test_alerted_is_per_topic(redis_url):
    async def body(client: aioredis.Redis) -> list[bool]:
        store = AlertedStore(client)
        return [await store.check_and_add("s1", "isis"), await store.check_and_add("s1", "economy"),
                await store.check_and_add("s2", "isis"), await store.check_and_add("s1", "isis")]

    assert run(redis_url, body) == [True, True, True, False]


def test_bucket_count_is_bounded(redis_url):
    with pytest.raises(ValueError):
        DayHashes(aioredis.from_url(redis_url), "rasid:x", days=30, bits=17)
    with pytest.raises(ValueError):
        DayHashes(aioredis.from_url(redis_url), "rasid:x", days=0)
