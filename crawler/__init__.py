"""Rasid's Scrapy project: spiders fetch sources, pipelines turn pages into alerts."""
