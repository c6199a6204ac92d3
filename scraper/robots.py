"""robots.txt per host (protego), read once per host and kept in the frontier store so a
restarted crawl does not ask again.  A missing or unreadable robots.txt allows everything;
``Sitemap:`` lines feed discovery, ``Crawl-delay`` feeds politeness."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from protego import Protego

from scraper.encoding import decode_body
from scraper.errors import FetchError
from scraper.fetch import Response
from scraper.frontier import FrontierStore

log = logging.getLogger(__name__)


class RobotsCache:
    def __init__(self, store: FrontierStore, get: Callable[[str], Awaitable[Response]],
                 user_agent: str) -> None:
        self._store, self._get, self._ua = store, get, user_agent
        self._rules: dict[str, Protego] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules(self, scheme: str, host: str) -> Protego:
        if host in self._rules:
            return self._rules[host]
        async with self._locks.setdefault(host, asyncio.Lock()):  # one download per host
            return await self._load(scheme, host)

    async def _load(self, scheme: str, host: str) -> Protego:
        if host not in self._rules:
            text = self._store.robots(host)
            if text is None:
                text, keep = await self._download(f"{scheme}://{host}/robots.txt")
                if keep:  # a robots.txt or a 4xx: kept a day; a network or server error: asked again next run
                    self._store.save_robots(host, text)
            self._rules[host] = Protego.parse(text)
        return self._rules[host]

    async def _download(self, url: str) -> tuple[str, bool]:
        try:
            resp = await self._get(url)
        except FetchError as exc:
            log.info("no robots.txt at %s (%s): everything allowed", url, exc.reason)
            return "", exc.reason.startswith("http-4")
        if resp.status != 200:  # too many redirects, or a 304
            return "", False
        return decode_body(resp.body, resp.headers.get("content-type")), True

    def allowed(self, host: str, url: str) -> bool:
        rules = self._rules.get(host)
        return rules is None or rules.can_fetch(url, self._ua)

    def crawl_delay(self, host: str) -> float | None:
        rules = self._rules.get(host)
        delay = rules.crawl_delay(self._ua) if rules is not None else None
        return float(delay) if delay is not None else None

    def sitemaps(self, host: str) -> list[str]:
        rules = self._rules.get(host)
        return list(rules.sitemaps) if rules is not None else []
