"""Alert channels, delivery and the HTTP server: their config sections."""
from __future__ import annotations

import logging
import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator, model_validator

from .intervals import parse_interval
from .section import Section

BUILTIN_SCHEMES: tuple[str, ...] = ("console", "jsonl")
DIGEST_PATTERN = re.compile(r"instant|hourly|\d+[smhd]|daily@([01]\d|2[0-3]):[0-5]\d")
RATE_PATTERN = re.compile(r"(\d+)\s*/\s*(s|sec|second|m|min|minute|h|hour)")


def _apprise_accepts(url: str) -> bool:
    """Ask Apprise about a URL with its logger muted, because it logs unmasked tokens."""
    import apprise  # slow to import; only configs with Apprise channels pay for it

    logger = logging.getLogger("apprise")
    was_disabled, logger.disabled = logger.disabled, True
    try:
        return apprise.Apprise.instantiate(url) is not None
    except Exception:  # noqa: BLE001 - any failure means Apprise cannot use it
        return False
    finally:
        logger.disabled = was_disabled


def _channel_url(value: str) -> str:
    """Accept console://, jsonl://PATH or any URL Apprise can send to; never echo the URL."""
    scheme, sep, rest = value.partition("://")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,31}", scheme):
        raise ValueError("must be a URL: console://, jsonl://PATH or an Apprise URL")
    scheme = scheme.lower()
    if scheme == "jsonl" and not rest.strip():
        raise ValueError("jsonl:// needs a file path, e.g. jsonl://var/alerts.jsonl")
    if scheme not in BUILTIN_SCHEMES and not _apprise_accepts(value):
        raise ValueError(f"not a valid Apprise URL (scheme {scheme!r})")
    return value


def _digest(value: str | None) -> str | None:
    if value is not None and not DIGEST_PATTERN.fullmatch(value):
        raise ValueError(f"bad digest {value!r}: use instant, 15m, hourly or daily@08:00")
    return value


def _rate(value: str | None) -> str | None:
    if value is not None and not RATE_PATTERN.fullmatch(value.strip()):
        raise ValueError(f"bad rate {value!r}: use N/min, N/hour or N/s (e.g. 20/min)")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {value!r} (e.g. UTC, Asia/Riyadh)") from None
    return value


def _duration(value: str) -> str:
    try:
        parse_interval(value)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    return value


ChannelName = Annotated[str, AfterValidator(lambda v: _name(v))]
ChannelUrl = Annotated[str, AfterValidator(_channel_url)]
Digest = Annotated[str | None, AfterValidator(_digest)]
Rate = Annotated[str | None, AfterValidator(_rate)]
Timezone = Annotated[str, AfterValidator(_timezone)]
Duration = Annotated[str, AfterValidator(_duration)]
Size = Annotated[str | int, AfterValidator(lambda v: _size(v))]


def _size(value: str | int) -> str | int:
    parse_size(value)
    return value


def parse_size(value: str | int) -> int:
    """Bytes from 500000, "500KB", "10MB"."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"(\d+)\s*(B|KB|MB|GB)?", value.strip(), re.IGNORECASE)
    if not match:
        raise ValueError(f"bad size {value!r}: use bytes or e.g. 500KB, 10MB")
    unit = (match.group(2) or "B").upper()
    return int(match.group(1)) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]


def _name(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9_-]+", value):
        raise ValueError("must match [a-z0-9_-]+ (lowercase letters, digits, dashes and underscores)")
    return value


class ChannelConfig(Section):
    """A channel: an Apprise URL plus how to send to it (digest, rate limit, template)."""

    url: ChannelUrl
    digest: Digest = None
    rate: Rate = None
    template: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_url(cls, data: Any) -> Any:
        if isinstance(data, str):  # the short form `name: URL`; errors name the channel itself
            return {"url": _channel_url(data)}
        return data


class AlertsConfig(Section):
    """Delivery policy shared by every channel."""

    timezone: Timezone = "UTC"
    retry_after: Duration = "30s"
    retry_max: Duration = "1h"
    dead_letter_after: Duration = "24h"
    down_after: int = Field(default=3, ge=1)
    ops: list[str] = Field(default_factory=list)
    source_down_after: int = Field(default=3, ge=1)


class HttpConfig(Section):
    """The daemon's HTTP server (Atom feeds); listen "" turns it off."""

    listen: str = "127.0.0.1:8077"

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        if value and not re.fullmatch(r"[\w.:\[\]-]*:\d{1,5}", value):
            raise ValueError('must be HOST:PORT (e.g. 127.0.0.1:8077) or "" for no server')
        return value

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]") or "127.0.0.1", int(port)



