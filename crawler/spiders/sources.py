"""SourceSpider: one long-running crawl that polls whichever source is due."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from html import escape
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.article import Article
from crawler.extract import extract_article
from crawler.extract.article import ExtractionError
from crawler.extract.pool import ExtractionPool
from crawler.items import ArticleItem
from crawler.signals import config_reloaded
from crawler.sources import LINK_EXTRACTORS, ArticleLink, SourceFormatError
from crawler.spiders.politeness import politeness
from crawler.spiders.polls import PollBook
from crawler.stores.link_filter import LinkFilter
from crawler.stores.validators import RedisValidatorStore

logger = logging.getLogger(__name__)


class SourceSpider(scrapy.Spider):
    """Polls sources from RASID_SOURCES: once each (`-a sources=a,b`) or, with `stay_open`, on demand."""

    name = "rasid"

    def __init__(self, *args: Any, sources: str | list[str] | None = None,
                 stay_open: bool | str = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selected = sources.split(",") if isinstance(sources, str) else list(sources or [])
        self.stay_open = stay_open in (True, "1", "true", "yes")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # settings are final (add-ons applied) only once the crawl opens: set up there
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_reload, signal=config_reloaded)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider.release_item, signal=signal)
        return spider

    def on_opened(self) -> None:
        crawler = self.crawler
        self.sources = {s["name"]: s for s in crawler.settings.getlist("RASID_SOURCES")}
        self.links = LinkFilter.from_crawler(crawler)
        self.validators = RedisValidatorStore.from_crawler(crawler)
        self.polls = PollBook.from_crawler(crawler)
        self.extraction = ExtractionPool.from_crawler(crawler)

    async def start(self) -> AsyncIterator[Request]:
        if self.stay_open:
            return
        for name in self.selected or list(self.sources):
            request = await self.poll_request(name)
            if request is not None:
                yield request
            elif name not in self.sources:
                self.polls.failed.add(name)

    def on_idle(self) -> None:
        if self.stay_open:
            raise DontCloseSpider

    async def on_closed(self) -> None:
        await self.polls.wait_ended()

    def on_reload(self, settings: dict[str, Any]) -> None:
        self.sources = {s["name"]: s for s in settings["RASID_SOURCES"]}

    def release_item(self, item: Any, **kwargs: Any) -> None:
        """The pipelines are done with the item: its URL may be fetched again if still unseen."""
        if isinstance(item, ArticleItem):
            self.polls.release_urls(item.seen_urls)
            self.polls.finish_item(item.source, matches=len(item.matches), alerts=item.alerts)

    async def poll(self, name: str) -> bool:
        """Hand the running engine a poll of `name`; False when it is unknown or already polling."""
        request = await self.poll_request(name)
        if request is None:
            return False
        self.crawler.engine.crawl(request)
        return True

    async def poll_request(self, name: str) -> Request | None:
        source = self.sources.get(name)
        if source is None:
            logger.warning("poll of unknown source %r ignored", name)
            return None
        if not await self.polls.begin(name):
            logger.debug("source %s is still being polled; skipping this tick", name)
            return None
        headers = {} if source["kind"] == "page" else await self.validators.request_headers(name)
        callback = self.parse_article if source["kind"] == "page" else self.parse_source
        return Request(source["url"], callback=callback, errback=self.request_failed,
                       headers=headers, dont_filter=True, priority=10,
                       meta={**politeness(source), "rasid_source": name, "rasid_poll": True,
                             "handle_httpstatus_list": [304]})

    async def parse_source(self, response: Response) -> AsyncIterator[Request]:
        name = response.meta["rasid_source"]
        try:
            if response.status == 304:
                self.crawler.stats.inc_value("rasid/polls/not_modified")
                return
            async for request in self._article_requests(response, name):
                yield request
            await self.validators.remember(name, response.headers.get("ETag"),
                                           response.headers.get("Last-Modified"))
        except SourceFormatError as exc:
            self.polls.fail(name, f"{response.url}: {exc}")
        finally:
            self.polls.finish_request(name)

    async def _article_requests(self, response: Response, name: str) -> AsyncIterator[Request]:
        source = self.sources[name]
        links = LINK_EXTRACTORS[source["kind"]](response, source)
        page = response.meta.get("rasid_page", 1)
        for more in (link for link in links if link.sitemap or link.next_page):
            self.polls.add_request(name)  # a child sitemap, or the next page of a listing
            yield Request(more.url, callback=self.parse_source, errback=self.request_failed,
                          dont_filter=True, meta={**politeness(source), "rasid_source": name,
                                                  "rasid_page": page + 1})
        articles = [link for link in links if not (link.sitemap or link.next_page)]
        fresh = set(await self.links.fresh(articles))
        for link in articles:
            if link.url in fresh and self.polls.claim_url(link.url):
                fresh.discard(link.url)
                self.polls.add_request(name, new_article=True)
                yield self._article_request(name, link)

    def _article_request(self, name: str, link: ArticleLink) -> Request:
        return Request(link.url, callback=self.parse_article, errback=self.request_failed,
                       dont_filter=True, meta={**politeness(self.sources[name]),
                                               "rasid_source": name, "rasid_link": link})

    async def parse_article(self, response: Response) -> ArticleItem | None:
        name = response.meta["rasid_source"]
        link: ArticleLink | None = response.meta.get("rasid_link")
        requested = link.url if link else response.request.url
        try:
            article = await self.extraction.extract_response(response)
        except ExtractionError as exc:
            # a page that cannot be parsed will not parse next time either: skip it for good
            logger.warning("skipping %s (source %s): %s", response.url, name, exc)
            self.crawler.stats.inc_value("rasid/articles/skipped")
            await self.links.skip(requested, link.guid if link else None)
            self.polls.release_urls([requested])
            self.polls.finish_request(name)
            return None
        except BaseException:
            self.polls.finish_request(name)
            raise
        # the poll goes on until the pipelines are done with the item (release_item)
        if link is not None:
            _fill_from_link(article, link)
        return ArticleItem(article=article, source=name, feed_guid=link.guid if link else None,
                           seen_urls=[requested])

    async def request_failed(self, failure: Failure) -> ArticleItem | None:
        """A failed feed fails the poll; a failed article is retried on the next poll."""
        request = failure.request
        name = request.meta["rasid_source"]
        link = request.meta.get("rasid_link")
        error = f"{request.url}: {failure.getErrorMessage() or failure.type.__name__}"
        if link is None:
            self.polls.fail(name, error)
        elif link.content:
            logger.warning("source %s: page not fetched, using the feed's full text: %s",
                           name, error)
            item = self._item_from_feed(name, link)
            if item is not None:
                return item  # the poll ends when the pipelines are done with it
        else:
            logger.warning("source %s: article not fetched, will retry: %s", name, error)
            self.crawler.stats.inc_value("rasid/articles/failed")
            self.polls.release_urls([link.url])
            await self.validators.remember(name, None, None)  # so the feed is not answered 304
        self.polls.finish_request(name)
        return None

    def _item_from_feed(self, name: str, link: ArticleLink) -> ArticleItem | None:
        """The article as the feed item carries it (content:encoded), when the page is out of reach."""
        try:
            article = extract_article(
                f"<html><body><h1>{escape(link.title)}</h1><article>{link.content}</article>"
                "</body></html>", url=link.url)
        except ExtractionError:
            return None
        _fill_from_link(article, link)
        self.crawler.stats.inc_value("rasid/articles/from_feed")
        return ArticleItem(article=article, source=name, feed_guid=link.guid,
                           seen_urls=[link.url])


def _fill_from_link(article: Article, link: ArticleLink) -> None:
    """What the page lacks, the feed item may give."""
    article.title = article.title or link.title
    article.teaser = article.teaser or link.summary
    article.published = article.published or link.published
