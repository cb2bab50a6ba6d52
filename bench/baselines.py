"""(2) The usual ways of polling the same feeds: a bare urllib loop, urlwatch 2.29, `scrapy crawl` per poll.

Each runs in its own process against the same replay site and feed URLs as Rasid; its CPU is
that process's (getrusage of the waited child). urlwatch is installed at run time into its own
venv under bench/.venvs/ (PyPI), as people install it to run from cron.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from procs import BENCH, PYTHON, ROOT, Servers, median

URLWATCH = "urlwatch==2.29"
URLWATCH_VENV = BENCH / ".venvs" / "urlwatch"


def child_cpu(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None,
              timeout: float = 120) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command; the CPU seconds it (and its children) used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


def urllib_floor(servers: Servers, names: list[str], work: Path, rounds: int = 5) -> dict[str, Any]:
    etags = servers.control("feeds", {"prefix": names[0].rsplit("-", 1)[0] + "-"})
    feeds = {etags[n]["url"]: etags[n]["etag"] for n in names}
    path = work / "floor.json"
    path.write_text(json.dumps(feeds))
    runs = []
    for _ in range(3):
        done = subprocess.run([PYTHON, str(BENCH / "urllib_floor.py"), str(path), str(rounds)],
                              capture_output=True, text=True, check=True, timeout=120)
        runs.append(json.loads(done.stdout))
    return {"cpu_ms": round(median(r["cpu_ms_per_get"] for r in runs), 3), "runs": len(runs),
            "gets_per_run": runs[0]["gets"], "statuses": runs[-1]["statuses"]}


def ensure_urlwatch() -> Path | None:
    """urlwatch 2.29 in its own venv (installed once, kept); None when it cannot be installed."""
    binary = URLWATCH_VENV / "bin" / "urlwatch"
    if binary.exists():
        return binary
    try:
        subprocess.run([sys.executable, "-m", "venv", str(URLWATCH_VENV)], check=True)
        subprocess.run([str(URLWATCH_VENV / "bin" / "pip"), "install", "--quiet", URLWATCH],
                       check=True, capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"urlwatch: could not install {URLWATCH}: {exc}", file=sys.stderr)
        return None
    return binary if binary.exists() else None


def urlwatch(servers: Servers, names: list[str], work: Path, runs: int = 3) -> dict[str, Any]:
    """CPU per URL of `urlwatch` runs over the same feed URLs (conditional GETs after the first)."""
    binary = ensure_urlwatch()
    if binary is None:
        return {"error": f"{URLWATCH} not installed"}
    home = work / "urlwatch"
    home.mkdir(exist_ok=True)
    jobs = [{"name": n, "url": servers.feed_url(n)} for n in names]
    (home / "urls.yaml").write_text(yaml.safe_dump_all(jobs))
    args = [str(binary), "--urls", str(home / "urls.yaml"), "--config", str(home / "config.yaml"),
            "--cache", str(home / "cache.db"), "--hooks", str(home / "hooks.py")]
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    child_cpu(args, home, env)  # first run: fills its cache (content and ETags)
    cpus = [child_cpu(args, home, env)[0] for _ in range(runs)]
    one = [child_cpu([*args, "1"], home, env)[0] for _ in range(runs)]  # start-up: a single job
    per_url = median(cpus) / len(names)
    marginal = (median(cpus) - median(one)) / max(1, len(names) - 1)
    return {"cpu_ms": round(1000 * per_url, 3), "marginal_cpu_ms": round(1000 * marginal, 3),
            "startup_cpu_ms": round(1000 * median(one), 1), "urls": len(names), "runs": runs}


def scrapy_per_poll(config: Path, name: str, runs: int = 3) -> dict[str, Any]:
    """`scrapy crawl rasid -a sources=NAME` as a new process per poll (the Scrapyd model)."""
    args = [str(Path(PYTHON).parent / "scrapy"), "crawl", "rasid", "-s", f"RASID_CONFIG={config}",
            "-a", f"sources={name}", "-s", "LOG_LEVEL=WARNING"]
    cpus, walls = [], []
    for _ in range(runs):
        started = time.monotonic()
        cpu, done = child_cpu(args)
        walls.append(time.monotonic() - started)
        if done.returncode != 0:
            return {"error": f"exit {done.returncode}: {done.stderr[-300:]}"}
        cpus.append(cpu)
    return {"cpu_ms": round(1000 * median(cpus), 1), "wall_s": round(median(walls), 2),
            "runs": runs}
