"""ConfigReloader: re-reads the config on SIGHUP or when the file changes; bad configs are refused."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from scheduler.config import Config, ConfigError, load_config

logger = logging.getLogger(__name__)
RESTART_ONLY = ("data_dir", "redis", "http")


class ConfigReloader:
    """Applies a valid new config through `apply`; an invalid one is logged and ignored."""

    def __init__(self, config: Config, apply: Callable[[Config], Awaitable[None]],
                 watch_seconds: float = 2.0) -> None:
        self.config = config
        self.apply = apply
        self.watch_seconds = watch_seconds
        self.path = Path(config.path) if config.path else None
        self._mtime = self._stat()
        self._lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None

    def _stat(self) -> float:
        try:
            return self.path.stat().st_mtime if self.path else 0.0
        except OSError:
            return 0.0

    def start(self) -> None:
        if self.path is not None and self.watch_seconds > 0:
            self.task = asyncio.ensure_future(self._watch())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.watch_seconds)
            mtime = self._stat()
            if mtime and mtime != self._mtime:
                self._mtime = mtime
                await self.reload("the config file changed")

    async def reload(self, why: str) -> bool:
        """True when the new config was applied."""
        async with self._lock:
            if self.path is None:
                return False
            try:
                new = load_config(self.path)
            except ConfigError as exc:
                logger.error("config reload (%s) refused; still running the old config:\n%s",
                             why, exc)
                return False
            for section in RESTART_ONLY:
                if getattr(new, section) != getattr(self.config, section):
                    logger.warning("config reload: %s changed; that takes a restart", section)
            await self.apply(new)
            self.config = new
            logger.info("config reloaded (%s): %d sources, %d topics, %d channels", why,
                        len(new.sources), len(new.topics), len(new.channels))
            return True
