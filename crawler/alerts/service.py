"""DeliveryService: one ChannelWorker task per channel, woken by new alerts, stopped cleanly."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis.asyncio as aioredis

from crawler.alerts.channels import build_channel
from crawler.alerts.delivery import ChannelWorker, DeliveryPolicy, DeliveryReport
from crawler.alerts.health import Backoff, ChannelHealth
from crawler.alerts.outbox import AlertOutbox
from crawler.alerts.render import Renderer

logger = logging.getLogger(__name__)


class DeliveryService:
    """Runs every channel's worker; a notice about one channel goes to all the others."""

    def __init__(self, outbox: AlertOutbox, workers: dict[str, ChannelWorker],
                 policy: DeliveryPolicy) -> None:
        self.outbox = outbox
        self.workers = workers
        self.policy = policy
        self.wake = {name: asyncio.Event() for name in workers}
        self.tasks: list[asyncio.Task[None]] = []
        self.closing = False
        self.totals = DeliveryReport()

    @classmethod
    def build(cls, client: aioredis.Redis, outbox: AlertOutbox, channels: dict[str, dict[str, Any]],
              policy: DeliveryPolicy, backoff: Backoff, down_after: int) -> DeliveryService:
        workers = {}
        for name, spec in channels.items():
            channel = build_channel(name, spec["url"])
            health = ChannelHealth(client, name, backoff, down_after, spec.get("rate"))
            renderer = Renderer(channel.scheme, spec.get("template"))
            workers[name] = ChannelWorker(channel, outbox, health, renderer, policy)
        return cls(outbox, workers, policy)

    def start(self) -> None:
        self.tasks = [asyncio.ensure_future(self._run(name)) for name in self.workers]

    def kick(self) -> None:
        """New alerts are queued: every channel looks now rather than at its next tick."""
        for event in self.wake.values():
            event.set()

    async def _run(self, name: str) -> None:
        worker, wake = self.workers[name], self.wake[name]
        while not self.closing:
            report = await self._cycle(worker)
            pause = max(0.05, min(self.policy.idle_seconds, report.wait or self.policy.idle_seconds))
            try:
                await asyncio.wait_for(wake.wait(), pause)
            except TimeoutError:
                pass
            wake.clear()

    async def _cycle(self, worker: ChannelWorker, force: bool = False) -> DeliveryReport:
        try:
            report = await worker.cycle(force=force)
        except Exception:  # Redis away or a bug: the outbox keeps every alert
            logger.exception("delivery to %s failed this cycle", worker.channel.name)
            return DeliveryReport(wait=self.policy.idle_seconds)
        self.totals.sent += report.sent
        self.totals.failed += report.failed
        self.totals.buried += report.buried
        for notice in report.notices:
            notice.channels = [n for n in self.workers if n != worker.channel.name]
            if notice.channels:
                await self.outbox.enqueue(notice, dedup=False)
                self.kick()
        return report

    async def close(self) -> None:
        """Let running cycles finish (no cancel: Apprise may swallow it), then one last try."""
        self.closing = True
        self.kick()
        await asyncio.gather(*self.tasks)
        await asyncio.gather(*(self._cycle(w, force=True) for w in self.workers.values()))
