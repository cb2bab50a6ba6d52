"""Prometheus metrics of this process (served at /metrics by the daemon)."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

POLLS = Counter("rasid_polls_total", "Polls of sources, by result", ["source", "result"])
# no source label: at 20,000 sources a per-source histogram would be 240,000 series
POLL_SECONDS = Histogram("rasid_poll_duration_seconds", "Time from poll start to last article",
                         buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300))
ARTICLES = Counter("rasid_articles_total", "Articles extracted and matched", ["source"])
MATCHES = Counter("rasid_matches_total", "Topic matches", ["topic"])
ALERTS = Counter("rasid_alerts_total", "Alert deliveries, by channel and result",
                 ["channel", "result"])
PENDING = Gauge("rasid_alerts_pending", "Alerts waiting for a channel", ["channel"])
LAST_SUCCESS = Gauge("rasid_source_last_success_timestamp_seconds",
                     "When a poll of the source last succeeded", ["source"])
REDIS_MEMORY = Gauge("rasid_redis_used_memory_bytes", "Memory used by Redis")
