"""Rasid's daemon: the clock, the crawl runner, the CLI."""
