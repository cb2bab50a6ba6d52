"""Rasid's own Scrapy signals."""
from __future__ import annotations

# Sent when a poll of a source has ended (feed and every article through the pipelines).
# Arguments: report (crawler.spiders.polls.PollReport).
poll_finished = object()

# Sent when the daemon reloaded its config. Arguments: settings (the new RASID_* values).
config_reloaded = object()
