"""A bare Scrapy spider that only downloads: the feeds, then every article page they list.

The ceiling for Rasid's pipeline throughput: the same pages, Rasid's own Scrapy settings
(crawler/settings.py: concurrency, politeness) less its pipelines and extensions, and nothing
done with the pages. `python bench/bare_spider.py URLS.txt
[--feeds-only]` prints {"pages": n, "seconds": wall time of the crawl, "cpu": process CPU}.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LINK = re.compile(rb"<link>([^<]+)</link>")
NOT_FETCHING = ("ITEM_PIPELINES", "EXTENSIONS", "ADDONS", "SPIDER_MODULES", "NEWSPIDER_MODULE")


def settings() -> Settings:
    """Rasid's crawl settings without what processes pages (pipelines, extensions, add-ons)."""
    found = Settings()
    found.setmodule("crawler.settings", priority="project")
    for name in NOT_FETCHING:
        found.set(name, {} if name in ("ITEM_PIPELINES", "EXTENSIONS", "ADDONS") else [],
                  priority="cmdline")
    found.set("LOG_LEVEL", "WARNING", priority="cmdline")
    return found


class BareSpider(scrapy.Spider):
    """Downloads each feed and, unless feeds_only, each linked page once."""

    name = "bare"

    def __init__(self, urls: list[str], feeds_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.feed_urls = urls
        self.feeds_only = feeds_only
        self.pages = 0

    async def start(self) -> Any:
        for url in self.feed_urls:
            yield scrapy.Request(url, callback=self.parse_feed, dont_filter=True)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self.pages += 1
        if self.feeds_only:
            return
        for link in LINK.findall(response.body)[1:]:  # the first <link> is the channel's
            yield scrapy.Request(link.decode(), callback=self.parse_page)

    def parse_page(self, response: Response) -> None:
        self.pages += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", type=Path)
    parser.add_argument("--feeds-only", action="store_true")
    args = parser.parse_args()
    urls = args.urls.read_text().split()
    process = CrawlerProcess(settings())
    crawler = process.create_crawler(BareSpider)
    start = time.monotonic()
    process.crawl(crawler, urls=urls, feeds_only=args.feeds_only)
    process.start()
    me = psutil.Process().cpu_times()
    print(json.dumps({"pages": crawler.spider.pages, "seconds": time.monotonic() - start,
                      "cpu": me.user + me.system}))


if __name__ == "__main__":
    main()
