"""Config loading: every example config loads, every broken one says exactly what is wrong."""
from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from apscheduler.triggers.cron import CronTrigger

from scheduler.config import Config, ConfigError, Source, TopicConfig, load_config
from scheduler.config.intervals import format_interval, parse_interval

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "data" / "configs"
CASES: dict[str, dict] = yaml.safe_load((CASES_DIR / "expected.yaml").read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "config").glob("*.yaml"))


def write(tmp_path: Path, *parts: str) -> Path:
    """Write a config from pieces, each dedented on its own."""
    path = tmp_path / "rasid.yaml"
    path.write_text("".join(textwrap.dedent(part) for part in parts), encoding="utf-8")
    return path


MINIMAL = """\
    sources:
      - name: bbc
        feed: https://example.org/rss.xml
"""


def test_every_case_file_has_expectations() -> None:
    files = {path.stem for path in CASES_DIR.glob("*.yaml")} - {"expected"}
    assert files == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES), ids=str)
def test_invalid_config(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = CASES[case]
    monkeypatch.delenv("REDIS_URL", raising=False)
    for name, value in (spec.get("env") or {}).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, str(value))
    path = CASES_DIR / f"{case}.yaml"
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.errors == [f"{path}:{line}" for line in spec["errors"]]
    assert str(raised.value) == "\n".join(raised.value.errors)
    for secret in spec.get("absent", []):
        assert secret not in str(raised.value)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_configs_load(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    config = load_config(path)
    assert config.path == path
    assert config.sources and config.topics
    assert {"console", "archive"} <= set(config.channels)
    for source in config.sources:
        kind, _args = source.trigger_args()
        assert kind in ("interval", "cron")


def test_example_configs_are_the_expected_ones() -> None:
    assert {path.name for path in EXAMPLES} >= {"rasid.yaml", "demo.yaml"}
    real = load_config(ROOT / "config" / "rasid.yaml")
    assert "https://feeds.bbci.co.uk/arabic/rss.xml" in {s.url for s in real.sources}
    assert all(300 <= _seconds(source) <= 900 for source in real.sources)
    assert real.channels["archive"].url == "jsonl://var/alerts.jsonl"
    demo = load_config(ROOT / "config" / "demo.yaml")
    assert demo.data_dir == Path("var/demo")
    assert [(s.url, s.interval_seconds) for s in demo.sources] == [
        ("http://127.0.0.1:8765/rss.xml", 3.0),
        ("http://127.0.0.1:8765/atom.xml", 5.0),
    ]
    assert [t.name for t in demo.topics] == ["isis-syria", "syria", "economy", "football"]


def _seconds(source: Source) -> float:
    if source.interval_seconds is not None:
        return source.interval_seconds
    trigger = source.trigger_args(timezone="UTC")[1]
    first = trigger.get_next_fire_time(None, datetime(2024, 1, 1, 12, 0, 30, tzinfo=UTC))
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
    return (second - first).total_seconds()


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    config = load_config(write(tmp_path, MINIMAL))
    assert config.data_dir == Path("var")  # relative: stays relative to the cwd
    assert config.output.seed_dir == Path("var/articles")
    assert config.redis.url == "" and config.redis_url == ""
    assert {n: c.url for n, c in config.channels.items()} == {"console": "console://"}
    assert config.topics == []
    source = config.source("bbc")
    assert (source.kind, source.url, source.every, source.cron) == (
        "feed", "https://example.org/rss.xml", "5m", None)
    assert source.trigger_args() == ("interval", {"seconds": 300.0})


def test_topic_notify_defaults_to_every_channel(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL, """\
    topics:
      - name: isis-syria
        keywords: ["داعش", "تنظيم الدولة"]
      - name: deir-ezzor
        keywords: ["دير الزور"]
        all: ["داعش"]
        exclude: ["كرة القدم"]
        notify: [archive]
    channels:
      console: console://
      archive: jsonl://var/alerts.jsonl
      hook: json://127.0.0.1:9000/hook
    """))
    first, second = config.topics
    assert isinstance(first, TopicConfig)
    assert first.notify == ["console", "archive", "hook"]
    assert (second.all, second.exclude, second.notify) == (["داعش"], ["كرة القدم"], ["archive"])


def test_source_kinds_and_triggers(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """\
    data_dir: /srv/rasid
    sources:
      - name: enab
        listing: https://www.enabbaladi.net/
        follow: "/archives/\\\\d+"
        every: 1h30m
      - name: un
        sitemap: https://news.un.org/sitemap.xml
        cron: "*/15 * * * *"
      - name: one-page
        page: https://example.org/story.html
        every: 30s
    """))
    enab, un, page = config.sources
    assert (enab.kind, enab.follow, enab.interval_seconds) == ("listing", "/archives/\\d+", 5400.0)
    assert un.kind == "sitemap" and un.interval_seconds is None and un.every is None
    kind, trigger = un.trigger_args()
    assert kind == "cron" and isinstance(trigger, CronTrigger)
    assert page.kind == "page" and page.interval_seconds == 30.0
    assert config.output.seed_dir == Path("/srv/rasid/articles")


def test_bare_number_interval_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, """\
    sources:
      - name: bbc
        feed: https://example.org/rss.xml
      - name: dw
        feed: https://example.org/dw.xml
        every: 30
    """)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.errors == [
        f"{path}:6: sources[1].every: bad interval '30': use 30s, 5m, 1h, 1d or combinations "
        "like 1h30m"
    ]


def test_source_lookup_unknown_name(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    with pytest.raises(KeyError, match="no source named 'dw'"):
        config.source("dw")


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "var/x"), ({"RASID_TEST_DIR": ""}, "var/x"), ({"RASID_TEST_DIR": "/data"}, "/data")],
    ids=["unset", "empty", "set"],
)
def test_env_substitution_with_default(
    env: dict[str, str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASID_TEST_DIR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = load_config(write(tmp_path, "data_dir: ${RASID_TEST_DIR:-var/x}\n", MINIMAL))
    assert config.data_dir == Path(expected)


def test_env_substitution_inside_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASID_TEST_HOOK", "s3cr3t")
    monkeypatch.setenv("RASID_TEST_HOST", "example.org")
    config = load_config(write(tmp_path, """\
    sources:
      - name: bbc
        feed: https://${RASID_TEST_HOST}/rss.xml
    channels:
      hook: json://127.0.0.1:9000/${RASID_TEST_HOOK}
    """))
    assert config.sources[0].url == "https://example.org/rss.xml"
    assert config.channels["hook"].url == "json://127.0.0.1:9000/s3cr3t"


@pytest.mark.parametrize(
    ("file_url", "env_url", "expected"),
    [
        ("", None, ""),
        ("redis://file:6379/0", None, "redis://file:6379/0"),
        ("redis://file:6379/0", "", "redis://file:6379/0"),
        ("redis://file:6379/0", "redis://env:6380/1", "redis://env:6380/1"),
        ("", "unix:///run/redis.sock", "unix:///run/redis.sock"),
    ],
    ids=["embedded", "file", "empty-env", "env-wins", "env-over-embedded"],
)
def test_redis_url_override(
    file_url: str, env_url: str | None, expected: str,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    if env_url is not None:
        monkeypatch.setenv("REDIS_URL", env_url)
    config = load_config(write(tmp_path, f'redis:\n  url: "{file_url}"\n', MINIMAL))
    assert config.redis.url == file_url
    assert config.redis_url == expected


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.errors == [f"{path}: cannot read: No such file or directory"]


def test_empty_file_asks_for_sources(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.errors == [f"{path}:1: sources: required"]


def test_models_build_in_code() -> None:
    config = Config(sources=[Source(name="bbc", feed="https://example.org/rss.xml")],
                    topics=[TopicConfig(name="t", keywords=["داعش"])])
    assert config.path is None
    assert config.topics[0].notify == ["console"]
    assert config.sources[0].every == "5m"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("5m", 300), ("1h", 3600), ("1d", 86400), ("1h30m", 5400),
     ("1d2h3m4s", 93784), ("1.5h", 5400), (" 2m 30s ", 150), ("0s", 0)],
)
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["5x", "", "30", "m", "30m1h", "5m5m", "-5m", "1 hour"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_interval(text)
    assert str(raised.value) == (
        f"bad interval {text!r}: use 30s, 5m, 1h, 1d or combinations like 1h30m"
    )


@pytest.mark.parametrize("text", ["30s", "5m", "1h30m", "1d1s", "0.5s"])
def test_format_interval_round_trips(text: str) -> None:
    assert format_interval(parse_interval(text)) == text
