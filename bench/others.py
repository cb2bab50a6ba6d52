"""The other issues' benchmarks, run as they are (bench/extraction.py, matching.py, dedup.py), folded in.

Each runs as a subprocess; its numbers are read from its JSON output or its printed lines. A
script that is missing, fails or prints something else gives None (shown as n/a).
"""
from __future__ import annotations

import json
import re
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from procs import BENCH, PYTHON, ROOT

TIMEOUT = 300
MATCH_SPEED = re.compile(r"rasid ([\d.]+) ms/article.*?naive \\b regex ([\d.]+) ms/article", re.S)
MATCH_QUALITY = re.compile(r"^rasid\s+([\d.]+)\s+([\d.]+)", re.M)
DEDUP_ROW = re.compile(r"^(plain SET.*?|rasid \w+.*?)\s{2,}([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", re.M)


def _script(name: str, *args: str, timeout: float = TIMEOUT) -> tuple[str | None, float]:
    path = BENCH / name
    if not path.exists():
        return None, 0.0
    started = time.monotonic()
    try:
        done = subprocess.run([PYTHON, str(path), *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - started
    return (done.stdout if done.returncode == 0 else None), time.monotonic() - started


def extraction(corpus: Path, work: Path) -> dict[str, Any] | None:
    """Median ms per page: Rasid's profile and generic paths, trafilatura, and the lxml parse."""
    out = work / "extraction.json"
    printed, seconds = _script("extraction.py", str(corpus), "--json", str(out))
    if printed is None or not out.exists():
        return None
    timing = json.loads(out.read_text("utf-8")).get("timing", {})

    def ms(*keys: str) -> float | None:
        return next((timing[k]["median_ms"] for k in keys if k in timing), None)

    result = {"profile_ms": ms("rasid/profile"), "generic_ms": ms("rasid/generic", "rasid/all"),
              "trafilatura_ms": ms("trafilatura/all"), "lxml_ms": ms("lxml/all", "lxml"),
              "seconds": round(seconds, 1)}
    if result["lxml_ms"] is None:
        result["lxml_ms"] = lxml_floor(corpus)
    return result


def lxml_floor(corpus: Path) -> float | None:
    """Median ms to parse each corpus page with lxml.html alone (the floor of any extraction)."""
    from lxml import html

    cases = corpus / "cases.jsonl"
    if not cases.exists():
        return None
    times = []
    for line in cases.read_text("utf-8").splitlines():
        if line.strip():
            body = (corpus / json.loads(line)["file"]).read_bytes()
            started = time.perf_counter()
            html.document_fromstring(body)
            times.append(1000 * (time.perf_counter() - started))
    return round(statistics.median(times), 2) if times else None


def matching(corpus: Path) -> dict[str, Any] | None:
    printed, seconds = _script("matching.py", "--corpus", str(corpus))
    if printed is None:
        return None
    speed, quality = MATCH_SPEED.search(printed), MATCH_QUALITY.search(printed)
    return {"rasid_ms": float(speed[1]) if speed else None,
            "regex_ms": float(speed[2]) if speed else None,
            "precision": float(quality[1]) if quality else None,
            "recall": float(quality[2]) if quality else None, "seconds": round(seconds, 1)}


def dedup_memory(entries: int = 1_000_000) -> dict[str, Any] | None:
    """Redis bytes per entry at `entries` (part 3 of bench/dedup.py; part 2 skipped: no corpus)."""
    printed, seconds = _script("dedup.py", str(ROOT / "bench" / "no-corpus"),
                               "--entries", str(entries), timeout=600)
    if printed is None:
        return None
    rows = {name.strip(): float(per_entry) for name, per_entry, _mib, _s in DEDUP_ROW.findall(printed)}
    plain = next((v for k, v in rows.items() if k.startswith("plain")), None)
    rasid = {k: v for k, v in rows.items() if k.startswith("rasid")}
    return {"entries": entries, "plain_set_bytes": plain, "rasid_bytes": rasid,
            "rasid_total_bytes": round(sum(rasid.values()), 1) if rasid else None,
            "seconds": round(seconds, 1)} if rows else None
