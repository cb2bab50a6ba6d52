"""Replay site: many news sources on 127.0.0.1, each its own RSS feed and pages, from real items.

Run as its own process: `python bench/replay_site.py --spec SPEC.json` prints its port, then serves
until killed. A spec lists groups of sources: {"groups": [{"prefix": "t", "count": 30, "items": 20,
"shared": false}]}: `items` initial items per source, or `shared` ones listed by every source of
the group. Feeds answer conditional GETs with 304 (strong ETag, Last-Modified). Control under
/_control/: publish (now or at random moments), mode (volatile: a new ETag on every request, the
same items), stats, log (each published item's publication time and when a feed first carried it).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_CORPUS, Doc, DocPool, load_docs

from demo.catalogue import PublishedArticle
from demo.pages import article_page, rss_feed

FEED_ITEMS = 20


@dataclass
class Feed:
    """One source's feed: its items newest first, cached body and validators."""

    name: str
    base_url: str
    links_base: str = ""  # where its items' pages are: its own host, or the wire's
    items: list[PublishedArticle] = field(default_factory=list)
    version: int = 0
    body: bytes = b""
    modified: datetime = field(default_factory=lambda: datetime(2024, 1, 1, tzinfo=UTC))

    @property
    def etag(self) -> str:
        return f'"{self.name}-{self.version}"'


class ReplaySite:
    """The sources, their pages, and the record of what was published and when it was served."""

    def __init__(self, docs: list[Doc], hosts: list[str], port: int, seed: int = 7) -> None:
        self.pool = DocPool(docs, seed)
        self.rng = random.Random(seed)
        self.hosts = [f"http://{host}:{port}" for host in hosts]
        self.feeds: dict[str, Feed] = {}
        self.pages: dict[str, bytes] = {}
        self.next_id = 1
        self.volatile: str | None = None  # sources whose names start with it change every request
        self.tasks: set[asyncio.Task[None]] = set()
        self.served = 0
        self.stats = {"feed_200": 0, "feed_304": 0, "article": 0, "other": 0}
        self.log: dict[int, dict[str, Any]] = {}
        self.unserved: dict[str, list[int]] = {}  # per feed: published items no feed carried yet
        self.by_path: dict[str, dict[str, Any]] = {}  # page path -> its published item's log entry

    def add_group(self, prefix: str, count: int, items: int = 0, shared: bool = False) -> None:
        """Sources `prefix-0`... spread over the hosts: each a news site of a few feeds."""
        wire = Feed(f"{prefix}-wire", self.hosts[0], self.hosts[0])
        common = [self._article(wire, self.pool.take()) for _ in range(items if shared else 0)]
        for i in range(count):
            host = self.hosts[len(self.feeds) % len(self.hosts)]
            feed = Feed(f"{prefix}-{i}", host, wire.base_url if common else host)
            feed.items = list(common) or [self._article(feed, self.pool.take()) for _ in range(items)]
            self.feeds[feed.name] = feed
            self._render(feed)

    def _article(self, feed: Feed, doc: Doc, when: datetime | None = None) -> PublishedArticle:
        article_id, self.next_id = self.next_id, self.next_id + 1
        article = PublishedArticle(
            id=article_id, slug=str(article_id), path=f"/{feed.name}/news/{article_id}.html",
            title=doc.title, teaser=doc.teaser, caption=doc.title, paragraphs=doc.paragraphs,
            section=doc.section, published=when or datetime(2024, 1, 1, tzinfo=UTC),
            author=doc.author)
        self.pages[article.path] = article_page(article, [], None, [doc.section],
                                                feed.links_base or feed.base_url).encode()
        return article

    def _render(self, feed: Feed) -> None:
        feed.body = rss_feed(feed.items[:FEED_ITEMS], feed.links_base, feed.modified).encode()

    def publish(self, name: str) -> dict[str, Any]:
        """A new item at the top of a source's feed, now."""
        feed = self.feeds[name]
        now = datetime.now(UTC)
        article = self._article(feed, self.pool.take(), now)
        feed.items.insert(0, article)
        feed.version += 1
        feed.modified = now.replace(microsecond=0)
        self._render(feed)
        entry = {"id": article.id, "source": name, "url": feed.links_base + article.path,
                 "title": article.title, "published": time.time(), "first_served": None,
                 "page_served": None}
        self.by_path[article.path] = entry
        self.log[article.id] = entry
        self.unserved.setdefault(name, []).append(article.id)
        return entry

    async def publish_randomly(self, names: list[str], count: int, window: float) -> None:
        """`count` items into random sources at uniformly random moments within `window` s."""
        start = time.monotonic()
        moments = sorted(self.rng.uniform(0, window) for _ in range(count))
        for moment in moments:
            await asyncio.sleep(max(0.0, start + moment - time.monotonic()))
            self.publish(self.rng.choice(names))

    def feed_response(self, request: web.Request, name: str) -> web.Response:
        feed = self.feeds.get(name)
        if feed is None:
            raise web.HTTPNotFound()
        if self.volatile is not None and name.startswith(self.volatile):
            # changed on every request: new validators, the same items
            feed.version += 1
            feed.modified = datetime.fromtimestamp(int(time.time()), UTC)
            self._render(feed)
        headers = {"ETag": feed.etag, "Last-Modified": format_datetime(feed.modified, usegmt=True),
                   "Content-Type": "application/rss+xml; charset=utf-8"}
        if _not_modified(request, feed):
            self.stats["feed_304"] += 1
            return web.Response(status=304, headers=headers)
        self.stats["feed_200"] += 1
        now = time.time()
        for article_id in self.unserved.pop(name, []):
            self.log[article_id]["first_served"] = now
        return web.Response(body=feed.body, headers=headers)


def _not_modified(request: web.Request, feed: Feed) -> bool:
    etags = request.headers.get("If-None-Match")
    if etags is not None:
        return feed.etag in (tag.strip() for tag in etags.split(","))
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            return parsedate_to_datetime(since) >= feed.modified
        except (TypeError, ValueError):
            return False
    return False


def make_app(holder: list[ReplaySite]) -> web.Application:
    """The routes; the site object is put in `holder` once the ports are bound."""

    async def feed(request: web.Request) -> web.Response:
        site = holder[0]
        return site.feed_response(request, request.match_info["source"])

    async def page(request: web.Request) -> web.Response:
        site = holder[0]
        body = site.pages.get(request.path)
        if body is None:
            raise web.HTTPNotFound()
        site.stats["article"] += 1
        entry = site.by_path.get(request.path)
        if entry is not None and entry["page_served"] is None:
            entry["page_served"] = time.time()
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    async def robots(request: web.Request) -> web.Response:
        site = holder[0]
        site.stats["other"] += 1
        return web.Response(text="User-agent: *\nAllow: /\n")

    async def control(request: web.Request) -> web.Response:
        action = request.match_info["action"]
        body = await request.json() if request.can_read_body else {}
        return web.json_response(await _control(holder[0], action, body))

    app = web.Application()
    app.add_routes([web.get("/robots.txt", robots), web.post("/_control/{action}", control),
                    web.get("/_control/{action}", control),
                    web.get("/{source}/rss.xml", feed), web.get("/{source}/news/{page}", page)])
    return app


async def _control(site: ReplaySite, action: str, body: dict[str, Any]) -> Any:
    names = [n for n in site.feeds if n.startswith(body.get("prefix", ""))]
    if action == "publish":
        if body.get("window"):
            task = asyncio.ensure_future(site.publish_randomly(names, body["count"], body["window"]))
            site.tasks.add(task)
            task.add_done_callback(site.tasks.discard)
            return {"scheduled": body["count"]}
        return [site.publish(site.rng.choice(names)) for _ in range(body.get("count", 1))]
    if action == "mode":
        site.volatile = body.get("volatile")
        return {"volatile": site.volatile}
    if action == "stats":
        return {**site.stats, "docs_left": site.pool.left}
    if action == "log":
        return list(site.log.values())
    if action == "feeds":  # name -> its URL and the ETag a client that saw it would hold
        return {name: {"url": f"{site.feeds[name].base_url}/{name}/rss.xml",
                       "etag": site.feeds[name].etag} for name in names}
    raise web.HTTPNotFound()


async def serve(spec: dict[str, Any], corpus: Path, port: int) -> None:
    docs, origin = load_docs(corpus)
    holder: list[ReplaySite] = []
    runner = web.AppRunner(make_app(holder), access_log=None)
    await runner.setup()
    first = web.TCPSite(runner, "127.0.0.1", port, backlog=4096)
    await first.start()
    bound = first._server.sockets[0].getsockname()[1]  # port 0: the one the OS chose
    # more sites on more loopback addresses (all of 127/8 is local on Linux): Scrapy's politeness
    # (delay, concurrency) is per host, and real sources are spread over many hosts
    hosts = [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(spec.get("hosts", 0))]
    for host in hosts:
        await web.TCPSite(runner, host, bound, backlog=1024).start()
    site = ReplaySite(docs, hosts or ["127.0.0.1"], bound, seed=spec.get("seed", 7))
    holder.append(site)
    for group in spec.get("groups", []):
        site.add_group(group["prefix"], group["count"], group.get("items", 0),
                       group.get("shared", False))
    print(json.dumps({"port": bound, "hosts": len(site.hosts), "docs": len(docs),
                      "origin": origin, "sources": len(site.feeds)}), flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(json.loads(args.spec.read_text()), args.corpus, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
