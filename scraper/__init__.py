"""scraper: fetch pages and turn them into articles (boilerplate removed)."""

from scraper.errors import FetchError, InputError, ProfileError, VnnewsError
from scraper.types import Article, Block, Page

__all__ = [
    "Article",
    "Block",
    "FetchError",
    "InputError",
    "Page",
    "ProfileError",
    "VnnewsError",
]
