"""Discovery parsers: sitemaps (index, news, gzip), RSS/Atom, the Techcity list endpoint."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest

from scraper.discovery import cms_list_url, gunzip_bounded, listing_page_url, parse_cms_list, parse_day, \
    parse_feed, parse_sitemap
from scraper.urls import canonicalize_url

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://bacninhtv.vn/y-te/202501/a-1a2b3c4</loc><lastmod>2025-01-15</lastmod>
    <news:news><news:publication_date>2025-01-14T18:30:00+07:00</news:publication_date>
    <news:title>Ky ket</news:title></news:news></url>
  <url><loc> https://bacninhtv.vn/y-te/202412/b-5f7b9d2 </loc><lastmod>2024-12-20T08:00:00+07:00</lastmod></url>
  <url><loc>https://bacninhtv.vn/c</loc></url>
</urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.vn/sitemap-2025-01.xml.gz</loc><lastmod>2025-01-31</lastmod></sitemap>
<sitemap><loc>https://x.vn/sitemap-news.xml</loc></sitemap></sitemapindex>"""


def test_news_sitemap_prefers_the_publication_date() -> None:
    sitemap = parse_sitemap(URLSET)
    assert not sitemap.is_index
    assert [(f.url, f.day) for f in sitemap.entries] == [
        ("https://bacninhtv.vn/y-te/202501/a-1a2b3c4", date(2025, 1, 14)),
        ("https://bacninhtv.vn/y-te/202412/b-5f7b9d2", date(2024, 12, 20)),
        ("https://bacninhtv.vn/c", None)]


def test_sitemap_index_and_gzip() -> None:
    sitemap = parse_sitemap(gzip.compress(INDEX))
    assert sitemap.is_index and [f.url for f in sitemap.entries] == [
        "https://x.vn/sitemap-2025-01.xml.gz", "https://x.vn/sitemap-news.xml"]


def test_gzip_sitemap_bomb_is_cut_off() -> None:
    with pytest.raises(ValueError, match="over"):
        gunzip_bounded(gzip.compress(bytes(2_000_000)), limit=1_000_000)


@pytest.mark.parametrize("body", [b"<html><body>not a sitemap</body></html>", b"\x00\x01garbage", b"<rss/>"])
def test_not_a_sitemap(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_sitemap(body)


def test_rss_and_atom() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Y te</title>
      <item><title>A</title><link>https://qbtv.vn/y-te/a.html</link><pubDate>Tue, 14 Jan 2025 08:00:00 +0700</pubDate></item>
      <item><title>B</title><link>/y-te/b.html</link></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>C</title>
      <link rel="alternate" href="https://qbtv.vn/c.html"/><published>2025-02-01T00:00:00Z</published></entry></feed>"""
    assert [(f.url, f.day) for f in parse_feed(rss, "https://qbtv.vn/rss")] == [
        ("https://qbtv.vn/y-te/a.html", date(2025, 1, 14)), ("https://qbtv.vn/y-te/b.html", None)]
    assert [(f.url, f.day) for f in parse_feed(atom)] == [("https://qbtv.vn/c.html", date(2025, 2, 1))]


def test_techcity_list_endpoint() -> None:
    body = json.dumps({"code": 0, "data": {"list": [
        {"title": "Ký kết", "lead": "…", "publishDate": "2025-01-14 18:30:00", "pageUrl": "/y-te/202501/ky-ket-1a2b3c4"},
        {"title": "Ghép thận", "lead": "…", "publishDate": 1734663600000, "pageUrl": "https://la34.com.vn/y-te/x"},
        {"title": "no url"}]}}).encode()
    found = parse_cms_list(body, "https://truyenhinhnghean.vn/")
    assert [f.url for f in found] == ["https://truyenhinhnghean.vn/y-te/202501/ky-ket-1a2b3c4", "https://la34.com.vn/y-te/x"]
    assert found[0].day == date(2025, 1, 14) and found[1].day.year == 2024
    assert cms_list_url("https://truyenhinhnghean.vn/", "/sc_service/api/article/list", "12", 40, 20) == \
        "https://truyenhinhnghean.vn/sc_service/api/article/list?scUnitMapId=12&first=40&pageSize=20"
    with pytest.raises(ValueError):
        parse_cms_list(b"<html>", "https://x.vn/")


@pytest.mark.parametrize(("text", "day"), [
    ("2025-01-14T18:30:00+07:00", date(2025, 1, 14)), ("Tue, 14 Jan 2025 08:00:00 GMT", date(2025, 1, 14)),
    ("14/1/2025", date(2025, 1, 14)), ("", None), ("hôm qua", None), ("2025-13-45", None)])
def test_parse_day(text: str, day) -> None:
    assert parse_day(text) == day


def test_listing_page_url() -> None:
    assert listing_page_url("{listing}?page={n}", "https://x.vn/y-te/", 3) == "https://x.vn/y-te?page=3"
    assert listing_page_url("{listing}/trang-{n}.html", "https://x.vn/y-te", 2) == "https://x.vn/y-te/trang-2.html"


def test_tracking_spellings_share_one_key() -> None:
    spellings = ["https://X.vn:443/y-te/202501/a-1a2b3c4/?utm_source=fb&utm_medium=social#binh-luan",
                 "https://x.vn/y-te/202501/a-1a2b3c4?fbclid=abc", "https://x.vn/y-te/./202501/a-1a2b3c4"]
    assert {canonicalize_url(u) for u in spellings} == {"https://x.vn/y-te/202501/a-1a2b3c4"}
