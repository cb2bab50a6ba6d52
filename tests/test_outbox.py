"""AlertOutbox and AlertDeliverer against a real redis-server and real channels."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import redis.asyncio as aioredis

from crawler.alerts.alert import Alert
from crawler.alerts.channels import build_channels
from crawler.alerts.delivery import AlertDeliverer
from crawler.alerts.outbox import AlertOutbox


def _alert(topic: str = "isis", fingerprint: str = "00112233aabbccdd",
           channels: tuple[str, ...] = ("hook", "archive")) -> Alert:
    return Alert(topic=topic, keywords=["داعش"], title="عنوان", url="http://x/1",
                 fingerprint=fingerprint, channels=list(channels))


def _run(coro):
    return asyncio.run(coro)


def test_a_story_alerts_once_per_topic(redis_url):
    async def scenario() -> list[object]:
        client = aioredis.from_url(redis_url)
        outbox = AlertOutbox(client, "c1")
        results = [await outbox.enqueue(_alert()), await outbox.enqueue(_alert()),
                   await outbox.enqueue(_alert(topic="other"))]
        results.append(len(await outbox.pending()))
        await client.aclose()
        return results

    first, again, other_topic, pending = _run(scenario())
    assert first and other_topic and again is None
    assert pending == 2


def test_a_retry_sends_only_to_channels_that_failed(redis_url, webhook, tmp_path):
    archive = tmp_path / "alerts.jsonl"

    async def cycle() -> tuple[int, int, int]:
        client = aioredis.from_url(redis_url)
        outbox = AlertOutbox(client, "c1")
        deliverer = AlertDeliverer(outbox, build_channels(
            {"hook": webhook.url, "archive": f"jsonl://{archive}"}), send_timeout=5)
        await outbox.enqueue(_alert())
        report = await deliverer.deliver_pending()
        await client.aclose()
        return report.sent, report.failed, report.completed

    webhook.status = 500
    assert _run(cycle()) == (1, 1, 0)  # the archive got it, the hook did not
    webhook.status = 200
    assert _run(cycle()) == (1, 0, 1)  # only the hook is retried
    assert len(webhook.received) == 1
    assert [json.loads(line)["topic"] for line in archive.read_text().splitlines()] == ["isis"]


def test_entries_of_a_dead_consumer_are_reclaimed(redis_url, tmp_path, monkeypatch):
    monkeypatch.setattr("crawler.alerts.outbox.RECLAIM_IDLE_MS", 0)

    async def scenario() -> tuple[int, int]:
        client = aioredis.from_url(redis_url)
        dead = AlertOutbox(client, "dead")
        await dead.enqueue(_alert())
        taken_by_dead = len(await dead.pending())
        alive = AlertOutbox(client, "alive")
        reclaimed = len(await alive.pending())
        await client.aclose()
        return taken_by_dead, reclaimed

    assert _run(scenario()) == (1, 1)


def test_jsonl_channel_path_is_resolved_and_written(tmp_path, monkeypatch, redis_url):
    monkeypatch.chdir(tmp_path)
    channels = build_channels({"archive": "jsonl://out/alerts.jsonl"})
    assert _run(channels["archive"].send("t", '{"a": 1}'))
    assert Path(tmp_path / "out" / "alerts.jsonl").read_text() == '{"a": 1}\n'
