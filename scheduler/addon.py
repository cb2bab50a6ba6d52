"""RasidConfigAddon: lets a plain `scrapy crawl rasid -s RASID_CONFIG=FILE` run from the YAML config."""
from __future__ import annotations

import atexit
import logging
import os
from typing import Any

from scheduler.config import load_config

logger = logging.getLogger(__name__)


class RasidConfigAddon:
    """Fills RASID_* settings from RASID_CONFIG (setting or env) unless the daemon already did."""

    def update_settings(self, settings: Any) -> None:
        if settings.get("RASID_REDIS_URL"):
            return  # the daemon built these settings itself
        path = settings.get("RASID_CONFIG") or os.environ.get("RASID_CONFIG")
        if not path:
            return
        from scheduler.crawl_settings import rasid_settings

        config = load_config(path)
        # "project": the same priority as the empty defaults in crawler/settings.py, so these win
        settings.setdict(rasid_settings(config, self._redis_url(config)), priority="project")

    def _redis_url(self, config: Any) -> str:
        if config.redis_url:
            return config.redis_url
        from scheduler.redis_server import EmbeddedRedis

        server = EmbeddedRedis(config.data_dir).start()
        atexit.register(server.stop)
        return server.url
