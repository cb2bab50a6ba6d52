"""`rasid status`: sources and channels as a running daemon left them in Redis."""
from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from rich.console import Console
from rich.table import Table

from crawler.alerts.outbox import stream_key
from crawler.redis import key
from crawler.stores.recent import RecentArticles
from crawler.stores.stories import StoryStore
from scheduler.config import Config
from scheduler.redis_server import redis_url_for

HOUR = 3600


def _text(raw: dict[bytes, bytes]) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in raw.items()}


async def _source(client: aioredis.Redis, name: str) -> dict[str, Any]:
    status = _text(await client.hgetall(key("source", name, "status")))
    hours = _text(await client.hgetall(key("source", name, "new")))
    since = int(time.time() // HOUR) - 24
    return {
        "source": name, "last_poll": _float(status.get("last_poll")),
        "result": status.get("result"), "next_poll": _float(status.get("next_poll")),
        "new_24h": sum(int(n) for h, n in hours.items() if int(h) >= since),
        "failures_in_a_row": int(status.get("failures") or 0),
        "last_error": status.get("last_error") or None,
        "down": "down_since" in status, "silent": "silent_since" in status,
    }


async def _channel(client: aioredis.Redis, name: str) -> dict[str, Any]:
    health = _text(await client.hgetall(key("channel", name, "health")))
    return {"channel": name, "sent": int(health.get("sent") or 0),
            "failed": int(health.get("failed") or 0),
            "pending": int(await client.xlen(stream_key(name))),
            "failing": "failures" in health, "last_error": health.get("last_error") or None}


def _float(value: str | None) -> float | None:
    return float(value) if value else None


async def _stories(client: aioredis.Redis, count: int = 20) -> list[dict[str, Any]]:
    """The latest matched stories, with every site that reported each."""
    stories = StoryStore(client)
    found = []
    for article in await RecentArticles(client).latest(None, count):
        reports = await stories.reports(article.get("fingerprint") or "")
        found.append({"title": article.get("title"), "url": article.get("url"),
                      "topics": article.get("topics", []),
                      "also_reported_by": [{"site": r.site, "url": r.url, "source": r.source}
                                           for r in reports[1:]]})
    return found


async def collect(url: str, config: Config) -> dict[str, Any]:
    client = aioredis.from_url(url)
    try:
        return {"sources": [await _source(client, n) for n in config.source_names],
                "channels": [await _channel(client, n) for n in config.channels],
                "stories": await _stories(client)}
    finally:
        await client.aclose()


def _when(stamp: float | None) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S") if stamp else "—"


def print_tables(state: dict[str, Any], console: Console) -> None:
    sources = Table(title="Sources")
    for column in ("source", "last poll", "result", "next poll", "new 24h", "failures",
                   "last error"):
        sources.add_column(column)
    for s in state["sources"]:
        result = s["result"] or "never polled"
        result += " (down)" if s["down"] else " (silent)" if s["silent"] else ""
        sources.add_row(s["source"], _when(s["last_poll"]), result, _when(s["next_poll"]),
                        str(s["new_24h"]), str(s["failures_in_a_row"]), s["last_error"] or "")
    channels = Table(title="Channels")
    for column in ("channel", "sent", "pending", "failed", "state"):
        channels.add_column(column)
    for c in state["channels"]:
        channels.add_row(c["channel"], str(c["sent"]), str(c["pending"]), str(c["failed"]),
                         f"failing: {c['last_error']}" if c["failing"] else "ok")
    stories = Table(title="Latest stories")
    for column in ("story", "topics", "also reported by"):
        stories.add_column(column)
    for story in state["stories"]:
        also = ", ".join(r["site"] or r["source"] for r in story["also_reported_by"])
        stories.add_row(story["title"] or story["url"], ", ".join(story["topics"]), also)
    console.print(sources)
    console.print(channels)
    console.print(stories)


def status_command(config: Config, as_json: bool) -> int:
    with redis_url_for(config.redis_url, config.data_dir) as url:
        state = asyncio.run(collect(url, config))
    if as_json:
        print(json.dumps(state, ensure_ascii=False, indent=2))
    else:
        print_tables(state, Console())
    return 0
