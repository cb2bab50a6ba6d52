"""AlertDeliverer: sends outbox entries to their channels, each channel on its own."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from crawler.alerts.alert import Alert
from crawler.alerts.channels import Channel
from crawler.alerts.outbox import AlertOutbox
from crawler.alerts.render import render_body, render_title

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one delivery cycle did."""

    sent: int = 0
    failed: int = 0
    completed: int = 0


class AlertDeliverer:
    """Delivers pending alerts; a failed channel keeps the entry pending for the next cycle."""

    def __init__(self, outbox: AlertOutbox, channels: dict[str, Channel],
                 send_timeout: float = 30.0) -> None:
        self.outbox = outbox
        self.channels = channels
        self.send_timeout = send_timeout
        self._lock = asyncio.Lock()

    async def deliver_pending(self) -> DeliveryReport:
        report = DeliveryReport()
        async with self._lock:  # one cycle at a time, or a channel could get an alert twice
            for entry_id, alert in await self.outbox.pending():
                await self._deliver(entry_id, alert, report)
        return report

    async def _deliver(self, entry_id: str, alert: Alert, report: DeliveryReport) -> None:
        already = await self.outbox.sent_channels(entry_id)
        todo = [c for c in alert.channels if c not in already]
        results = await asyncio.gather(*(self._send(alert, name) for name in todo))
        for name, ok in zip(todo, results, strict=True):
            if ok:
                await self.outbox.mark_sent(entry_id, name)
                report.sent += 1
            else:
                report.failed += 1
        if all(results):
            await self.outbox.done(entry_id)
            report.completed += 1

    async def _send(self, alert: Alert, name: str) -> bool:
        channel = self.channels.get(name)
        if channel is None:
            logger.warning("alert %s: channel %r is no longer configured; skipping it",
                           alert.id, name)
            return True
        try:
            ok = await asyncio.wait_for(
                channel.send(render_title(alert), render_body(alert, channel.scheme)),
                self.send_timeout)
        except Exception as exc:  # noqa: BLE001 - a channel's failure must never stop the others
            logger.warning("alert %s to %s (%s) failed: %s", alert.id, name,
                           channel.masked_url, exc)
            return False
        if not ok:
            logger.warning("alert %s to %s (%s) was not accepted; will retry",
                           alert.id, name, channel.masked_url)
        return ok
