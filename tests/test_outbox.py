"""The outbox and per-channel delivery against a real redis-server and real receivers."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

from crawler.alerts.alert import Alert
from crawler.alerts.delivery import DeliveryPolicy
from crawler.alerts.health import Backoff, ChannelHealth
from crawler.alerts.outbox import AlertOutbox
from crawler.alerts.service import DeliveryService


def _alert(topic: str = "isis", story: str = "00112233aabbccdd",
           channels: tuple[str, ...] = ("hook", "archive"), **extra: Any) -> Alert:
    return Alert(topic=topic, keywords=["داعش"], title=f"عنوان {topic} {story}", url="http://x/1",
                 fingerprint=story, channels=list(channels), **extra)


class Harness:
    """An outbox and a delivery service on the test's Redis, with a webhook and a jsonl file."""

    def __init__(self, redis_url: str, webhook: Any, tmp_path: Path, **options: Any) -> None:
        self.redis_url, self.webhook, self.archive = redis_url, webhook, tmp_path / "alerts.jsonl"
        self.options = options

    async def __aenter__(self) -> Harness:
        self.client = aioredis.from_url(self.redis_url)
        self.outbox = AlertOutbox(self.client, "tester", self.options.get("digests"))
        channels = {"hook": {"url": self.webhook.url, "rate": self.options.get("rate")},
                    "archive": {"url": f"jsonl://{self.archive}"}}
        policy = DeliveryPolicy(dead_letter_after=self.options.get("dead_letter_after", 86_400),
                                send_timeout=5, idle_seconds=0.2)
        self.service = DeliveryService.build(self.client, self.outbox, channels, policy,
                                             Backoff(base=0.01, cap=0.01),
                                             self.options.get("down_after", 3))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def cycle(self, *names: str, force: bool = True) -> None:
        for name in names or tuple(self.service.workers):
            await self.service._cycle(self.service.workers[name], force=force)

    def archived(self) -> list[dict[str, Any]]:
        if not self.archive.exists():
            return []
        return [json.loads(line) for line in self.archive.read_text().splitlines()]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_a_story_alerts_once_per_topic(redis_url, webhook, tmp_path):
    async def scenario() -> list[int]:
        async with Harness(redis_url, webhook, tmp_path) as h:
            return [await h.outbox.enqueue(_alert()), await h.outbox.enqueue(_alert()),
                    await h.outbox.enqueue(_alert(topic="other"))]

    assert run(scenario()) == [2, 0, 2]


def test_a_dead_channel_does_not_hold_up_the_other(redis_url, webhook, tmp_path):
    async def scenario() -> tuple[int, int, int]:
        async with Harness(redis_url, webhook, tmp_path) as h:
            for n in range(3):
                await h.outbox.enqueue(_alert(story=f"story-{n}"))
            webhook.status = 500
            await h.cycle()
            archived_while_down = len(h.archived())
            webhook.status = 200
            await asyncio.sleep(0.05)  # past the (tiny) backoff
            await h.cycle("hook", force=False)
            return archived_while_down, len(webhook.received), await h.outbox.pending_count("hook")

    assert run(scenario()) == (3, 3, 0)
    assert len({m["title"] for m in webhook.received}) == 3


def test_backoff_survives_a_restart(redis_url, webhook, tmp_path):
    async def scenario() -> float:
        client = aioredis.from_url(redis_url)
        await ChannelHealth(client, "hook", Backoff(60, 60)).failed("boom")
        again = await ChannelHealth(client, "hook", Backoff(60, 60)).wait_seconds()
        await client.aclose()
        return again

    assert 25 < run(scenario()) <= 60


def test_alerts_failing_too_long_go_to_dead_letters_and_can_be_requeued(redis_url, webhook,
                                                                        tmp_path):
    async def scenario() -> tuple[int, int, int]:
        async with Harness(redis_url, webhook, tmp_path, dead_letter_after=0) as h:
            await h.outbox.enqueue(_alert(channels=("hook",), created=time.time() - 10))
            webhook.status = 500
            await h.cycle("hook")  # fails: the channel is now failing
            await h.cycle("hook")  # older than the limit while failing: buried
            buried = len(await h.outbox.buried())
            webhook.status = 200
            requeued = await h.outbox.requeue_buried()
            h.service.policy.dead_letter_after = 86_400
            await h.cycle("hook")
            return buried, requeued, len(webhook.received)

    assert run(scenario()) == (1, 1, 1)


def test_a_channel_down_then_up_sends_one_notice_each_way(redis_url, webhook, tmp_path):
    async def scenario() -> list[str]:
        async with Harness(redis_url, webhook, tmp_path, down_after=2) as h:
            await h.outbox.enqueue(_alert(channels=("hook",)))
            webhook.status = 500
            for _ in range(4):
                await h.cycle("hook")
            webhook.status = 200
            await h.cycle("hook")
            await h.cycle("archive")
            return [a["title"] for a in h.archived()]

    titles = run(scenario())
    assert titles == ["Rasid: channel hook is down", "Rasid: channel hook is back"]
    assert len(webhook.received) == 1


def test_a_rate_limit_queues_rather_than_drops(redis_url, webhook, tmp_path):
    async def scenario() -> tuple[int, int]:
        async with Harness(redis_url, webhook, tmp_path, rate="2/hour") as h:
            for n in range(5):
                await h.outbox.enqueue(_alert(story=f"s{n}", channels=("hook",)))
            await h.cycle("hook")
            await h.cycle("hook")
            return len(webhook.received), await h.outbox.pending_count("hook")

    assert run(scenario()) == (2, 3)


def test_a_digest_groups_by_topic_and_story_and_waits_for_its_time(redis_url, webhook, tmp_path):
    async def scenario() -> tuple[int, int, int]:
        digests = {"*/hook": "15m"}
        async with Harness(redis_url, webhook, tmp_path, digests=digests) as h:
            old = time.time() - 3600
            await h.outbox.enqueue(_alert("isis", "a1", ("hook",), created=old))
            await h.outbox.enqueue(_alert("isis", "a2", ("hook",), created=old))
            await h.outbox.enqueue(_alert("economy", "b1", ("hook",), created=old))
            await h.outbox.enqueue(_alert("economy", "b2", ("hook",)))  # this period: not yet
            await h.cycle("hook")
            first = len(webhook.received)
            await h.cycle("hook")  # nothing else due: no empty digest
            return first, len(webhook.received), await h.outbox.pending_count("hook")

    assert run(scenario()) == (1, 1, 1)
    body = webhook.received[0]["message"]
    assert "isis (2)" in body and "economy (1)" in body
    assert "عنوان isis a1" in body and "عنوان economy b2" not in body


def test_entries_of_a_dead_consumer_are_reclaimed(redis_url, webhook, tmp_path):
    async def scenario() -> int:
        async with Harness(redis_url, webhook, tmp_path) as h:
            await h.outbox.enqueue(_alert(channels=("hook",)))
            dead = AlertOutbox(h.client, "dead")
            assert len(await dead.due("hook")) == 1  # taken, never acknowledged
            h.service.policy.reclaim_ms = 0
            await h.cycle("hook")
            return len(webhook.received)

    assert run(scenario()) == 1


def test_arabic_bodies_arrive_byte_for_byte(redis_url, webhook, tmp_path):
    title = "عاجلٌ: «داعش» يتبنّى هجوماً في دير الزور — تفاصيل"
    teaser = "قالت مصادر محلّية إنّ الهجوم وقع فجراً؛ ولم تُعلن حصيلة نهائية بعد."

    async def scenario() -> None:
        async with Harness(redis_url, webhook, tmp_path) as h:
            alert = _alert(channels=("hook",), teaser=teaser)
            alert.title = title
            await h.outbox.enqueue(alert)
            await h.cycle("hook")

    run(scenario())
    (message,) = webhook.received
    assert message["title"] == title
    assert teaser in message["message"]

