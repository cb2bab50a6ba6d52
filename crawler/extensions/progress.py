"""Progress: a live per-source line on a terminal during `rasid once` (RASID_PROGRESS)."""
from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import ArticleItem
from crawler.signals import poll_finished


class Progress:
    """Articles processed per source and polls finished; off unless stderr is a terminal."""

    def __init__(self, sources: list[str]) -> None:
        self.sources = sources
        self.articles: Counter[str] = Counter()
        self.results: dict[str, str] = {}
        self.live = Live(self._table(), console=Console(stderr=True), refresh_per_second=4,
                         transient=False)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        if not crawler.settings.getbool("RASID_PROGRESS"):
            raise NotConfigured("RASID_PROGRESS is off (not a terminal)")
        ext = cls([s["name"] for s in crawler.settings.getlist("RASID_SOURCES")])
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.poll_finished, signal=poll_finished)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _table(self) -> Table:
        table = Table(title="rasid once", expand=False)
        for column in ("source", "articles", "poll"):
            table.add_column(column)
        for name in self.sources:
            table.add_row(name, str(self.articles[name]), self.results.get(name, "…"))
        return table

    def _refresh(self) -> None:
        self.live.update(self._table())

    def spider_opened(self, spider: Any) -> None:
        self.sources = list(getattr(spider, "selected", None) or self.sources)
        self.live.start()

    def item_scraped(self, item: Any, spider: Any) -> None:
        if isinstance(item, ArticleItem):
            self.articles[item.source] += 1
            self._refresh()

    def poll_finished(self, report: Any) -> None:
        self.results[report.source] = (f"ok, {report.new_articles} new, {report.alerts} alerts"
                                       if report.ok else f"failed: {report.error[:60]}")
        self._refresh()

    def spider_closed(self, spider: Any) -> None:
        self._refresh()
        self.live.stop()
