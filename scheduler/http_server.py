"""The daemon's HTTP server: Atom feeds of matched articles (127.0.0.1 only by default)."""
from __future__ import annotations

import logging

import redis.asyncio as aioredis
from aiohttp import web

from crawler.alerts.atom import render_atom
from crawler.stores.recent import RecentArticles

logger = logging.getLogger(__name__)
ATOM = "application/atom+xml; charset=utf-8"


class HttpServer:
    """`/feeds/all.atom` and `/feeds/<topic>.atom`; more routes can be added to `app`."""

    def __init__(self, client: aioredis.Redis, topics: list[str], host: str, port: int) -> None:
        self.recent = RecentArticles(client)
        self.topics = topics
        self.host, self.port = host, port
        self.app = web.Application()
        self.app.router.add_get("/", self.index)
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
        links = ["all", *self.topics]
        return web.Response(text="\n".join(f"/feeds/{name}.atom" for name in links) + "\n")

    async def feed(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name != "all" and name not in self.topics:
            raise web.HTTPNotFound(text=f"no topic {name!r}; feeds: {', '.join(self.topics)}\n")
        articles = await self.recent.latest(None if name == "all" else name)
        body = render_atom(articles, str(request.url), None if name == "all" else name)
        return web.Response(body=body, headers={"Content-Type": ATOM})


