"""Parse an HTML news page into an ``Article`` (selectolax / lexbor).

Two paths:

- **profile path** — a site profile (``scraper/sites/*.toml``) whose body selector finds
  an element on the page. Fields are looked up inside the article scope (the body's
  nearest ancestor holding the headline), with the profile's selectors, the generic ones
  for a field the profile leaves empty; only the body is cleaned. ``<meta>`` and JSON-LD
  are read only when a field needs them (``htmlmeta.Lazy``).
- **generic path** — no profile, or one that does not fit this page (its body selector
  finds nothing). The whole page is stripped and the body is the element with the most
  paragraph text; the sapo and a date line are looked for right after the headline.

Per field:

- title (``scraper.htmlmeta``): profile → the ``h1`` og:title agrees with → og:title →
  ``<title>``, minus a " - SiteName" suffix when it names the site or when the page shows
  the headline without it; a dash inside the headline is kept;
- lead: profile/generic sapo selectors → the first text block after the headline when it
  is an ``h2``, sapo-like, wholly bold, the meta description, or a paragraph standing alone;
- stripping (``scraper.htmlclean``): noise tags, the profile's ``drop`` selectors, noisy
  class/id names, and every block headed "Cùng chủ đề", "Tin liên quan", … wherever it sits;
- body (``scraper.htmlbody``): paragraphs in reading order, captions apart, file-name alt
  texts never read; a last-paragraph byline becomes the authors and leaves the text;
- authors: byline element → last-paragraph byline → JSON-LD Person → a line after the body;
- published: the ``published`` argument → JSON-LD → meta/itemprop → date text near the
  headline ("Thứ bảy, 12/10/2024 - 18:30", "Cập nhật: 18:30 14-01-2025"; first on the
  profile path) → the URL.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.boilerplate import strip_agency_prefix
from scraper.bylines import is_byline, split_authors
from scraper.datetext import parse_datetime
from scraper.encoding import decode_body
from scraper.errors import InputError
from scraper.htmlbody import body_blocks, byline_after
from scraper.htmlclean import densest, drop_heading_blocks, strip_noise
from scraper.htmlmeta import (
    Lazy, canonical_site, date_lines, find_category, find_lead, find_tags, find_title, jsonld_authors,
    publication, published_from, read_jsonld, read_meta,
)
from scraper.htmlnodes import ancestors, first_match, link_density, node_ids, text_of, texts_of
from scraper.profiles import Profile, Selectors, profile_for
from scraper.types import Article, Block, Page
from scraper.urlinfo import province_of

__all__ = ["GENERIC", "parse_datetime", "parse_html", "parse_page"]

GENERIC = Selectors(
    title=(),
    lead=(".sapo", ".article-sapo", "p.description", ".lead", ".summary", ".article-summary",
          ".chapeau", ".excerpt", ".entry-summary"),
    body=(),
    published=("time[datetime]", ".date", ".time", ".publish-date", ".post-date", ".entry-date",
               ".article-date", ".posted-on"),
    authors=(".author", ".byline", ".article-author", "[rel=author]", ".author-name",
             "span[itemprop=author]", "div[itemprop=author]", "p.author"),
    category=(".breadcrumb a", ".breadcrumb li", ".breadcrumbs a", ".cat-links a", "[class*=crumb] a", ".path a",
              ".cat-title a", ".post-cat a", ".post-category a", ".category a", ".cate a"),
    tags=(".tags a", ".tag a", ".article-tags a", "a[rel=tag]", ".tags-links a", ".keywords a"),
    captions=("figcaption", ".caption", ".wp-caption-text", ".image-caption", ".img-caption",
              ".image-desc", ".PhotoCMS_Caption"),
)
_AUTO: Any = object()


@dataclass
class _Head:
    """What is read before any stripping."""

    url: str | None
    canonical: str | None
    site: str | None
    title: str
    lead: str
    author_lines: list[str]
    dates: list[str | None]
    category: str | None
    tags: list[str]
    meta: Mapping[str, list[str]]
    ld: Mapping[str, Any]


@lru_cache(maxsize=64)
def _selectors(profile: Profile | None) -> Selectors:
    """A fitting profile's selectors; the generic ones for a field it leaves empty."""
    if profile is None:
        return GENERIC
    return Selectors(**{f.name: getattr(profile.selectors, f.name) or getattr(GENERIC, f.name)
                        for f in fields(Selectors)})


def _canonical(tree: LexborHTMLParser, url: str | None, meta: Mapping[str, list[str]]) -> str | None:
    link = tree.css_first("link[rel=canonical]")
    canonical = (link.attributes.get("href") if link else None) or (meta.get("og:url") or [None])[0]
    if not canonical or canonical.startswith(("https://", "http://")):
        return canonical or None
    return urljoin(url or "", canonical)


def _breaks(root: LexborNode) -> None:
    """``<br>`` becomes a line break in every text read below ``root``."""
    for br in root.css("br"):
        br.replace_with("\n")


def _article_scope(body_node: LexborNode, levels: int = 4) -> LexborNode:
    """The nearest ancestor of a profile's body that also holds the headline: the fields are
    looked up there rather than over the whole page (menus, sidebars, footers)."""
    node = body_node
    for _ in range(levels):
        parent = node.parent
        if parent is None or parent.tag in ("html", "-document"):
            break
        node = parent
        if node.css_first("h1") is not None:
            return node
    return node


def _read_head(tree: LexborHTMLParser, url: str | None, sels: Selectors,
               body_node: LexborNode | None) -> tuple[_Head, LexborNode | None]:
    """Metadata, then the title and lead nodes leave the tree (the title's parent is returned)."""
    meta, ld = Lazy(tree, read_meta), Lazy(tree, read_jsonld)
    canonical = _canonical(tree, url, meta)
    site = canonical_site(url, canonical)
    scope = _article_scope(body_node) if body_node is not None else tree.root
    title, title_node = find_title(tree, scope, sels, meta, site)
    lead_node = first_match(scope, sels.lead)
    if lead_node is not None and (len(text_of(lead_node)) > 1500 or body_node is not None
                                  and lead_node.mem_id in node_ids(ancestors(body_node))):
        lead_node = None
    if lead_node is None and title_node is not None and body_node is None:
        lead_node = find_lead(tree.body or tree.root, title_node, meta)
    date_node = first_match(scope, sels.published)
    dates = [date_node.attributes.get("datetime"), text_of(date_node)] if date_node else []
    if not dates and title_node is not None:
        dates = date_lines(title_node)
    head = _Head(
        url=url, canonical=canonical, site=site, title=title, lead=text_of(lead_node),
        author_lines=[t for t in texts_of(scope, sels.authors) if is_byline(t, allow_places=True)],
        dates=dates, category=find_category(texts_of(tree.root, sels.category), meta, ld),
        tags=find_tags(texts_of(scope, sels.tags), meta, ld), meta=meta, ld=ld,
    )
    anchor = title_node.parent if title_node is not None else None
    for node in (title_node, lead_node):
        if node is not None:
            node.decompose()
    return head, anchor


def _authors(head: _Head, blocks: list[Block], container: LexborNode) -> list[str]:
    """Byline element → a last-paragraph byline (removed from the text either way) →
    JSON-LD Person → a byline line right after the body."""
    authors = [a for line in head.author_lines[:1] for a in split_authors(line)]
    paragraphs = [i for i, b in enumerate(blocks) if b.kind == "paragraph"]
    if paragraphs and is_byline(blocks[paragraphs[-1]].text):
        line = blocks.pop(paragraphs[-1]).text
        authors = authors or split_authors(line)
    return authors or jsonld_authors(head.ld.get("author")) or byline_after(container)


def _without_agency(lead: str, blocks: list[Block]) -> tuple[str, list[Block]]:
    """The outlet's "(BTV) - " before the sapo (or the first paragraph) leaves the text."""
    if lead:
        return strip_agency_prefix(lead), blocks
    first = next((i for i, b in enumerate(blocks) if b.kind == "paragraph"), None)
    if first is not None:
        blocks = blocks[:first] + [Block("paragraph", strip_agency_prefix(blocks[first].text))] + blocks[first + 1:]
    return lead, blocks


def _generic_container(tree: LexborHTMLParser, profile: Profile | None, protected: set[int]) -> LexborNode:
    """Strip the whole page, then take the densest element as the body."""
    root = tree.body or tree.root
    strip_noise(tree.root, profile, protected)
    protected |= node_ids(ancestors(densest(root)))
    drop_heading_blocks(tree.root, protected)
    return densest(root)


def _looks_like_article(head: _Head, article: Article, container: LexborNode, fitted: bool | None) -> bool:
    """Not a home or listing page: the profile's body was found (``fitted``); a page whose
    profile did not fit (``False``) must say it is an article; a page without a profile
    (``None``) may instead hold 300+ characters of low-link-density paragraphs."""
    if not article.paragraphs or not head.title:
        return False
    if fitted:
        return True
    says_article = bool(head.ld.get("article")) or "article" in head.meta.get("og:type", [])
    if fitted is False:
        return says_article
    return says_article or sum(map(len, article.paragraphs)) >= 300 and link_density(container) < 0.3


def _parse(html: str, url: str | None, published: datetime | None, profile: Profile | None) -> tuple[Article, bool]:
    """The article and whether the page looks like one (not a home or listing page)."""
    tree = LexborHTMLParser(html)
    body_node = first_match(tree.root, profile.selectors.body) if profile else None
    fitted = None if profile is None else body_node is not None
    _breaks(_article_scope(body_node) if body_node is not None else tree.root)
    sels = _selectors(profile if fitted else None)
    head, anchor = _read_head(tree, url, sels, body_node)
    if body_node is not None:  # the profile path: only the body container needs cleaning
        strip_noise(body_node, profile, set())
        drop_heading_blocks(body_node, {body_node.mem_id})
        container = body_node
    else:
        container = _generic_container(tree, profile, node_ids(ancestors(anchor)))
    blocks = [b for b in body_blocks(container, sels) if b.text not in (head.title, head.lead)]
    authors = _authors(head, blocks, container)
    head.lead, blocks = _without_agency(head.lead, blocks)

    when = published or published_from(head.meta, head.ld, head.dates, texts_first=bool(fitted))
    when, day, month = publication(when, head.url, head.canonical)
    article = Article.from_blocks(
        [Block("title", head.title), Block("lead", head.lead), *blocks],
        url=url or head.canonical, site=head.site, province=province_of(head.site, day),
        authors=authors, published=when, published_month=month,
        category=head.category, tags=head.tags, canonical_url=head.canonical,
    )
    return article, _looks_like_article(head, article, container, fitted)


def parse_html(html: str, url: str | None = None, *, published: datetime | None = None,
               profile: Profile | None = _AUTO) -> Article:
    """Parse one HTML page; raises InputError when it holds no article text at all.

    ``profile`` defaults to the matching site profile; pass ``None`` for the generic path.
    """
    if profile is _AUTO:
        profile = profile_for(url, html)
    article, _ = _parse(html, url, published, profile)
    if not article.paragraphs and not article.lead:
        raise InputError(f"no article text found in the HTML of {url or 'the input'}")
    return article


def parse_page(page: Page) -> Article | None:
    """Decode and parse a fetched page; None when it is not an article (home, listing, …)."""
    ctype = page.content_type.lower()
    if ctype and "html" not in ctype and "xml" not in ctype:
        return None
    html = decode_body(page.body, page.content_type)
    url = page.final_url or page.url
    article, looks = _parse(html, url, None, profile_for(url, html))
    return article if looks else None
