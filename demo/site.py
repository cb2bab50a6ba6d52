"""A local Arabic news site for the demo and the tests: articles, feeds and test routes."""
from __future__ import annotations

import base64
import hashlib
import logging
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

from demo import pages
from demo.catalogue import CatalogueEntry, PublishedArticle, check_catalogue, load_catalogue

logger = logging.getLogger(__name__)

FIRST_ID = 24001
BACKLOG_SPACING = timedelta(minutes=20)
MAX_SLOW_SECONDS = 30.0
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class NewsSite(ThreadingHTTPServer):
    """The demo news site: a threaded HTTP server that publishes catalogue articles over time."""

    request_queue_size = 128
    daemon_threads = True

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        published: int = 3,
        every: float | None = None,
        catalogue: Iterable[CatalogueEntry] | None = None,
    ) -> None:
        entries = list(catalogue) if catalogue is not None else load_catalogue()
        if not entries:
            raise ValueError("the catalogue is empty")
        check_catalogue(entries)
        self.catalogue = entries
        self.sections = list(dict.fromkeys(e.section for e in entries))
        self.every = every
        self.hits: Counter[str] = Counter()
        self.conditional_hits = 0
        self._entries = {e.slug: e for e in entries}
        self._lock = threading.RLock()
        self._articles: list[PublishedArticle] = []
        self._by_id: dict[int, PublishedArticle] = {}
        self._rounds: Counter[str] = Counter()
        self._stopping = threading.Event()
        self._workers: list[threading.Thread] = []
        self._closed = False
        self._started = datetime.now(UTC).replace(microsecond=0)
        first = self._started - BACKLOG_SPACING * max(published - 1, 0)
        for i in range(published):
            self._publish(None, first + BACKLOG_SPACING * i)
        super().__init__((host, port), _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base_url(self) -> str:
        host = self.server_address[0]
        return f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of a path on this site."""
        return self.base_url + path

    @property
    def articles(self) -> list[PublishedArticle]:
        """Published articles, newest first."""
        with self._lock:
            return self._articles[::-1]

    @property
    def last_modified(self) -> datetime:
        """When the latest article was published (the start time before any)."""
        with self._lock:
            return self._articles[-1].published if self._articles else self._started

    def snapshot(self) -> tuple[list[PublishedArticle], datetime]:
        """Articles newest first and the last-modified time, read together."""
        with self._lock:
            return self.articles, self.last_modified

    def article(self, id: int) -> PublishedArticle | None:
        """The published article with this id, if any."""
        with self._lock:
            return self._by_id.get(id)

    def related_to(self, article: PublishedArticle) -> list[PublishedArticle]:
        """The latest published version of each related slug; unpublished ones are left out."""
        latest = {a.slug: a for a in self.articles[::-1]}
        return [latest[s] for s in article.related if s in latest and s != article.slug]

    def read_also(self, article: PublishedArticle) -> PublishedArticle | None:
        """A published article to recommend inside the body: a related one, else the newest."""
        related = self.related_to(article)
        others = [a for a in self.articles if a.slug != article.slug]
        return (related or others or [None])[0]

    def publish(self, slug: str | None = None) -> str:
        """Publish the next unpublished entry (or `slug`) now; return its absolute URL."""
        with self._lock:
            latest = self.last_modified if self._articles else None
            now = datetime.now(UTC).replace(microsecond=0)
            # One second apart at least, so Last-Modified changes with every publication.
            when = max(now, latest + timedelta(seconds=1)) if latest else now
            article = self._publish(slug, when)
        logger.info("published %s", article.path)
        return self.url(article.path)

    def _publish(self, slug: str | None, when: datetime) -> PublishedArticle:
        """Publish one entry at `when`; past the catalogue's end, publish updated variants."""
        if slug is None:
            entry = min(self.catalogue, key=lambda e: self._rounds[e.slug])
        elif slug in self._entries:
            entry = self._entries[slug]
        else:
            raise KeyError(f"no catalogue entry with slug {slug!r}")
        article = PublishedArticle.from_entry(
            entry, FIRST_ID + len(self._articles), when, self._rounds[entry.slug]
        )
        self._rounds[entry.slug] += 1
        self._articles.append(article)
        self._by_id[article.id] = article
        return article

    def count_hit(self, path: str) -> None:
        """Count one request for `path`."""
        with self._lock:
            self.hits[path] += 1

    def count_conditional(self) -> None:
        """Count one 304 answer."""
        with self._lock:
            self.conditional_hits += 1

    def reset_counters(self) -> None:
        """Forget the hits and 304s counted so far."""
        with self._lock:
            self.hits.clear()
            self.conditional_hits = 0

    def start(self) -> NewsSite:
        """Serve (and publish every `every` seconds) in background threads."""
        if not self._workers:
            self._spawn(lambda: self.serve_forever(poll_interval=0.05), "serve")
            if self.every and self.every > 0:
                self._spawn(self._publish_every, "publish")
        return self

    def stop(self) -> None:
        """Stop serving and publishing, and close the socket."""
        if self._closed:
            return
        self._closed = True
        self._stopping.set()
        if self._workers:
            self.shutdown()
        for thread in self._workers:
            thread.join()
        self.server_close()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; return early (True) when the site is stopping."""
        return self._stopping.wait(seconds)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is routine (timeouts in tests); anything else is logged."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            logger.debug("client %s went away", client_address)
        else:
            logger.exception("error serving %s", client_address)

    def __enter__(self) -> NewsSite:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], None], role: str) -> None:
        thread = threading.Thread(target=target, name=f"demo-{role}:{self.port}", daemon=True)
        thread.start()
        self._workers.append(thread)

    def _publish_every(self) -> None:
        assert self.every
        while not self._stopping.wait(self.every):
            self.publish()


class _Handler(BaseHTTPRequestHandler):
    """Routes the demo site's requests."""

    server: NewsSite
    protocol_version = "HTTP/1.1"
    server_version = "WahaNews/1.0"
    timeout = 60
    ROUTES = (
        (re.compile(r"/"), "front"),
        (re.compile(r"/(?P<kind>rss|atom|rdf|sitemap)\.xml"), "feed"),
        (re.compile(r"/news/(?P<id>\d+)-(?P<slug>[a-z0-9-]+)\.html"), "article"),
        (re.compile(r"/section/(?P<name>[^/]+)"), "section"),
        (re.compile(r"/images/[a-z0-9-]+\.png"), "image"),
        (re.compile(r"/status/(?P<code>\d{3})"), "status"),
        (re.compile(r"/slow"), "slow"),
        (re.compile(r"/broken\.html"), "broken"),
    )
    FEEDS: ClassVar[dict[str, tuple[Callable[..., str], str]]] = {
        "rss": (pages.rss_feed, "application/rss+xml"),
        "atom": (pages.atom_feed, "application/atom+xml"),
        "rdf": (pages.rdf_feed, "application/rdf+xml"),
        "sitemap": (pages.sitemap, "application/xml"),
    }

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.count_hit(url.path)
        query = parse_qs(url.query)
        for pattern, name in self.ROUTES:
            if match := pattern.fullmatch(url.path):
                return getattr(self, f"route_{name}")(query, **match.groupdict())
        self.route_not_found()

    do_HEAD = do_GET

    def route_front(self, query: dict) -> None:
        articles, updated = self.server.snapshot()
        self._send_validated(pages.front_page(articles, self.server.sections), "text/html", updated)

    def route_feed(self, query: dict, kind: str) -> None:
        render, content_type = self.FEEDS[kind]
        articles, updated = self.server.snapshot()
        self._send_validated(render(articles, self.server.base_url, updated), content_type, updated)

    def route_section(self, query: dict, name: str) -> None:
        section = unquote(name)
        if section not in self.server.sections:
            return self.route_not_found()
        articles, updated = self.server.snapshot()
        shown = [a for a in articles if a.section == section]
        html = pages.section_page(section, shown, self.server.sections)
        self._send_validated(html, "text/html", updated)

    def route_article(self, query: dict, id: str, slug: str) -> None:
        site = self.server
        article = site.article(int(id))
        if article is None:
            return self.route_not_found()
        if slug != article.slug:
            return self._send(HTTPStatus.MOVED_PERMANENTLY, b"", None, {"Location": article.path})
        html = pages.article_page(
            article, site.related_to(article), site.read_also(article), site.sections, site.base_url
        )
        self._send(HTTPStatus.OK, html.encode(), "text/html")

    def route_image(self, query: dict) -> None:
        self._send(HTTPStatus.OK, PIXEL_PNG, "image/png")

    def route_status(self, query: dict, code: str) -> None:
        status = int(code)
        if not 200 <= status <= 599:
            return self.route_not_found()
        headers = {"Location": "/"} if 300 <= status < 400 else {}
        text = f"{status} {_phrase(status)}\n".encode()
        self._send(status, text, "text/plain", headers)

    def route_slow(self, query: dict) -> None:
        try:
            seconds = float(query.get("seconds", ["1"])[0])
        except ValueError:
            return self._send(HTTPStatus.BAD_REQUEST, b"seconds must be a number\n", "text/plain")
        seconds = min(max(seconds, 0.0), MAX_SLOW_SECONDS)
        self.server.wait(seconds)
        self._send(HTTPStatus.OK, f"slept {seconds:g} seconds\n".encode(), "text/plain")

    def route_broken(self, query: dict) -> None:
        self._send(HTTPStatus.OK, pages.broken_page().encode(), "text/html")

    def route_not_found(self) -> None:
        html = pages.not_found_page(self.server.sections)
        self._send(HTTPStatus.NOT_FOUND, html.encode(), "text/html")

    def _send_validated(self, body: str, content_type: str, modified: datetime) -> None:
        """Send a listing with ETag/Last-Modified, or 304 when the client's copy is current."""
        data = body.encode()
        etag = f'"{hashlib.sha1(data).hexdigest()[:20]}"'
        headers = {
            "ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if self._not_modified(etag, modified):
            self.server.count_conditional()
            return self._send(HTTPStatus.NOT_MODIFIED, b"", None, headers)
        self._send(HTTPStatus.OK, data, content_type, headers)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        """RFC 9110: If-None-Match decides when present, else If-Modified-Since."""
        if (none_match := self.headers.get("If-None-Match")) is not None:
            tags = {tag.strip().removeprefix("W/") for tag in none_match.split(",")}
            return "*" in tags or etag in tags
        try:
            since = parsedate_to_datetime(self.headers.get("If-Modified-Since", ""))
        except (TypeError, ValueError):
            return False
        return modified <= (since if since.tzinfo else since.replace(tzinfo=UTC))

    def _send(
        self, status: int, data: bytes, content_type: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send a response; text types get charset=utf-8, 204/304 and HEAD get no body."""
        self.send_response(status)
        if content_type:
            charset = "" if content_type.startswith("image/") else "; charset=utf-8"
            self.send_header("Content-Type", content_type + charset)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        has_body = status not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED)
        if has_body:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if has_body and self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def _phrase(status: int) -> str:
    """The reason phrase for a status code, or an empty string for unassigned codes."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
