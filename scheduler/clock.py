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


def _spec(source: Any) -> tuple[Any, ...]:
    return (source.every, source.cron)


class PollClock:
    """One APScheduler job per source; a job only says "due", the crawl does the polling."""

    def __init__(self, scheduler: AsyncIOScheduler, queue: RedisPollQueue) -> None:
        self.scheduler = scheduler
        self.queue = queue
        self.specs: dict[str, tuple[Any, ...]] = {}
        self.new: list[str] = []  # sources added since the last start_polls

    def schedule(self, sources: Sequence[Any]) -> None:
        """Make the jobs match the sources: add new ones, drop removed ones, redo changed ones.

        Each new or changed source gets one poll at once (`start_polls`); its regular ticks
        are then spread evenly over its interval, so 20,000 sources at 5 minutes make a
        steady 67 polls a second rather than one burst every 5 minutes."""
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
            phase = options.get("seconds", 0) * (index + 1) / (len(changed) + 1)
            first = now + timedelta(seconds=phase) if options else None
            self.scheduler.add_job(
                self.due, kind if options else trigger, args=[source.name], id=source.name,
                name=f"poll {source.name}", coalesce=True, max_instances=1,
                misfire_grace_time=None, replace_existing=True,
                **({"next_run_time": first} if first else {}), **options)
            self.specs[source.name] = _spec(source)
            self.new.append(source.name)

    async def start_polls(self) -> None:
        """The first poll of every source added since the last call, queued at once."""
        names, self.new = self.new, []
        for name in names:
            await self.due(name)

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


