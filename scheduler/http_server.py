"""The daemon's HTTP server: /healthz, /metrics and Atom feeds (127.0.0.1 only by default)."""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence

import redis.asyncio as aioredis
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from crawler import metrics
from crawler.alerts.atom import render_atom
from crawler.redis import key
from crawler.stores.recent import RecentArticles

logger = logging.getLogger(__name__)
ATOM = "application/atom+xml; charset=utf-8"


class HttpServer:
    """`/healthz`, `/metrics`, `/feeds/all.atom` and `/feeds/<topic>.atom`."""

    def __init__(self, client: aioredis.Redis, topics: list[str], host: str, port: int,
                 running: Callable[[], str | None] = lambda: None,
                 sources: Sequence[str] = (), channels: Sequence[str] = ()) -> None:
        self.client = client
        self.recent = RecentArticles(client)
        self.topics = topics
        self.sources, self.channels = list(sources), list(channels)
        self.running = running  # None when all is well, else why not
        self.host, self.port = host, port
        self.app = web.Application()
        self.app.router.add_get("/", self.index)
        self.app.router.add_get("/healthz", self.healthz)
        self.app.router.add_get("/metrics", self.metrics)
        self.app.router.add_get("/feeds/{name}.atom", self.feed)
        self.runner: web.AppRunner | None = None

    async def start(self) -> None:
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.host, self.port, backlog=128)
        await site.start()
        logger.info("serving Atom feeds on http://%s:%s/feeds/all.atom", self.host, self.port)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    async def index(self, request: web.Request) -> web.Response:
        links = ["/healthz", "/metrics", *(f"/feeds/{n}.atom" for n in ["all", *self.topics])]
        return web.Response(text="\n".join(links) + "\n")

    async def healthz(self, request: web.Request) -> web.Response:
        """200 while the scheduler runs and Redis answers; 503 with the reason otherwise."""
        problem = self.running()
        if problem is None:
            try:
                await self.client.ping()
            except Exception as exc:  # noqa: BLE001 - any failure means Redis does not answer
                problem = f"redis does not answer: {type(exc).__name__}: {exc}"
        body = {"status": "ok"} if problem is None else {"status": "unhealthy", "reason": problem}
        return web.Response(status=200 if problem is None else 503, text=json.dumps(body),
                            content_type="application/json")

    async def metrics(self, request: web.Request) -> web.Response:
        try:
            await self._refresh_gauges()
        except Exception as exc:  # noqa: BLE001 - counters are still worth serving
            logger.warning("metrics: Redis values unavailable: %s", exc)
        return web.Response(body=generate_latest(),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _refresh_gauges(self) -> None:
        """Values that live in Redis, so they are right whichever process did the work."""
        async with self.client.pipeline(transaction=False) as pipe:
            for channel in self.channels:
                pipe.xlen(key("outbox", channel))
            for source in self.sources:
                pipe.hget(key("source", source, "status"), "last_ok")
            pipe.info("memory")
            *values, memory = await pipe.execute()
        for channel, pending in zip(self.channels, values, strict=False):
            metrics.PENDING.labels(channel).set(pending)
        for source, last_ok in zip(self.sources, values[len(self.channels):], strict=True):
            if last_ok:
                metrics.LAST_SUCCESS.labels(source).set(float(last_ok))
        metrics.REDIS_MEMORY.set(memory.get("used_memory", 0))

    async def feed(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name != "all" and name not in self.topics:
            raise web.HTTPNotFound(text=f"no topic {name!r}; feeds: {', '.join(self.topics)}\n")
        articles = await self.recent.latest(None if name == "all" else name)
        body = render_atom(articles, str(request.url), None if name == "all" else name)
        return web.Response(body=body, headers={"Content-Type": ATOM})


