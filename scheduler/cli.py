"""The `rasid` command: run, once, check-config, extract, match."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.config import Config, ConfigError, load_config
from scheduler.logs import setup_logging
from scheduler.pidfile import pidfile

if TYPE_CHECKING:
    from crawler.extract import Profiles

EXIT_CONFIG = 2


def _config_path() -> str:
    return os.environ.get("RASID_CONFIG") or "config/rasid.yaml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rasid", description="Rasid (راصد): watch news "
                                     "sources, match topics, send alerts.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-c", "--config", default=_config_path(),
                        help="YAML config (default: $RASID_CONFIG or config/rasid.yaml)")
    common.add_argument("--log-level", default="INFO",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    common.add_argument("--log-format", default="text", choices=["text", "json"],
                        help="json: one JSON object per line, for log shippers")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", parents=[common], help="run the daemon until SIGTERM/Ctrl-C")
    run.add_argument("--pidfile", help="write the process id here (refuses to start twice)")
    status = sub.add_parser("status", parents=[common],
                            help="per source and channel: last poll, results, pending alerts")
    status.add_argument("--json", action="store_true", help="print JSON for scripts")
    once = sub.add_parser("once", parents=[common],
                          help="poll each source once, deliver alerts, exit (1 if a source failed)")
    once.add_argument("--source", action="append", default=[], metavar="NAME",
                      help="poll only this source (repeatable)")
    sub.add_parser("check-config", parents=[common],
                   help="validate the config; exit 2 with FILE:LINE: key: error lines")
    extract = sub.add_parser("extract", parents=[common], help="parse one page into seed fields")
    extract.add_argument("page", metavar="FILE_OR_URL", nargs="?")
    extract.add_argument("--url", help="the page's URL when reading a file")
    extract.add_argument("--format", choices=["json", "seed"], help="default json")
    extract.add_argument("--explain", action="store_true",
                         help="which layer (profile, json-ld, opengraph, dom...) gave each field")
    extract.add_argument("--input-list", metavar="LIST",
                         help="a file of FILE<TAB>URL lines: one JSON object per line, in order")
    test_alert = sub.add_parser("test-alert", parents=[common],
                                help="send a sample alert to each channel and report the result")
    test_alert.add_argument("--channel", action="append", default=[], metavar="NAME",
                            help="only this channel (repeatable)")
    alerts = sub.add_parser("alerts", parents=[common],
                            help="pending alerts per channel; dead letters (--failed, --retry)")
    alerts.add_argument("--failed", action="store_true", help="list the dead letters")
    alerts.add_argument("--retry", action="store_true",
                        help="requeue every dead letter on its channel")
    match = sub.add_parser("match", parents=[common],
                           help="which topics an article (seed .txt or JSON) matches, and why")
    match.add_argument("articles", nargs="+", metavar="ARTICLE")
    match.add_argument("--json", action="store_true", help="print one JSON array")
    return parser


def _load(path: str) -> Config:
    try:
        return load_config(path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def _profiles(path: str) -> Profiles | None:
    """The built-in site profiles and the config's own, when there is a config file."""
    from crawler.extract import Profiles
    return Profiles.with_builtins(_load(path).profiles) if Path(path).is_file() else None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.log_level, args.log_format)
    if args.command == "check-config":
        config = _load(args.config)
        print(f"{args.config}: ok ({len(config.sources)} sources, {len(config.topics)} topics, "
              f"{len(config.channels)} channels)")
        return 0
    if args.command == "extract":
        from scheduler.commands import extract_command
        if (args.page is None) == (args.input_list is None):
            _parser().error("extract: give FILE_OR_URL or --input-list LIST")
        return extract_command(args.page, args.url, args.format, args.explain, args.input_list,
                               _profiles(args.config))
    config = _load(args.config)
    if args.command == "match":
        from scheduler.commands import match_command
        return match_command(config, args.articles, args.json)
    if args.command == "test-alert":
        from scheduler.alert_commands import test_alert_command
        return test_alert_command(config, args.channel)
    if args.command == "status":
        from scheduler.status import status_command
        return status_command(config, args.json)
    if args.command == "alerts":
        from scheduler.alert_commands import alerts_command
        return alerts_command(config, args.failed, args.retry)
    from scheduler.daemon import Daemon
    if args.command == "once":
        unknown = [n for n in args.source if n not in config.source_names]
        if unknown:
            print(f"unknown source(s): {', '.join(unknown)} "
                  f"(configured: {', '.join(config.source_names)})", file=sys.stderr)
            return EXIT_CONFIG
        return Daemon(config).once(args.source)
    with pidfile(args.pidfile):
        return Daemon(config).run()


if __name__ == "__main__":
    sys.exit(main())
