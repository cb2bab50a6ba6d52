"""PollClock: decides when each source is due and posts it to the poll queue."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from crawler.stores.poll_queue import RedisPollQueue

logger = logging.getLogger(__name__)

JITTER_SHARE = 0.1  # of the interval
MAX_JITTER = 30.0  # seconds
FIRST_SPREAD = 5.0  # seconds over which the first polls are spread


def _spec(source: Any) -> tuple[Any, ...]:
    return (source.every, source.cron)


class PollClock:
    """One APScheduler job per source; a job only says "due", the crawl does the polling."""

    def __init__(self, scheduler: AsyncIOScheduler, queue: RedisPollQueue) -> None:
        self.scheduler = scheduler
        self.queue = queue
        self.specs: dict[str, tuple[Any, ...]] = {}

    def schedule(self, sources: Sequence[Any]) -> None:
        """Make the jobs match the sources: add new ones, drop removed ones, redo changed ones."""
        wanted = {source.name for source in sources}
        for name in [n for n in self.specs if n not in wanted]:
            self.scheduler.remove_job(name)
            del self.specs[name]
        changed = [s for s in sources if self.specs.get(s.name) != _spec(s)]
        now = datetime.now(UTC)
        for index, source in enumerate(changed):
            kind, trigger = source.trigger_args()
            options = dict(trigger) if isinstance(trigger, dict) else {}
            if options:  # polls of many sources drift apart instead of firing on the same second
                options["jitter"] = min(options["seconds"] * JITTER_SHARE, MAX_JITTER)
            first = now + timedelta(seconds=FIRST_SPREAD * index / max(1, len(changed)))
            self.scheduler.add_job(
                self.due, kind if options else trigger, args=[source.name], id=source.name,
                name=f"poll {source.name}", next_run_time=first, coalesce=True,
                max_instances=1, misfire_grace_time=None, replace_existing=True, **options)
            self.specs[source.name] = _spec(source)

    async def due(self, name: str) -> None:
        job = self.scheduler.get_job(name)
        upcoming = job.next_run_time.timestamp() if job and job.next_run_time else None
        try:
            await self.queue.put(name, next_poll=upcoming)
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


