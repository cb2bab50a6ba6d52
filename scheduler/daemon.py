"""Daemon: the life of `rasid run` and `rasid once`: Redis, the clock, the crawl, signals."""
from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable, Sequence

import redis.asyncio as aioredis
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_PAUSED

from crawler.redis import connect
from crawler.signals import config_reloaded
from crawler.stores.poll_queue import RedisPollQueue
from scheduler.clock import PollClock
from scheduler.config import Config
from scheduler.crawl_settings import consumer_name, crawler_settings, rasid_settings
from scheduler.http_server import HttpServer
from scheduler.reactor import run_in_reactor
from scheduler.redis_server import redis_url_for
from scheduler.reload import ConfigReloader
from scheduler.runner import CrawlRunner

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Daemon:
    """Runs the clock and the crawl until SIGTERM/SIGINT, then stops without losing anything."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.stopping = asyncio.Event()

    def run(self) -> int:
        with redis_url_for(self.config.redis_url, self.config.data_dir) as url:
            return run_in_reactor(lambda: self._serve(url))

    def once(self, sources: Sequence[str] = ()) -> int:
        with redis_url_for(self.config.redis_url, self.config.data_dir) as url:
            return run_in_reactor(lambda: self._once(url, sources))

    async def _serve(self, redis_url: str) -> int:
        runner = CrawlRunner(crawler_settings(self.config, redis_url))
        client = connect(redis_url)
        clock = PollClock(AsyncIOScheduler(event_loop=asyncio.get_running_loop()),
                          RedisPollQueue(client, consumer_name()))
        crawl = runner.start_daemon()
        clock.schedule(self.config.sources)
        clock.start()
        await clock.start_polls()
        http = await self._start_http(client, lambda: _problem(clock, crawl))
        reloader = ConfigReloader(self.config, lambda new: self._apply(new, clock, runner,
                                                                       redis_url))
        reloader.start()
        self._trap_signals()
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGHUP, lambda: asyncio.ensure_future(reloader.reload("SIGHUP")))
        logger.info("rasid is watching %d sources for %d topics",
                    len(self.config.sources), len(self.config.topics))
        stop = asyncio.ensure_future(self.stopping.wait())
        await asyncio.wait([crawl, stop], return_when=asyncio.FIRST_COMPLETED)
        logger.info("stopping: no new polls; finishing what is in flight")
        reloader.stop()
        clock.pause()
        await runner.stop()
        await crawl
        clock.shutdown()
        stop.cancel()
        if http is not None:
            await http.stop()
        await client.aclose()
        return 0 if self.stopping.is_set() else 1  # the crawl ended by itself: an error

    async def _apply(self, new: Config, clock: PollClock, runner: CrawlRunner,
                     redis_url: str) -> None:
        """A reloaded config: the clock gets the sources, the crawl's components the rest."""
        clock.schedule(new.sources)
        await clock.start_polls()
        if runner.crawler is not None:
            await runner.crawler.signals.send_catch_log_async(
                config_reloaded, settings=rasid_settings(new, redis_url))
        self.config = new

    async def _start_http(self, client: aioredis.Redis,
                          problem: Callable[[], str | None]) -> HttpServer | None:
        if not self.config.http.listen:
            return None
        host, port = self.config.http.host_port
        config = self.config
        server = HttpServer(client, [t.name for t in config.topics], host, port, problem,
                            config.source_names, list(config.channels))
        try:
            await server.start()
        except OSError as exc:  # the port is taken: feeds are missing, alerts still flow
            logger.error("cannot serve HTTP on %s: %s", self.config.http.listen, exc)
            return None
        return server

    async def _once(self, redis_url: str, sources: Sequence[str]) -> int:
        runner = CrawlRunner(crawler_settings(self.config, redis_url))
        self._trap_signals(on_stop=lambda: asyncio.ensure_future(runner.stop()))
        failed = await runner.once(sources, progress=sys.stderr.isatty())
        if failed:
            logger.error("failed sources: %s", ", ".join(sorted(failed)))
        return 1 if failed else 0

    def _trap_signals(self, on_stop: object = None) -> None:
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, self._request_stop, on_stop)

    def _request_stop(self, on_stop: object) -> None:
        logger.info("stop requested")
        self.stopping.set()
        if callable(on_stop):
            on_stop()


def _problem(clock: PollClock, crawl: asyncio.Task[None]) -> str | None:
    """Why the daemon is not healthy, or None."""
    if crawl.done():
        return "the crawl has stopped"
    if not clock.scheduler.running:
        return "the scheduler is not running"
    if clock.scheduler.state == STATE_PAUSED:
        return "stopping"
    return None
