"""The `dedup:` config section and `on_update`, down to the crawl's RASID_* settings."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scheduler.config import ConfigError, load_config
from scheduler.crawl_settings import rasid_settings

BASE = """\
sources:
  - name: bbc
    feed: https://example.org/rss.xml
topics:
  - name: isis
    keywords: [داعش]
"""
DAYS = "must be a whole number of days, at least 1"


def _load(tmp_path: Path, extra: str) -> object:
    path = tmp_path / "rasid.yaml"
    path.write_text(BASE + textwrap.dedent(extra), encoding="utf-8")
    return load_config(path)


def test_defaults_are_thirty_days_and_near_duplicates_on(tmp_path):
    settings = rasid_settings(_load(tmp_path, ""), "redis://x")
    assert {k: settings[k] for k in settings if k.startswith(("RASID_FETCHED", "RASID_SEEN",
            "RASID_ALERTED", "RASID_NEAR", "RASID_UPDATE"))} == {
        "RASID_FETCHED_DAYS": 30, "RASID_SEEN_DAYS": 30, "RASID_ALERTED_DAYS": 30,
        "RASID_NEAR_DUPLICATES": True, "RASID_UPDATE_ALERT_TOPICS": []}


def test_values_reach_the_crawl(tmp_path):
    config = _load(tmp_path, """\
        dedup: {fetched_days: 7, seen_days: 14, alerted_days: 90, near_duplicates: false}
        """)
    settings = rasid_settings(config, "redis://x")
    assert (settings["RASID_FETCHED_DAYS"], settings["RASID_SEEN_DAYS"],
            settings["RASID_ALERTED_DAYS"]) == (7, 14, 90)
    assert settings["RASID_NEAR_DUPLICATES"] is False


def test_on_update_is_read_from_the_topic(tmp_path):
    path = tmp_path / "rasid.yaml"
    path.write_text(BASE + "    on_update: alert\n", encoding="utf-8")
    assert rasid_settings(load_config(path), "redis://x")["RASID_UPDATE_ALERT_TOPICS"] == ["isis"]


@pytest.mark.parametrize(("extra", "line", "message"), [
    ("dedup: {fetched_days: 0}\n", 7, f"dedup.fetched_days: {DAYS}"),
    ("dedup: {seen_days: 1.5}\n", 7, f"dedup.seen_days: {DAYS}"),
    ("dedup: {alerted_days: '30'}\n", 7, f"dedup.alerted_days: {DAYS}"),
    ("dedup: {near_duplicates: sometimes}\n", 7, "dedup.near_duplicates: must be true or false"),
    ("dedup: {stories_days: 3}\n", 7, "dedup.stories_days: unknown key 'stories_days' (allowed: "
     "fetched_days, seen_days, alerted_days, near_duplicates)"),
    ("    on_update: always\n", 7, "topics[0].on_update: must be ignore"),
], ids=["zero", "fraction", "text", "not-a-flag", "unknown-key", "on-update"])
def test_errors_name_the_file_line_and_key(tmp_path, extra, line, message):
    path = tmp_path / "rasid.yaml"
    path.write_text(BASE + extra, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert any(e.startswith(f"{path}:{line}: {message}") for e in raised.value.errors), \
        raised.value.errors
