"""Where Rasid's CPU goes: py-spy profiles of (a) polls of unchanged feeds, (a') changed feeds of
old items, and (b) new articles through the pipeline, as top functions with CPU ms per poll or article.

`python bench/profile.py [--corpus DIR] [--seconds 15]` (py-spy from the `bench` extra; it
needs ptrace rights, as root or with kernel.yama.ptrace_scope=0). Not part of `make bench`:
py-spy samples from outside, so the numbers are the daemon's own, but the run takes a minute or two.
Writes bench/profiles/*.txt (py-spy's collapsed stacks, for flamegraph.pl or speedscope).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from corpus import DEFAULT_CORPUS  # noqa: E402
from procs import PYTHON, Servers, cpu_seconds, feed_sources, rasid, wait_for, workdir, write_config  # noqa: E402

OUT = BENCH / "profiles"
OURS = ("crawler/", "scheduler/")
# frames every sample passes through, and waits that py-spy still counts as active
OUTER = ("scheduler/cli.py", "scheduler/reactor.py", "scheduler/daemon.py", "<module>")
WAITS = ("Condition.wait", "select (selectors.py", "_worker (concurrent", "Queue.get",
         "Connection._recv", "Connection._poll", "wait (threading.py")


def py_spy() -> str:
    found = shutil.which("py-spy", path=str(Path(PYTHON).parent)) or shutil.which("py-spy")
    if not found:
        sys.exit("py-spy is not installed: pip install -e '.[bench]'")
    return found


def stacks(path: Path, skip: str = "") -> list[tuple[list[str], int]]:
    """py-spy's collapsed stacks, less those with a frame containing `skip`."""
    out = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        if not frames or any(w in frames[-1] for w in WAITS):
            continue
        if not (skip and any(skip in f for f in frames)):
            out.append((frames, int(count)))
    return out


def summarise(samples: list[tuple[list[str], int]], unit_ms: float, units: str,
              top: int = 12) -> None:
    """Print the top functions by own time and by time including callees (ours only)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for frames, n in samples:
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    if not total:
        print("  no samples")
        return
    print(f"  {total} samples; CPU {unit_ms:.2f} ms per {units}")
    print("  own time:")
    for frame, n in own.most_common(top):
        print(f"    {100 * n / total:5.1f}%  {unit_ms * n / total:7.3f} ms  {frame}")
    print("  with callees (Rasid's code):")
    ours = [(f, n) for f, n in inclusive.most_common()
            if any(o in f for o in OURS) and not any(o in f for o in OUTER)]
    for frame, n in ours[:top]:
        print(f"    {100 * n / total:5.1f}%  {unit_ms * n / total:7.3f} ms  {frame}")


def record(pid: int, seconds: float, out: Path) -> None:
    subprocess.run([py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds)),
                    "--rate", "250", "--format", "raw", "--output", str(out), "--nonblocking",
                    "--subprocesses"],
                   check=True, capture_output=True)


def polls(corpus: Path, seconds: float, sources: int = 200) -> None:
    work = workdir("profile-polls")
    servers = Servers({"hosts": sources // 2, "groups": [
        {"prefix": "p", "count": sources, "items": 20, "shared": True}]}, corpus, work)
    names = [f"p-{i}" for i in range(sources)]
    daemon = rasid(work, "run", "-c", str(write_config(work, servers,
                                                        feed_sources(servers, names, "1s"))))
    try:
        wait_for(lambda: servers.control("stats")["feed_304"] >= 2 * sources, 120)
        for mode, title in ((None, "unchanged"), ("p-", "changed_old_items")):
            servers.control("mode", {"volatile": mode})
            time.sleep(2)
            before = (servers.control("stats"), cpu_seconds(daemon.pid))
            record(daemon.pid, seconds, OUT / f"{title}.txt")
            after = (servers.control("stats"), cpu_seconds(daemon.pid))
            count = sum(after[0][k] - before[0][k] for k in ("feed_200", "feed_304"))
            print(f"(a) {title}: {count} polls")
            summarise(stacks(OUT / f"{title}.txt"), 1000 * (after[1] - before[1]) / max(1, count), "poll")
    finally:
        daemon.stop()
        servers.close()


def articles(corpus: Path, sources: int = 20, items: int = 5) -> None:
    work = workdir("profile-articles")
    servers = Servers({"hosts": sources, "groups": [
        {"prefix": "n", "count": sources, "items": items}]}, corpus, work)
    try:
        config = write_config(work, servers, feed_sources(servers, [f"n-{i}" for i in range(
            sources)], "5m"))
        out = OUT / "articles.txt"
        subprocess.run([py_spy(), "record", "--rate", "250", "--format", "raw", "--subprocesses",
                        "--output", str(out), "--", PYTHON, "-m", "scheduler.cli", "once", "-c", str(config)],
                       check=True, capture_output=True)
        count = sources * items
        work_only = stacks(out, skip="_find_and_load")  # imports: start-up, not per article
        print(f"(b) new articles through the pipeline: {count} articles in one `rasid once`, "
              f"imports left out ({_sampled_ms(stacks(out)) - _sampled_ms(work_only):.0f} ms)")
        summarise(work_only, _sampled_ms(work_only) / count, "article")
    finally:
        servers.close()


def _sampled_ms(samples: list[tuple[list[str], int]], rate: int = 250) -> float:
    """CPU ms that the samples stand for (py-spy skips idle threads by default)."""
    return 1000 * sum(n for _frames, n in samples) / rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    polls(args.corpus, args.seconds)
    articles(args.corpus)


if __name__ == "__main__":
    main()
