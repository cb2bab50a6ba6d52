"""Intervals written the short way: 30s, 5m, 1h, 1d, or combined like 1h30m."""
from __future__ import annotations

import re

UNITS: dict[str, int] = {"d": 86400, "h": 3600, "m": 60, "s": 1}

# Units in falling order, each at most once: "1h30m" yes, "30m1h" or "5m5m" no.
_INTERVAL = re.compile(
    r"(?:(?P<d>\d+(?:\.\d+)?)d)?(?:(?P<h>\d+(?:\.\d+)?)h)?"
    r"(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?"
)


def parse_interval(text: str) -> float:
    """Return the seconds in an interval such as "30s", "5m" or "1h30m"."""
    compact = str(text).strip().lower().replace(" ", "")
    match = _INTERVAL.fullmatch(compact)
    if not compact or match is None:
        raise ValueError(
            f"bad interval {str(text)!r}: use 30s, 5m, 1h, 1d or combinations like 1h30m"
        )
    return float(sum(float(n) * UNITS[u] for u, n in match.groupdict().items() if n))


def format_interval(seconds: float) -> str:
    """Write seconds back the short way: 5400 -> "1h30m"; fractions of a second are kept."""
    whole, fraction = divmod(seconds, 1)
    parts: list[str] = []
    rest = int(whole)
    for unit in "dhm":
        count, rest = divmod(rest, UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    secs = rest + fraction
    if secs or not parts:
        parts.append(f"{secs:g}s")
    return "".join(parts)
