"""The benchmark table: one row per figure, with what it is compared with, the ratio and the target."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.table import Table


@dataclass
class Row:
    """One line of the table; ratio = value / baseline, target on that ratio (or on the value)."""

    section: str
    figure: str
    value: float | None
    unit: str = ""
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""  # shown where a baseline would be, for rows without one

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline


def _num(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def _get(data: dict[str, Any] | None, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def check(value: float | None, limit: float, at_most: bool = True) -> bool | None:
    if value is None or math.isnan(value):
        return None
    return value <= limit if at_most else value >= limit


def rows(r: dict[str, Any]) -> list[Row]:
    """The table's rows from the results (missing parts give n/a)."""
    out: list[Row] = []
    t = r.get("throughput")
    rate, ceiling = _get(t, "rasid_articles_per_s"), _get(t, "bare_pages_per_s")
    out.append(Row("1 throughput", "new articles/s, whole pipeline", rate, "/s", ceiling,
                   "bare Scrapy download", "≥ 0.5× ceiling",
                   check(rate / ceiling if rate and ceiling else None, 0.5, at_most=False)))
    out.append(Row("1 throughput", "CPU per new article", _get(t, "rasid_cpu_ms_per_article"), "ms",
                   _get(t, "bare_cpu_ms_per_page"), "bare Scrapy download"))
    p, b = r.get("polls"), r.get("baselines") or {}
    unchanged = _get(p, "unchanged", "total_ms")
    floor, urlwatch = _get(b, "floor", "cpu_ms"), _get(b, "urlwatch", "cpu_ms")
    out.append(Row("2 poll cost", "CPU per unchanged poll (304), Rasid + redis", unchanged, "ms",
                   floor, "urllib GET loop", "≤ 4× floor",
                   check(unchanged / floor if unchanged and floor else None, 4)))
    out.append(Row("2 poll cost", "  the same", unchanged, "ms", urlwatch, "urlwatch 2.29",
                   "≤ 1/3 urlwatch",
                   check(unchanged / urlwatch if unchanged and urlwatch else None, 1 / 3)))
    out.append(Row("2 poll cost", "  the same", unchanged, "ms", _get(b, "scrapy_crawl", "cpu_ms"),
                   "scrapy crawl per poll"))
    out.append(Row("2 poll cost", "  Rasid process alone", _get(p, "unchanged", "rasid_ms"), "ms",
                   floor, "urllib GET loop"))
    out.append(Row("2 poll cost", "CPU per changed feed of old items", _get(p, "changed_old_items",
                                                                             "total_ms"), "ms",
                   _get(b, "floor_changed", "cpu_ms"), "urllib GET loop (200)"))
    lat = r.get("latency")
    for case in ("light", "loaded"):
        n = _get(lat, case, "sources")
        for part, name in (("total", "publication → alert"), ("wait", "  waiting for the poll"),
                           ("own", "  Rasid's own work")):
            p50, p95, p99 = (_get(lat, case, f"{part}_p{q}_s") for q in (50, 95, 99))
            target = "p99 ≤ 1 s" if (case, part) == ("loaded", "own") else ""
            met = check(p99, 1.0) if target else None
            label = f"{name} p99, {n} sources every {_get(lat, 'interval')}"
            note = f"p50 {_num(p50, 's')} · p95 {_num(p95, 's')}"
            if part == "own":
                note += (f" (p50 fetch {_num(_get(lat, case, 'fetch_p50_s'), 's')}"
                         f" + process {_num(_get(lat, case, 'process_p50_s'), 's')})")
            out.append(Row("3 latency", label, p99, "s", target=target, met=met, note=note))
    s = r.get("scale")
    sustained = _get(s, "sources_under_50pct_cpu")
    out.append(Row("4 scale", "sources at 5 min under 50% of a core", sustained,
                   target="≥ 20,000", met=check(sustained, 20_000, False),
                   note="interpolated from the levels below"))
    for lv in _get(s, "levels") or []:
        out.append(Row("4 scale", f"  CPU at {lv['achieved_polls_per_s']:.0f} of "
                       f"{lv['offered_polls_per_s']:.0f} polls/s "
                       f"(≙ {lv['equivalent_sources_at_5min']:,} at 5 min)",
                       100 * lv["rasid_cpu"], "% core",
                       note=f"redis {100 * lv['redis_cpu']:.0f}% · polls lost {lv['lost_polls']}"))
    growth = _get(s, "rss_growth")
    out.append(Row("5 memory", f"daemon RSS growth over {_get(s, 'polls_for_memory')} polls",
                   None if growth is None else 100 * growth, "%", target="< 10%",
                   met=check(growth, 0.10),
                   note=f"{_num(_get(s, 'rss_start_mib'), 'MiB')} after start → "
                        f"{_num(_get(s, 'rss_after_mib'), 'MiB')} (with extraction workers)"))
    d = r.get("dedup")
    for name, value in (_get(d, "rasid_bytes") or {}).items():
        out.append(Row("5 memory", f"Redis B/article: {name.split(' (')[0]}", value, "B",
                       _get(d, "plain_set_bytes"), "SET of 40-hex", "≤ 32 B", check(value, 32)))
    total = _get(d, "rasid_total_bytes")
    out.append(Row("5 memory", "Redis B/article: the stores above", total, "B",
                   _get(d, "plain_set_bytes"), "SET of 40-hex", "≤ 32 B", check(total, 32)))
    e = r.get("extraction")
    lxml = _get(e, "lxml_ms")
    out.append(Row("6 extraction", "site-profile path, median per page", _get(e, "profile_ms"), "ms",
                   lxml, "lxml parse", "≤ 3× lxml",
                   check(_get(e, "profile_ms") / lxml if _get(e, "profile_ms") and lxml else None, 3)))
    out.append(Row("6 extraction", "generic path", _get(e, "generic_ms"), "ms", lxml, "lxml parse"))
    out.append(Row("6 extraction", "trafilatura default", _get(e, "trafilatura_ms"), "ms", lxml,
                   "lxml parse"))
    m = r.get("matching")
    out.append(Row("6 matching", "topic matching per article (50 topics)", _get(m, "rasid_ms"), "ms",
                   _get(m, "regex_ms"), "naive \\b regex"))
    return out


def show(table_rows: list[Row], title: str) -> None:
    table = Table(title=title, show_lines=False)
    for name, justify in (("", "left"), ("figure", "left"), ("Rasid", "right"),
                          ("compared with", "left"), ("", "right"), ("ratio", "right"),
                          ("target", "left"), ("", "left")):
        table.add_column(name, justify=justify)
    for row in table_rows:
        status = {True: "[green]met[/]", False: "[red]missed[/]", None: ""}[row.met]
        if row.target and row.met is None:
            status = "n/a"
        table.add_row(row.section, row.figure, _num(row.value, row.unit),
                      row.baseline_name or row.note,
                      _num(row.baseline, row.unit) if row.baseline_name else "",
                      _ratio(row.ratio), row.target, status)
    Console(width=190).print(table)


def _ratio(ratio: float | None) -> str:
    if ratio is None:
        return ""
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"1/{1 / ratio:,.0f}"


def as_json(table_rows: list[Row]) -> list[dict[str, Any]]:
    return [{**asdict(row), "ratio": row.ratio} for row in table_rows]
