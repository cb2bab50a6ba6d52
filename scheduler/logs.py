"""Logging for the CLI: one readable line per event on stderr; Scrapy's chatter kept down."""
from __future__ import annotations

import logging

QUIET_LOGGERS = ("scrapy", "apprise", "apscheduler", "twisted", "trafilatura", "htmldate")


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level.upper() != "DEBUG":
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
