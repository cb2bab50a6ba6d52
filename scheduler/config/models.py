"""The configuration's shape: pydantic models whose errors name the offending key."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from .channels import (
    AlertsConfig,
    ChannelConfig,
    ChannelName,
    Digest,
    Duration,
    HttpConfig,
    Size,
)
from .intervals import parse_interval
from .profiles import ProfileConfig
from .section import Problem, Section

KINDS: tuple[str, ...] = ("feed", "sitemap", "listing", "page")
Kind = Literal["feed", "sitemap", "listing", "page"]
DEFAULT_EVERY = "5m"
DEFAULT_CHANNELS: dict[str, str] = {"console": "console://"}
REDIS_SCHEMES: tuple[str, ...] = ("redis", "rediss", "unix")



def _matching(pattern: str, what: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"must match {pattern} ({what})")
        return value

    return AfterValidator(check)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// URL")
    return value


def _redis_url(value: str) -> str:
    if value and urlsplit(value).scheme not in REDIS_SCHEMES:
        raise ValueError(
            'must be "" (Rasid starts its own redis-server) or a redis://, rediss:// or unix:// URL'
        )
    return value


SourceName = Annotated[str, _matching(r"[a-z0-9-]+", "lowercase letters, digits and dashes")]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Phrase = Annotated[str, AfterValidator(_not_blank)]
RedisUrl = Annotated[str, AfterValidator(_redis_url)]


def _days(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of days, at least 1")
    return value


def _flag(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _on_update(value: Any) -> Any:
    if value not in ("ignore", "alert"):
        raise ValueError("must be ignore (an article changed in place does not alert again) or alert")
    return value


Days = Annotated[int, BeforeValidator(_days)]
Flag = Annotated[bool, BeforeValidator(_flag)]
OnUpdate = Annotated[Literal["ignore", "alert"], BeforeValidator(_on_update)]


def _match_term(value: str) -> str:
    """A keyword/all/exclude term the matcher can compile (a bad `regex:` is reported here)."""
    from crawler.match import compile_term

    compile_term(value)
    return value


def _match_field(value: Any) -> Any:
    from crawler.match import MATCH_FIELDS

    if value not in MATCH_FIELDS:
        raise ValueError(f"must be one of {', '.join(MATCH_FIELDS)}")
    return value


Term = Annotated[str, AfterValidator(_not_blank), AfterValidator(_match_term)]
MatchField = Annotated[str, BeforeValidator(_match_field)]
LangCode = Annotated[str, _matching(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", "a language code like ar or en-GB")]


class Source(Section):
    """One place to watch: a feed, sitemap, listing page or single page, and when to look."""

    name: SourceName
    feed: HttpUrl | None = None
    sitemap: HttpUrl | None = None
    listing: HttpUrl | None = None
    page: HttpUrl | None = None
    follow: str | None = None
    every: str | None = None
    cron: str | None = None
    expect_every: Duration | None = None
    delay: Duration | None = None
    concurrency: int | None = Field(default=None, ge=1)
    timeout: Duration | None = None
    max_size: Size | None = None
    robots: bool = True
    paginate: int = Field(default=0, ge=0)
    max_age: Duration | None = None

    @classmethod
    def cross_check(cls, data: dict[str, Any]) -> list[Problem]:
        given = {key for key, value in data.items() if value is not None}
        kinds = [kind for kind in KINDS if kind in given]
        problems: list[Problem] = []
        if not kinds:
            problems.append(((), f"needs one of {', '.join(KINDS)}"))
        elif len(kinds) > 1:
            found = ", ".join(kinds)
            problems.append(((kinds[1],), f"only one of {', '.join(KINDS)} (found {found})"))
        if "follow" in given and kinds and "listing" not in kinds:
            problems.append((("follow",), f"only allowed with listing (this source is a {kinds[0]})"))
        if "paginate" in given and kinds and "listing" not in kinds:
            problems.append((("paginate",), f"only allowed with listing (this source is a {kinds[0]})"))
        if "max_age" in given and kinds and "sitemap" not in kinds:
            problems.append((("max_age",), f"only allowed with sitemap (this source is a {kinds[0]})"))
        if "every" in given and "cron" in given:
            problems.append((("cron",), "not both every and cron: pick one"))
        return problems

    @field_validator("follow")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"bad regex: {exc}") from None
        return value

    @field_validator("every", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("every")
    @classmethod
    def _interval(cls, value: str | None) -> str | None:
        if value is not None and parse_interval(value) < 1:
            raise ValueError(f"interval {value!r} is too short: the minimum is 1s")
        return value

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                CronTrigger.from_crontab(value)
            except ValueError as exc:
                reason = str(exc)[:1].lower() + str(exc)[1:]
                raise ValueError(
                    f"bad cron expression: {reason} (fields: minute hour day month weekday)"
                ) from None
        return value

    @model_validator(mode="after")
    def _default_every(self) -> Source:
        if self.every is None and self.cron is None:
            self.every = DEFAULT_EVERY
        return self

    @property
    def kind(self) -> Kind:
        """Which of feed, sitemap, listing or page this source is."""
        return next(kind for kind in KINDS if getattr(self, kind) is not None)  # type: ignore[return-value]

    @property
    def url(self) -> str:
        """The URL of the feed, sitemap, listing or page."""
        return getattr(self, self.kind)

    @property
    def interval_seconds(self) -> float | None:
        """Seconds between crawls, or None when the source runs on a cron schedule."""
        return parse_interval(self.every) if self.every is not None else None

    def trigger_args(self, timezone: Any = None) -> tuple[str, Any]:
        """What APScheduler needs: ("interval", {"seconds": N}) or ("cron", CronTrigger)."""
        if self.cron is not None:
            return "cron", CronTrigger.from_crontab(self.cron, timezone=timezone)
        return "interval", {"seconds": self.interval_seconds}


class TopicConfig(Section):
    """A topic: which words make an article match, and which channels hear about it."""

    name: Phrase
    keywords: list[Term]
    all: list[Term] = Field(default_factory=list)
    exclude: list[Term] = Field(default_factory=list)
    fields: list[MatchField] = Field(default_factory=list)  # empty: every field
    lang: list[LangCode] = Field(default_factory=list)  # empty: every language
    notify: list[str] = Field(default_factory=list)
    digest: Digest = None
    on_update: OnUpdate = "ignore"

    @field_validator("keywords")
    @classmethod
    def _some_keywords(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("fields")
    @classmethod
    def _some_fields(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must name at least one field (leave it out for every field)")
        return value

    @field_validator("notify")
    @classmethod
    def _some_channels(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must name at least one channel (leave it out for every channel)")
        return value


class RedisConfig(Section):
    """Where Rasid keeps state: "" starts an embedded redis-server in data_dir."""

    url: RedisUrl = ""


class OutputConfig(Section):
    """Where written articles go; seed_dir defaults to <data_dir>/articles."""

    seed_dir: Path | None = None


class DedupConfig(Section):
    """How long each dedup decision is remembered, and whether copies on other sites are one story."""

    fetched_days: Days = 30
    seen_days: Days = 30
    alerted_days: Days = 30
    near_duplicates: Flag = True


class Config(Section):
    """Rasid's whole configuration; relative data_dir and seed_dir stay relative to the cwd."""

    hidden_keys: ClassVar[frozenset[str]] = frozenset({"path"})

    data_dir: Path = Path("var")
    redis: RedisConfig = Field(default_factory=RedisConfig)
    sources: list[Source]
    topics: list[TopicConfig] = Field(default_factory=list)
    channels: dict[ChannelName, ChannelConfig] = Field(
        default_factory=lambda: {n: ChannelConfig(url=u) for n, u in DEFAULT_CHANNELS.items()})
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    http: HttpConfig = Field(default_factory=HttpConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    profiles: list[ProfileConfig] = Field(default_factory=list)
    path: Path | None = None

    @classmethod
    def cross_check(cls, data: dict[str, Any]) -> list[Problem]:
        problems = _duplicates(data.get("sources"), "sources", "source")
        problems += _duplicates(data.get("topics"), "topics", "topic")
        problems += _duplicates(data.get("profiles"), "profiles", "profile")
        channels = data.get("channels", DEFAULT_CHANNELS)
        if isinstance(channels, dict):
            problems += _unknown_channels(data.get("topics"), list(channels))
        return problems

    @field_validator("sources")
    @classmethod
    def _some_sources(cls, value: list[Source]) -> list[Source]:
        if not value:
            raise ValueError("must list at least one source")
        return value

    @model_validator(mode="after")
    def _resolve_defaults(self) -> Config:
        for topic in self.topics:
            if "notify" not in topic.model_fields_set:
                topic.notify = list(self.channels)
        if self.output.seed_dir is None:
            self.output.seed_dir = self.data_dir / "articles"
        return self

    @property
    def redis_url(self) -> str:
        """The Redis to use: env REDIS_URL when set and non-empty, else redis.url ("" = embedded)."""
        return os.environ.get("REDIS_URL") or self.redis.url

    def source(self, name: str) -> Source:
        """The source called name; KeyError when there is none."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(f"no source named {name!r} (sources: {', '.join(self.source_names)})")

    @property
    def source_names(self) -> list[str]:
        """Names of all sources, in file order."""
        return [source.name for source in self.sources]


def _items(raw: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(raw, list):
        return []
    return [(i, item) for i, item in enumerate(raw) if isinstance(item, dict)]


def _duplicates(raw: Any, section: str, what: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, item in _items(raw):
        name = item.get("name")
        if isinstance(name, str) and name in seen:
            message = f"duplicate {what} name {name!r} (also {section}[{seen[name]}])"
            problems.append(((section, i, "name"), message))
        elif isinstance(name, str):
            seen[name] = i
    return problems


def _unknown_channels(raw_topics: Any, channels: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    for i, topic in _items(raw_topics):
        notify = topic.get("notify")
        for j, name in enumerate(notify if isinstance(notify, list) else []):
            if isinstance(name, str) and name not in channels:
                message = f"unknown channel {name!r} (channels: {', '.join(channels)})"
                problems.append((("topics", i, "notify", j), message))
    return problems
