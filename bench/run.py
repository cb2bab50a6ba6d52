"""Rasid's benchmarks: how fast it finds news, what each poll costs, beside the usual ways (issue 7).

`make bench` (or `.venv/bin/python bench/run.py`) serves a local replay site of real Arabic items
(../shared/corpus; the demo catalogue when absent) and a webhook receiver on 127.0.0.1, runs the
real `rasid` commands against them, prints one table and writes bench/results.json. Every figure
is a median of several runs and every ratio is measured in the same run. Never fails: a part that
cannot run is shown as n/a.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import baselines  # noqa: E402
import latency  # noqa: E402
import others  # noqa: E402
import poll_cost  # noqa: E402
import procs  # noqa: E402
import psutil  # noqa: E402
import report  # noqa: E402
import scale  # noqa: E402
import throughput  # noqa: E402
from corpus import DEFAULT_CORPUS, load_docs  # noqa: E402

SECTIONS = ("extraction", "matching", "dedup", "throughput", "polls", "latency", "scale")


def polls_and_baselines(corpus: Path) -> dict[str, Any]:
    """(2): Rasid's polls, then the baselines against the same (still running) site."""
    result, servers, config = poll_cost.run(corpus)
    out: dict[str, Any] = {"polls": result, "baselines": {}}
    try:
        names = [f"p-{i}" for i in range(result["sources"])]
        work = config.parent
        steps: dict[str, Callable[[], dict[str, Any]]] = {
            "floor": lambda: baselines.urllib_floor(servers, names, work),
            "urlwatch": lambda: baselines.urlwatch(servers, names, work),
            "scrapy_crawl": lambda: baselines.scrapy_per_poll(config, names[0]),
        }
        for name, step in steps.items():
            out["baselines"][name] = attempt(name, step)
        servers.control("mode", {"volatile": "p-"})
        out["baselines"]["floor_changed"] = attempt(
            "floor_changed", lambda: baselines.urllib_floor(servers, names, work, rounds=2))
    finally:
        servers.close()
    return out


def attempt(name: str, step: Callable[[], Any]) -> Any:
    started = time.monotonic()
    try:
        value = step()
    except Exception:  # noqa: BLE001 - a benchmark part that fails is reported as n/a
        print(f"bench: {name} failed:\n{traceback.format_exc()}", file=sys.stderr)
        return None
    print(f"bench: {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return value


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(
        psutil.virtual_memory().total / 2**30, 1), "python": platform.python_version(),
            "system": platform.platform(), "load_at_start": os.getloadavg()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the shared corpus folder (default ../shared/corpus)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated parts to run (default all: {','.join(SECTIONS)})")
    parser.add_argument("--json", type=Path, default=BENCH / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the logs and configs of the run")
    args = parser.parse_args()
    procs.WORK_ROOT = Path(tempfile.mkdtemp(prefix="rasid-bench-"))
    logging.basicConfig(level=logging.WARNING)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("RASID_CONFIG", None)
    wanted = set(args.only.split(","))
    _docs, origin = load_docs(args.corpus)
    started = time.monotonic()
    results: dict[str, Any] = {"machine": machine(), "corpus": origin}
    work = procs.workdir("others")
    parts: dict[str, Callable[[], Any]] = {
        "extraction": lambda: others.extraction(args.corpus, work),
        "matching": lambda: others.matching(args.corpus),
        "dedup": others.dedup_memory,
        "throughput": lambda: throughput.run(args.corpus),
        "polls": lambda: polls_and_baselines(args.corpus),
        "latency": lambda: latency.run(args.corpus),
        "scale": lambda: scale.run(args.corpus),
    }
    for name, part in parts.items():
        if name in wanted:
            value = attempt(name, part)
            if name == "polls" and value:
                results.update(value)
            else:
                results[name] = value
    results["seconds"] = round(time.monotonic() - started)
    failed = [name for name in parts if name in wanted and results.get(name) is None]
    if args.keep or failed:
        print(f"bench: logs and configs kept in {procs.WORK_ROOT}", file=sys.stderr)
    else:
        shutil.rmtree(procs.WORK_ROOT, ignore_errors=True)
    rows = report.rows(results)
    results["table"] = report.as_json(rows)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    report.show(rows, f"Rasid benchmarks ({results['machine']['cores']} cores, "
                f"{results['seconds']} s, items from {Path(origin).name})")
    print(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
