"""SourceHealth: one "source down" / "source silent" notice on the ops channels, one "back"."""
from __future__ import annotations

import logging
import time
from typing import Any

import redis.asyncio as aioredis

from crawler.alerts.alert import Alert
from crawler.alerts.outbox import AlertOutbox
from crawler.redis import key, redis_for
from crawler.signals import config_reloaded, poll_finished
from crawler.spiders.polls import PollReport

logger = logging.getLogger(__name__)


class SourceHealth:
    """Watches poll results (RASID_SOURCE_DOWN_AFTER failures in a row; a source's expect_every)."""

    def __init__(self, client: aioredis.Redis, outbox: AlertOutbox, channels: list[str],
                 down_after: int, expect_every: dict[str, float]) -> None:
        self.client = client
        self.outbox = outbox
        self.channels = channels
        self.down_after = down_after
        self.expect_every = expect_every

    @classmethod
    def from_crawler(cls, crawler: Any) -> SourceHealth:
        settings = crawler.settings
        channels = settings.getlist("RASID_OPS_CHANNELS") or list(settings.getdict("RASID_CHANNELS"))
        expect = _expectations(settings.getlist("RASID_SOURCES"))
        ext = cls(redis_for(crawler), AlertOutbox.from_crawler(crawler), channels,
                  settings.getint("RASID_SOURCE_DOWN_AFTER", 3), expect)
        crawler.signals.connect(ext.poll_finished, signal=poll_finished)
        crawler.signals.connect(ext.on_reload, signal=config_reloaded)
        return ext

    def on_reload(self, settings: dict[str, Any]) -> None:
        self.channels = settings["RASID_OPS_CHANNELS"] or list(settings["RASID_CHANNELS"])
        self.down_after = settings["RASID_SOURCE_DOWN_AFTER"]
        self.expect_every = _expectations(settings["RASID_SOURCES"])

    async def poll_finished(self, report: PollReport) -> None:
        status = key("source", report.source, "status")
        if not report.ok and report.failures_in_a_row >= self.down_after:
            if await self.client.hsetnx(status, "down_since", time.time()):
                await self._notify(f"Rasid: source {report.source} is down",
                                   f"{report.failures_in_a_row} polls failed in a row; "
                                   f"last error: {report.error}")
        elif report.ok and "down" in report.flags:
            await self.client.hdel(status, "down_since")
            await self._notify(f"Rasid: source {report.source} is back", "Polls succeed again.")
        if report.ok and report.source in self.expect_every:
            await self._check_silence(report, status)

    async def _check_silence(self, report: PollReport, status: str) -> None:
        now = time.time()
        if report.new_articles:
            if "silent" in report.flags:
                await self.client.hdel(status, "silent_since")
                await self._notify(f"Rasid: source {report.source} publishes again",
                                   f"{report.new_articles} new articles.")
            return
        await self.client.hsetnx(status, "last_new", now)  # a first poll starts the clock
        last_new = float(await self.client.hget(status, "last_new") or now)
        limit = self.expect_every[report.source]
        if now - last_new > limit and await self.client.hsetnx(status, "silent_since", now):
            hours = (now - last_new) / 3600
            await self._notify(f"Rasid: source {report.source} is silent",
                               f"No new article for {hours:.1f} h (expected every "
                               f"{limit / 3600:.1f} h); the polls themselves succeed.")

    async def _notify(self, title: str, text: str) -> None:
        logger.warning("%s: %s", title, text)
        if self.channels:
            await self.outbox.enqueue(Alert.notice(title, text, list(self.channels)), dedup=False)


def _expectations(sources: list[dict[str, Any]]) -> dict[str, float]:
    return {s["name"]: float(s["expect_every"]) for s in sources if s.get("expect_every")}
