"""Digest schedules: when alerts held for `15m`, `hourly` or `daily@08:00` are due."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

INSTANT = "instant"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def due_at(created: float, spec: str, timezone: str = "UTC") -> float:
    """The end of the digest period an alert created at `created` belongs to (epoch seconds)."""
    if spec == INSTANT:
        return created
    if spec == "hourly":
        spec = "1h"
    daily = re.fullmatch(r"daily@(\d\d):(\d\d)", spec)
    if daily:
        return _next_daily(created, int(daily.group(1)), int(daily.group(2)), timezone)
    every = re.fullmatch(r"(\d+)([smhd])", spec)
    if not every:
        raise ValueError(f"bad digest {spec!r}")
    period = int(every.group(1)) * UNITS[every.group(2)]
    return (created // period + 1) * period  # periods aligned on the epoch (UTC)


def _next_daily(created: float, hour: int, minute: int, timezone: str) -> float:
    zone = ZoneInfo(timezone)
    moment = datetime.fromtimestamp(created, zone)
    target = moment.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= moment:
        target += timedelta(days=1)
    return target.timestamp()
