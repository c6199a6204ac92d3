"""scraper: fetch pages and turn them into articles (boilerplate removed)."""

from scraper.crawl import CrawlOptions, CrawlResult, Crawler, canonicalize_url, crawl
from scraper.frontier import FrontierStore, PageSink
from scraper.scope import Target, resolve_target
from scraper.encoding import decode_body
from scraper.errors import FetchError, InputError, ProfileError, VnnewsError
from scraper.fetch import USER_AGENT, FetchOptions, fetch
from scraper.html import parse_html, parse_page
from scraper.profiles import Profile, builtin_profiles, profile_for
from scraper.textdump import parse_text_dump
from scraper.types import Article, Block, Page
from scraper.warc import WarcWriter, read_pages

__all__ = [
    "USER_AGENT",
    "Article",
    "Block",
    "CrawlOptions",
    "CrawlResult",
    "Crawler",
    "FrontierStore",
    "PageSink",
    "Target",
    "FetchError",
    "FetchOptions",
    "InputError",
    "Page",
    "Profile",
    "ProfileError",
    "VnnewsError",
    "WarcWriter",
    "builtin_profiles",
    "canonicalize_url",
    "crawl",
    "decode_body",
    "fetch",
    "parse_html",
    "parse_page",
    "parse_text_dump",
    "profile_for",
    "read_pages",
    "resolve_target",
]
