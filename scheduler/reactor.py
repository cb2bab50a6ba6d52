"""The asyncio Twisted reactor, installed before anything imports twisted.internet.reactor."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from scrapy.utils.reactor import install_reactor

logger = logging.getLogger(__name__)

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def run_in_reactor(main: Callable[[], Awaitable[int]]) -> int:
    """Run `main` on the asyncio reactor without Twisted's signal handlers; its exit code."""
    install_reactor(ASYNCIO_REACTOR)
    from twisted.internet import reactor

    result: dict[str, int] = {}

    async def wrapper() -> None:
        try:
            result["code"] = await main()
        except Exception:
            logger.exception("rasid stopped on an unexpected error")
            result["code"] = 1
        finally:
            reactor.stop()

    tasks: list[asyncio.Future[None]] = []  # a reference, so the task is not collected

    def start() -> None:
        tasks.append(asyncio.ensure_future(wrapper()))

    reactor.callWhenRunning(start)
    reactor.run(installSignalHandlers=False)  # SIGTERM/SIGINT are ours: see Daemon
    return result.get("code", 1)
