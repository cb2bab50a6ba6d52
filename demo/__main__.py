"""Run the demo news site: `python -m demo --port 8765 --every 4`."""
from __future__ import annotations

import argparse
import logging
import signal
import threading

from demo.site import NewsSite


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    parser.add_argument(
        "--every", type=float, default=4.0, help="publish an article every N seconds (0: never)"
    )
    parser.add_argument(
        "--published", type=int, default=3, help="articles already published at start"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each publication")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl-C or SIGTERM."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    with NewsSite(args.host, args.port, args.published, args.every or None) as site:
        print(f"Demo news site: {site.base_url}/", flush=True)
        print(f"RSS feed: {site.url('/rss.xml')}", flush=True)
        print(f"Atom feed: {site.url('/atom.xml')}", flush=True)
        print(f"Sitemap: {site.url('/sitemap.xml')}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        done.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
