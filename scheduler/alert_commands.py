"""`rasid test-alert` and `rasid alerts`: try the channels, look into the outbox."""
from __future__ import annotations

import asyncio
import json
import logging
import sys

import apprise
import redis.asyncio as aioredis

from crawler.alerts.alert import Alert
from crawler.alerts.channels import build_channel
from crawler.alerts.health import Backoff, ChannelHealth
from crawler.alerts.outbox import AlertOutbox
from crawler.alerts.render import Renderer
from scheduler.config import Config
from scheduler.crawl_settings import consumer_name
from scheduler.redis_server import redis_url_for

SAMPLE = Alert(
    topic="test", keywords=["داعش"], fingerprint="0000000000000000", channels=[],
    title="رسالة تجريبية من راصد: هذا ما سيصلك عند ظهور خبر جديد",
    teaser="هذه رسالة اختبار. عندما يطابق خبر أحد مواضيعك تصلك رسالة مثلها.",
    url="https://example.com/rasid-test", site="example.com", lang="ar",
    snippets=[{"keyword": "داعش", "form": "داعش", "field": "body",
               "snippet": "نص يذكر داعش كما يظهر في الخبر"}])


async def _try_channel(name: str, url: str, template: str | None) -> str | None:
    """None when the channel accepted the sample, else the error Apprise reported."""
    try:
        channel = build_channel(name, url)
        message = Renderer(channel.scheme, template).alert(SAMPLE)
    except Exception as exc:  # noqa: BLE001 - report any setup error for this channel
        return str(exc)
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        ok = await channel.send(message)
    return None if ok else (log.getvalue().strip().splitlines() or ["not accepted"])[-1]


def test_alert_command(config: Config, names: list[str]) -> int:
    unknown = [n for n in names if n not in config.channels]
    if unknown:
        print(f"unknown channel(s): {', '.join(unknown)} "
              f"(channels: {', '.join(config.channels)})", file=sys.stderr)
        return 2
    failed = 0
    for name in names or list(config.channels):
        spec = config.channels[name]
        error = asyncio.run(_try_channel(name, spec.url, spec.template))
        print(f"{name}: {'ok' if error is None else 'FAILED: ' + error}")
        failed += error is not None
    return 1 if failed else 0


async def _alerts(url: str, config: Config, failed: bool, retry: bool) -> int:
    client = aioredis.from_url(url)
    outbox = AlertOutbox(client, consumer_name())
    try:
        if retry:
            print(f"requeued {await outbox.requeue_buried()} dead letters")
        elif failed:
            for entry in await outbox.buried():
                alert = json.loads(entry["alert"])
                print(f"{entry['id']}  {entry['channel']}  {alert['topic']}  {alert['title']}\n"
                      f"    error: {entry['error']}")
        else:
            for name in config.channels:
                health = await ChannelHealth(client, name, Backoff()).snapshot()
                state = "failing: " + health["last_error"] if "failures" in health else "ok"
                print(f"{name}: {await outbox.pending_count(name)} pending, {state}")
            print(f"dead letters: {len(await outbox.buried())}")
    finally:
        await client.aclose()
    return 0


def alerts_command(config: Config, failed: bool, retry: bool) -> int:
    with redis_url_for(config.redis_url, config.data_dir) as url:
        return asyncio.run(_alerts(url, config, failed, retry))
