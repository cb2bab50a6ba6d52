"""PollClock: decides when each source is due and posts it to the poll queue."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from crawler.stores.poll_queue import RedisPollQueue

logger = logging.getLogger(__name__)


class PollClock:
    """One APScheduler job per source; a job only says "due", the crawl does the polling."""

    def __init__(self, scheduler: AsyncIOScheduler, queue: RedisPollQueue) -> None:
        self.scheduler = scheduler
        self.queue = queue

    def schedule(self, sources: Sequence[Any]) -> None:
        now = datetime.now(UTC)
        for index, source in enumerate(sources):
            kind, trigger = source.trigger_args()
            options = trigger if isinstance(trigger, dict) else {}
            # first polls start at once, spread a little so they do not all fire together
            first = now + timedelta(milliseconds=50 * index)
            self.scheduler.add_job(
                self.due, kind if options else trigger, args=[source.name], id=source.name,
                name=f"poll {source.name}", next_run_time=first, coalesce=True,
                max_instances=1, misfire_grace_time=None, replace_existing=True, **options)

    async def due(self, name: str) -> None:
        try:
            await self.queue.put(name)
        except Exception as exc:  # noqa: BLE001 - Redis away: the next tick tries again
            logger.error("could not queue a poll of %s: %s", name, exc)

    def start(self) -> None:
        self.scheduler.start()

    def pause(self) -> None:
        if self.scheduler.running:
            self.scheduler.pause()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
