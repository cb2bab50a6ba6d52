"""ChannelWorker: delivers one channel's queue on its own, with backoff, rate limit and digests."""
from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from crawler import metrics
from crawler.alerts.alert import Alert
from crawler.alerts.channels import Channel
from crawler.alerts.digest import INSTANT, due_at
from crawler.alerts.health import ChannelHealth
from crawler.alerts.outbox import AlertOutbox, Entry
from crawler.alerts.render import Message, Renderer

logger = logging.getLogger(__name__)


@dataclass
class DeliveryPolicy:
    """Settings every channel shares."""

    timezone: str = "UTC"
    dead_letter_after: float = 86_400.0
    send_timeout: float = 10.0
    idle_seconds: float = 10.0
    reclaim_ms: int = 300_000


@dataclass
class DeliveryReport:
    """What one delivery cycle of one channel did."""

    sent: int = 0
    failed: int = 0
    buried: int = 0
    wait: float = 0.0  # seconds the channel is backing off after this cycle
    notices: list[Alert] = field(default_factory=list)


class ChannelWorker:
    """A dead channel backs off alone: the others never wait for it."""

    def __init__(self, channel: Channel, outbox: AlertOutbox, health: ChannelHealth,
                 renderer: Renderer, policy: DeliveryPolicy) -> None:
        self.channel = channel
        self.outbox = outbox
        self.health = health
        self.renderer = renderer
        self.policy = policy
        self._lock = asyncio.Lock()

    async def cycle(self, force: bool = False) -> DeliveryReport:
        """Send what is due; `force` tries even a channel in backoff (once, at shutdown)."""
        report = DeliveryReport()
        async with self._lock:  # never two cycles of one channel: that could send twice
            health = await self.health.snapshot()  # one read: backoff, failing, last error
            report.wait = max(0.0, float(health.get("next_at") or 0) - time.time())
            if not force and report.wait > 0:
                return report
            entries = await self.outbox.due(self.channel.name, reclaim_ms=self.policy.reclaim_ms)
            if "failures" in health:  # only a failing channel's alerts can expire
                entries = await self._bury_expired(entries, health.get("last_error", ""), report)
            if await self._send_instant([e for e in entries if e.digest == INSTANT], report):
                await self._send_digests([e for e in entries if e.digest != INSTANT], report)
        return report

    async def _bury_expired(self, entries: list[Entry], error: str,
                            report: DeliveryReport) -> list[Entry]:
        live = []
        for entry in entries:
            due = due_at(entry.alert.created, entry.digest, self.policy.timezone)
            if time.time() - due > self.policy.dead_letter_after:
                logger.error("alert %s to %s failed for too long; moved to dead letters: %s",
                             entry.alert.id, self.channel.name, error)
                await self.outbox.bury(self.channel.name, entry, error)
                report.buried += 1
            else:
                live.append(entry)
        return live

    async def _send_instant(self, entries: list[Entry], report: DeliveryReport) -> bool:
        for entry in entries:
            if not await self.health.take_token():
                logger.info("channel %s: rate limit reached; %d alerts wait",
                            self.channel.name, len(entries))
                return False
            if not await self._send(self.renderer.alert(entry.alert), [entry.id], report):
                return False
        return True

    async def _send_digests(self, entries: list[Entry], report: DeliveryReport) -> None:
        now = time.time()
        by_spec: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            if due_at(entry.alert.created, entry.digest, self.policy.timezone) <= now:
                by_spec[entry.digest].append(entry)
        for group in by_spec.values():
            if not await self.health.take_token():
                return
            message = self.renderer.digest([e.alert for e in group])
            if not await self._send(message, [e.id for e in group], report):
                return

    async def _send(self, message: Message, entry_ids: list[str],
                    report: DeliveryReport) -> bool:
        error = await self._notify(message)
        metrics.ALERTS.labels(self.channel.name, "sent" if error is None else "failed").inc(
            len(entry_ids))
        await self.health.count("sent" if error is None else "failed", len(entry_ids))
        if error is None:
            await self.outbox.done(self.channel.name, *entry_ids)
            report.sent += len(entry_ids)
            if await self.health.succeeded():
                report.notices.append(self._notice("recovered"))
            return True
        report.failed += len(entry_ids)
        logger.warning("channel %s (%s): %s; will retry", self.channel.name,
                       self.channel.masked_url, error)
        report.wait = self.health.backoff.base  # at least; the next cycle reads the exact time
        if await self.health.failed(error):
            report.notices.append(self._notice("down", error))
        return False

    async def _notify(self, message: Message) -> str | None:
        """None when the channel accepted the message, else what went wrong."""
        try:
            ok = await asyncio.wait_for(self.channel.send(message), self.policy.send_timeout)
        except TimeoutError:
            return f"no answer within {self.policy.send_timeout:.0f}s"
        except Exception as exc:  # noqa: BLE001 - a channel's failure must never stop the others
            return f"{type(exc).__name__}: {exc}"
        return None if ok else "not accepted"

    def _notice(self, event: str, error: str = "") -> Alert:
        name = self.channel.name
        title = f"Rasid: channel {name} is {'down' if event == 'down' else 'back'}"
        text = (f"Alerts to {name} fail ({error}); they are kept and retried."
                if event == "down" else f"Alerts to {name} are delivered again.")
        return Alert.notice(title, text, channels=[])
