"""Scrapy settings for Rasid's crawl; the daemon adds RASID_* settings from the YAML config."""
from __future__ import annotations

BOT_NAME = "rasid"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
USER_AGENT = "Rasid/0.1 (news monitor; +https://github.com/rasid-news/rasid)"
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19+ would run code sent over HTTP: not in a daemon
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Politeness by default; a source may override delay, concurrency, timeout, size, robots.txt.
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
RETRY_TIMES = 1
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "crawler.pipelines.match.TopicMatchPipeline": 300,
    "crawler.pipelines.story.StoryPipeline": 350,
    "crawler.pipelines.seed_writer.SeedWriterPipeline": 400,
    "crawler.pipelines.alert.AlertPipeline": 500,
    "crawler.pipelines.seen.SeenPipeline": 900,
}
# Per-request work Rasid does not need: every poll pays for each middleware it passes.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
}
EXTENSIONS = {
    "scrapy.extensions.memusage.MemoryUsage": None,
    "scrapy.extensions.feedexport.FeedExporter": None,
    "crawler.extensions.poll_intake.PollIntake": 500,
    "crawler.extensions.alert_delivery.AlertDelivery": 510,
    "crawler.extensions.source_health.SourceHealth": 520,
    "crawler.extensions.progress.Progress": 530,
    "crawler.extensions.redis_close.RedisClose": 900,
}
# `scrapy crawl rasid -s RASID_CONFIG=config/rasid.yaml -a sources=NAME` reads the YAML config.
ADDONS = {"scheduler.addon.RasidConfigAddon": 0}

# Filled from the YAML config by the daemon (or by the add-on above).
RASID_CONFIG = ""
RASID_REDIS_URL = ""
RASID_SOURCES: list[dict[str, object]] = []
RASID_TOPICS: list[dict[str, object]] = []
RASID_CHANNELS: dict[str, str] = {}
RASID_SEED_DIR = ""
RASID_CONSUMER = "rasid"
RASID_POLL_INTAKE = False
RASID_DELIVERY_INTERVAL = 10.0
# Page extraction (crawler.extract.pool): worker processes (None: min(2, CPUs); 0: in the crawl's
# thread, for debugging), seconds per page, and site profiles from the config's `profiles:`.
RASID_EXTRACT_WORKERS: int | None = None
RASID_EXTRACT_TIMEOUT = 20.0
RASID_PROFILES: list[dict[str, object]] = []
# dedup: retention of each decision, in days, and near-duplicate story detection
RASID_FETCHED_DAYS = 30
RASID_SEEN_DAYS = 30
RASID_ALERTED_DAYS = 30
RASID_NEAR_DUPLICATES = True
RASID_UPDATE_ALERT_TOPICS: list[str] = []  # topics with `on_update: alert`
