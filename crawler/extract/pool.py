"""ExtractionPool: page extraction in worker processes, off the reactor thread, with a time limit."""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals
from scrapy.utils.python import to_unicode
from w3lib.encoding import http_content_type_encoding

from crawler.article import Article
from crawler.extract.article import ExtractionError, extract_article
from crawler.extract.dates import parse_date
from crawler.extract.profile import Profiles
from crawler.signals import config_reloaded

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 20.0
STARTUP_GRACE = 10.0  # seconds a new pool's first page may add for starting its workers
_profiles: Profiles | None = None  # in each worker: built once by _start_worker


def default_workers() -> int:
    """min(2, CPUs): extraction shares the machine with the crawl, Redis and the alert channels."""
    return min(2, os.cpu_count() or 1)


class ExtractionPool:
    """Extracts pages in RASID_EXTRACT_WORKERS processes, each within RASID_EXTRACT_TIMEOUT seconds."""
    # workers: default min(2, CPUs), 0 extracts in the crawl's own thread (for debugging). A page
    # over the limit is skipped and its stuck worker replaced, so later pages are not held up.
    # Site profiles come from RASID_PROFILES and follow config reloads.

    def __init__(self, workers: int = 2, timeout: float = DEFAULT_TIMEOUT,
                 profiles: list[dict[str, Any]] | None = None, stats: Any = None,
                 target: Callable[[bytes, str | None, str | None], Article] | None = None) -> None:
        self.target = target or _extract  # a module-level function: workers import it by name
        self.workers = max(0, workers)
        self.timeout = timeout
        self.profiles = list(profiles or [])
        self.stats = stats
        self._local = Profiles.with_builtins(self.profiles)  # validates them here, not in a worker
        self._executor: ProcessPoolExecutor | None = None
        self._warm: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()
        self._slots = asyncio.Semaphore(self.workers or 1)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractionPool:
        settings = crawler.settings
        workers = settings.get("RASID_EXTRACT_WORKERS")
        pool = cls(workers=default_workers() if workers in (None, "") else int(workers),
                   timeout=settings.getfloat("RASID_EXTRACT_TIMEOUT", DEFAULT_TIMEOUT),
                   profiles=settings.getlist("RASID_PROFILES"), stats=crawler.stats)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        crawler.signals.connect(pool.on_reload, signal=config_reloaded)
        pool.start()
        return pool

    def start(self) -> None:
        """Start the workers now, so the first page does not wait for them (about a second)."""
        if self.workers and self.target is _extract:
            executor = self._pool()
            for _ in range(self.workers):
                executor.submit(_ready)

    async def extract_response(self, response: Any) -> Article:
        """The article of a downloaded page, given the charset its server declared."""
        # not response.encoding: Scrapy's guess for an undeclared page is windows-1252, wrong for Arabic
        content_type = response.headers.get("Content-Type")
        encoding = http_content_type_encoding(to_unicode(content_type)) if content_type else None
        return await self.extract(response.body, url=response.url, encoding=encoding)

    async def extract(self, body: bytes, url: str | None = None, encoding: str | None = None) -> Article:
        """The page's article; ExtractionError when it has none, fails, or takes over the limit."""
        if self.workers == 0:
            if self.target is not _extract:
                return self.target(body, url, encoding)
            return extract_article(body, url=url, encoding=encoding, profiles=self._local)
        async with self._slots:  # a page is submitted only when a worker is free: the limit is its own
            executor = self._pool()
            try:
                return await self._run(executor, body, url, encoding)
            except BrokenProcessPool:  # a worker died (or was replaced) under this page: once more
                logger.info("extraction worker lost; extracting %s again", url)
                self._replace(executor)
                return await self._run(self._pool(), body, url, encoding)

    async def _run(self, executor: ProcessPoolExecutor, body: bytes, url: str | None,
                   encoding: str | None) -> Article:
        future = asyncio.get_running_loop().run_in_executor(executor, self.target, body, url, encoding)
        # until a pool has returned a page, its workers may still be starting: allow for that
        limit = self.timeout + (0 if executor in self._warm else STARTUP_GRACE)
        try:
            article = await asyncio.wait_for(future, limit)
        except TimeoutError:
            self._inc("rasid/extract/timeouts")
            logger.warning("extraction of %s took over %ss: skipped, worker replaced", url, self.timeout)
            self._replace(executor)
            raise ExtractionError(f"extraction took over {self.timeout:g} s") from None
        self._warm.add(executor)
        return article

    def on_reload(self, settings: dict[str, Any]) -> None:
        """New site profiles apply to the pages extracted from now on."""
        profiles = list(settings.get("RASID_PROFILES", []))
        if profiles != self.profiles:
            self._local = Profiles.with_builtins(profiles)
            self.profiles = profiles
            if self._executor is not None:
                self._executor.shutdown(wait=False)  # pages in flight finish with the old profiles
                self._executor = None

    def close(self) -> None:
        """Stop the workers; pages still in flight are abandoned."""
        if self._executor is not None:
            _stop(self._executor)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=_context(),
                                                 initializer=_start_worker, initargs=(self.profiles,))
        return self._executor

    def _replace(self, executor: ProcessPoolExecutor) -> None:
        if self._executor is executor:
            self._executor = None
            self._inc("rasid/extract/pool_restarts")
        _stop(executor)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean server process (not from the crawl with its threads), else spawned."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["crawler.extract.article"])
        return context
    return multiprocessing.get_context("spawn")


def _stop(executor: ProcessPoolExecutor) -> None:
    """Shut a pool down now, killing workers that may be stuck on a page."""
    processes = list(getattr(executor, "_processes", {}).values())  # no public API before 3.14
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()


def _start_worker(profiles: list[dict[str, Any]]) -> None:
    global _profiles
    _profiles = Profiles.with_builtins(profiles)
    parse_date("1 يناير 2020")  # loads dateparser's Arabic tables before the first page


def _ready() -> None:
    """A task that only makes a worker start."""


def _extract(body: bytes, url: str | None, encoding: str | None) -> Article:
    return extract_article(body, url=url, encoding=encoding, profiles=_profiles)
