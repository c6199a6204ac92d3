"""The crawler against the fixture network (three sites, three ports, > 200 pages), into a
real corpus: what the servers saw (order, spacing, paths) and what was stored."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date

import pytest

from corpus.frontier import SqliteFrontier
from corpus.pipeline import CorpusSink, CrawlSummary
from corpus.store import Corpus
from scraper.crawl import CrawlOptions, Crawler, CrawlResult
from scraper.fetch import FetchOptions
from scraper.politeness import RetryPolicy
from scraper.profiles import profile_from_dict
from scraper.scope import Target
from tests.scraper import network as fx

NEWS_PROFILE = profile_from_dict(tomllib.loads(r'''
name = "fixture-news"
[discovery]
listing_pages = ["/thoi-su"]
article_url_pattern = '/\d{6}/[^/]+-[0-9a-f]{6,8}/?$'
pagination = "{listing}?page={n}"
cms_list_path = "/sc_service/api/article/list"
cms_list_units = ["1"]
cms_page_size = 10
follow_links = false
'''))
FEEDS_PROFILE = profile_from_dict(tomllib.loads(r'''
name = "fixture-feeds"
[discovery]
feeds = ["/rss.xml", "/atom.xml"]
article_url_pattern = '^/y-te/\d{6}/'
follow_links = false
'''))
DELAY = 0.05
OPTIONS = CrawlOptions(max_pages=None, delay=DELAY, retry=RetryPolicy(base=0.05),
                       fetch=FetchOptions(timeout=0.5, total_timeout=3))


def targets(net: fx.Network, sites: tuple[str, ...] = ("news", "plain", "feeds")) -> list[Target]:
    profiles = {"news": NEWS_PROFILE, "feeds": FEEDS_PROFILE}
    return [Target(net.base(s) + "/", profiles[s]) if s in profiles else Target(net.base(s) + "/")
            for s in sites]


def crawl_into(db: str, net: fx.Network, options: CrawlOptions = OPTIONS,
               sites: tuple[str, ...] = ("news", "plain", "feeds")) -> tuple[CrawlResult, CrawlSummary]:
    import asyncio

    summary = CrawlSummary()
    with Corpus(db) as corpus:
        sink = CorpusSink(corpus, summary)
        result = asyncio.run(Crawler(targets(net, sites), SqliteFrontier(corpus, sink.write), sink, options).run())
    return result, summary


@pytest.fixture(scope="module")
def net():
    network, servers = fx.start_network()
    yield network
    fx.stop_network(network, servers)


@pytest.fixture(scope="module")
def first_crawl(net, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("net") / "corpus.db")
    net.reset()
    result, summary = crawl_into(db, net)
    return db, result, summary, list(net.hits)


def _stored_urls(db: str) -> list[str]:
    with Corpus(db) as corpus:
        return [r[0] for r in corpus.conn.execute("SELECT url FROM articles")]


def test_every_article_of_every_site_is_stored_once(net, first_crawl) -> None:
    db, result, summary, hits = first_crawl
    urls = _stored_urls(db)
    by_port = Counter(u.split("/")[2] for u in urls)
    assert by_port[f"127.0.0.1:{net.ports['news']}"] == fx.NEWS_ARTICLES
    # 60 articles + /flaky + /limited + /cp1258 (the /print/0 copy is a duplicate of /tin/0.html)
    assert by_port[f"127.0.0.1:{net.ports['plain']}"] == fx.PLAIN_ARTICLES + 3
    assert by_port[f"127.0.0.1:{net.ports['feeds']}"] == fx.FEED_ARTICLES
    assert len(urls) == len(set(urls)) and sum(by_port.values()) >= 200
    assert summary.articles_added == len(urls)


def test_no_page_is_requested_twice_except_retries(first_crawl) -> None:
    _, _, _, hits = first_crawl
    counts = Counter((h.port, h.path.split("?utm")[0]) for h in hits)
    repeated = {path: n for (_, path), n in counts.items() if n > 1}
    assert repeated == {"/flaky": 3, "/limited": 2, "/hang": 3}
    assert not any("utm_" in h.path or "fbclid" in h.path for h in hits)


def test_robots_first_disallow_obeyed_private_links_refused(net, first_crawl) -> None:
    _, result, _, hits = first_crawl
    for site in net.ports:
        assert [h.path for h in hits if h.port == net.ports[site]][0] == "/robots.txt"
    assert not any(h.path.startswith(("/admin", "/private")) for h in hits)
    assert (net.base("plain") + "/admin/login", "robots") in result.skipped
    refused = {url for url, reason in result.refused if reason == "private-address"}
    # same site (127.0.0.1), another port that no start URL named: refused, not just out of scope
    assert {"http://127.0.0.1:9/private", "http://127.0.0.1:9/admin"} <= refused


def test_spacing_per_host_is_at_least_the_delay(net, first_crawl) -> None:
    _, _, _, hits = first_crawl
    crawl_delay = {"news": 0.1}  # the news site's robots.txt asks for 0.1 s
    for site, port in net.ports.items():
        times = [h.at for h in hits if h.port == port]
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= crawl_delay.get(site, DELAY), site
    # the hosts ran in parallel: the whole crawl took far less than the sum of the gaps
    all_times = sorted(h.at for h in hits)
    assert all_times[-1] - all_times[0] < 0.8 * sum(crawl_delay.get(s, DELAY) * len(net.paths(s)) for s in net.ports)


def test_retry_after_and_recovering_500s(net, first_crawl) -> None:
    _, result, _, hits = first_crawl
    limited = [h.at for h in hits if h.path == "/limited"]
    assert limited[1] - limited[0] >= 1.0  # Retry-After: 1
    flaky = [h.at for h in hits if h.path == "/flaky"]
    assert len(flaky) == 3 and all(b - a >= 0.025 for a, b in zip(flaky, flaky[1:]))  # backoff with jitter
    urls = _stored_urls(first_crawl[0])
    assert net.base("plain") + "/flaky" in urls and net.base("plain") + "/limited" in urls


def test_failures_are_recorded_with_their_reason(net, first_crawl) -> None:
    db, result, _, _ = first_crawl
    plain = net.base("plain")
    assert sorted(result.failed) == sorted([(plain + "/hang", "timeout"), (plain + "/big", "too-large"),
                                            (plain + "/bomb", "too-large"), (plain + "/loop/a", "redirects")])
    with Corpus(db) as corpus:
        rows = dict(corpus.conn.execute("SELECT url, reason FROM crawl_frontier WHERE state='failed'").fetchall())
    assert rows == dict(result.failed)


def test_redirects_and_canonical_duplicates(net, first_crawl) -> None:
    _, result, _, hits = first_crawl
    plain_paths = [h.path for h in hits if h.port == net.ports["plain"]]
    assert plain_paths.count("/tin/0.html") == 1 and plain_paths.count("/tin/1.html") == 1
    assert all(plain_paths.count(f"/redirect/{n}") == 1 for n in (3, 2, 1))
    assert (net.base("plain") + "/moved", "redirect-known") in result.skipped
    assert (net.base("plain") + "/print/0", "canonical-known") in result.skipped
    assert plain_paths.count("/loop/a") == 1 and plain_paths.count("/loop/b") == 1


def test_discovery_sources_were_all_read(net, first_crawl) -> None:
    _, _, _, hits = first_crawl
    news = [h.path for h in hits if h.port == net.ports["news"]]
    for path in ("/sitemap_index.xml", "/sitemap-1.xml", "/sitemap-2.xml.gz",
                 "/sc_service/api/article/list?first=0&pageSize=10&scUnitMapId=1"):
        assert path in news
    feeds = [h.path for h in hits if h.port == net.ports["feeds"]]
    assert {"/rss.xml", "/atom.xml", "/sitemap.xml"} <= set(feeds)
    plain = [h.path for h in hits if h.port == net.ports["plain"]]
    assert [p for p in plain if p.startswith("/tin?page=")] == [f"/tin?page={n}" for n in range(2, 7)]


def test_listing_pagination_stops_at_known_articles(net, first_crawl) -> None:
    _, _, _, hits = first_crawl
    news = [h.path for h in hits if h.port == net.ports["news"]]
    listing_pages = [p for p in news if "page=" in p and "sc_service" not in p]
    assert len(listing_pages) < 2 * fx.NEWS_ARTICLES // fx.PER_LISTING_PAGE  # two listings did not both run to the end


def test_wrong_charset_page_is_decoded(net, first_crawl) -> None:
    with Corpus(first_crawl[0]) as corpus:
        text = corpus.conn.execute("SELECT text FROM articles WHERE url=?", (net.base("plain") + "/cp1258",)).fetchone()[0]
        raw = corpus.conn.execute("SELECT body_size FROM pages WHERE url=?", (net.base("plain") + "/cp1258",)).fetchone()
    assert fx.CP1258_TEXT in text and raw[0] > 0


def test_second_run_is_conditional_and_fetches_only_what_is_new(net, first_crawl, tmp_path) -> None:
    import shutil

    db = str(tmp_path / "again.db")
    shutil.copy(first_crawl[0], db)
    net.reset()
    net.extra_news = 3
    try:
        result, summary = crawl_into(db, net, sites=("news",))
    finally:
        net.extra_news = 0
    news = [h for h in net.hits if h.port == net.ports["news"]]
    articles = [h.path for h in news if h.path.startswith("/thoi-su/2024")]
    assert sorted(articles) == sorted(fx.news_path(fx.NEWS_ARTICLES + k) for k in range(3))
    assert summary.articles_added == 3
    # entry points were asked conditionally; the unchanged ones answered 304
    sitemap = [h for h in news if h.path == "/sitemap-1.xml"]
    assert sitemap and sitemap[0].if_none_match and result.unchanged >= 3
    # page 1 of "/" held new articles, page 2 only known ones: pagination stopped there
    assert "/?page=2" in [h.path for h in news] and "/?page=3" not in [h.path for h in news]


def test_since_skips_older_articles(net, tmp_path) -> None:
    from dataclasses import replace

    net.reset()
    result, summary = crawl_into(str(tmp_path / "since.db"), net, replace(OPTIONS, since=date(2024, 7, 1)),
                                 sites=("feeds",))
    articles = [h.path for h in net.hits if h.path.startswith("/y-te/")]
    months = {int(p.split("/")[2][4:]) for p in articles}
    assert articles and months <= set(range(7, 13))
    assert summary.articles_added == len(articles) == sum(1 for i in range(fx.FEED_ARTICLES) if 1 + i % 12 >= 7)
