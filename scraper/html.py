"""Parse an HTML news page into an ``Article`` (selectolax / lexbor).

The cascade, per field (profile selectors from ``scraper/sites/*.toml`` first, then the
generic ones below):

- metadata before any stripping: title (profile → ``h1`` → og:title → ``<title>``, minus a
  " - SiteName" suffix only when it names the site), lead, byline, date text, breadcrumb
  category, tags, canonical URL, JSON-LD and ``<meta>``;
- stripping: scripts/navigation/forms, the profile's ``drop`` selectors, elements whose
  class or id says share/comment/related/ads/menu… (never one holding the title or the
  body), and every block headed "Cùng chủ đề", "Tin liên quan", … (``is_block_heading``)
  with its teaser items, wherever it sits — inside the article body too;
- body: the profile's body container, else the element with the most paragraph text
  (text density); paragraphs in reading order, captions (figcaption, caption classes,
  image tables, a short emphasised line right under an image) kept apart, alt texts never
  read, file-name lines dropped; a last-paragraph byline becomes the authors;
- published: the ``published`` argument → JSON-LD → meta/itemprop → byline text such as
  "Thứ bảy, 12/10/2024 - 18:30" → the URL (a day, else only ``published_month``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.boilerplate import heading_key, is_block_heading, is_boilerplate_line, is_inline_teaser
from scraper.bylines import is_byline, split_authors
from scraper.encoding import decode_body
from scraper.errors import InputError
from scraper.profiles import Profile, Selectors, profile_for
from scraper.textdump import looks_like_caption
from scraper.types import Article, Block, Page, tidy
from scraper.urlinfo import date_from_url, month_from_url, province_of, site_of

VN_TZ = timezone(timedelta(hours=7))
MAX_DEPTH = 150
GENERIC = Selectors(
    title=(),
    lead=(".sapo", ".article-sapo", "p.description", ".lead", ".summary", ".article-summary",
          ".chapeau", ".excerpt", ".entry-summary"),
    body=(),
    published=("time[datetime]", ".date", ".time", ".publish-date", ".post-date", ".entry-date",
               ".article-date", ".posted-on"),
    authors=(".author", ".byline", ".article-author", "[rel=author]", ".author-name",
             "span[itemprop=author]", "div[itemprop=author]", "p.author"),
    category=(".breadcrumb a", ".breadcrumb li", ".breadcrumbs a", ".cat-links a"),
    tags=(".tags a", ".tag a", ".article-tags a", "a[rel=tag]", ".tags-links a", ".keywords a"),
    captions=("figcaption", ".caption", ".wp-caption-text", ".image-caption", ".img-caption",
              ".image-desc", ".PhotoCMS_Caption"),
)
_NOISE_TAGS = ("script, style, noscript, template, svg, iframe, form, button, input, select, "
               "textarea, nav, header, footer, aside, object, embed, canvas, video, audio, link, meta")
_NOISE_CLASS = re.compile(
    r"(?<![a-z0-9])(share|sharing|social|comments?|breadcrumbs?|related|relate|advert\w*|ads|adv|"
    r"banner|menu|navbar|sidebar|print|toolbar|popup|cookie|subscribe|newsletter|rating|footer|"
    r"lien-quan|xem-them|tin-khac|most-viewed|tags?)(?![a-z0-9])")
_INLINE = frozenset("a abbr b bdi bdo big cite code data dfn em font i kbd label mark q s samp "
                    "small span strong sub sup time u var wbr".split())
_LEAVES = frozenset("p h2 h3 h4 h5 h6 pre address dt dd".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_STOP = frozenset(("html", "body", "-document"))
_ARTICLE_TYPES = frozenset(("article", "newsarticle", "reportagenewsarticle", "blogposting"))
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_DATE_TEXT = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)(?!\d)")
_TIME_TEXT = re.compile(r"(?<![\d/.-])([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)(?!\d)")
_SUFFIX = re.compile(r"^(.*\S)\s+[-–—|]\s+([^-–—|]+)$")
_LOOPBACK = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$")
_AUTO: Any = object()


def text_of(node: LexborNode | None) -> str:
    return tidy(node.text(deep=True, separator="", strip=False)) if node is not None else ""


def _ids(nodes: Iterable[LexborNode]) -> set[int]:
    return {n.mem_id for n in nodes}


def _ancestors(node: LexborNode | None) -> Iterator[LexborNode]:
    while node is not None and node.tag not in _STOP:
        yield node
        node = node.parent


def _first(root: LexborNode, selectors: Iterable[str]) -> LexborNode | None:
    for sel in selectors:
        for node in root.css(sel):
            if node.tag != "meta" and text_of(node):
                return node
    return None


def _link_density(node: LexborNode) -> float:
    total = len(text_of(node))
    return sum(len(text_of(a)) for a in node.css("a")) / total if total else 0.0


# ---- metadata -------------------------------------------------------------------------


def _read_meta(tree: LexborHTMLParser) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        a = node.attributes
        for key in (a.get("property"), a.get("name"), a.get("itemprop")):
            if key and a.get("content"):
                meta.setdefault(key.lower(), []).append(tidy(a["content"]))
    return meta


def _jsonld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(), strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.get("@graph", []))
                yield item


def _jsonld(tree: LexborHTMLParser) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for obj in _jsonld_objects(tree):
        types = obj.get("@type", "")
        types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
        if types & _ARTICLE_TYPES:
            found.setdefault("article", True)
            for key in ("datePublished", "headline", "articleSection", "author"):
                if obj.get(key):
                    found.setdefault(key, obj[key])
        if "breadcrumblist" in types:
            items = obj.get("itemListElement") or []
            names = [(i.get("item") or {}).get("name") or i.get("name") for i in items if isinstance(i, dict)]
            found.setdefault("breadcrumb", [n for n in names if isinstance(n, str)])
    return found


def _jsonld_authors(value: Any) -> list[str]:
    people = value if isinstance(value, list) else [value]
    return [p["name"] for p in people
            if isinstance(p, dict) and p.get("@type") == "Person" and isinstance(p.get("name"), str)]


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601, or Vietnamese byline text ("Thứ bảy, 12/10/2024 - 18:30"); naive = +07:00."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        m = _DATE_TEXT.search(value)
        if not m:
            return None
        t = _TIME_TEXT.search(value[: m.start()] + " " + value[m.end():])
        try:
            dt = datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)),
                          int(t.group(1)) if t else 0, int(t.group(2)) if t else 0)
        except ValueError:
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def _published(meta: dict[str, list[str]], ld: dict[str, Any], texts: list[str | None]) -> datetime | None:
    candidates = [ld.get("datePublished")] if isinstance(ld.get("datePublished"), str) else []
    for key in ("article:published_time", "og:published_time", "datepublished", "pubdate",
                "publishdate", "dc.date.issued", "date"):
        candidates += meta.get(key, [])
    candidates += texts
    return next((dt for c in candidates if (dt := parse_datetime(c))), None)


def _strip_site_suffix(title: str, names: set[str]) -> str:
    m = _SUFFIX.match(title)
    if m:
        key = heading_key(m.group(2))
        if key in names or key.replace(" ", "") in names:
            return m.group(1)
    return title


def _title(tree: LexborHTMLParser, sels: Selectors, meta: dict[str, list[str]], site: str | None) -> tuple[str, LexborNode | None]:
    names = {heading_key(n) for n in meta.get("og:site_name", [])}
    if site:
        names |= {site, site.split(".")[0]}
    node = _first(tree.root, sels.title)
    if node is None:
        h1s = [h for h in tree.css("h1") if text_of(h)]
        og = heading_key((meta.get("og:title") or [""])[0])
        matching = [h for h in h1s if og and (heading_key(text_of(h)) in og or og in heading_key(text_of(h)))]
        node = (matching or sorted(h1s, key=lambda h: -len(text_of(h))) or [None])[0]
    title = text_of(node) or (meta.get("og:title") or [""])[0] or text_of(tree.css_first("title"))
    return _strip_site_suffix(title, names), node


def _texts(root: LexborNode, selectors: Iterable[str]) -> list[str]:
    for sel in selectors:
        found = [t for n in root.css(sel) if n.tag != "meta" and (t := text_of(n))]
        if found:
            return found
    return []


def _category(crumbs: list[str], meta: dict[str, list[str]], ld: dict[str, Any]) -> str | None:
    crumbs = [c for c in crumbs if heading_key(c) not in ("trang chu", "home")] or ld.get("breadcrumb", [])
    if crumbs:
        return crumbs[-1]
    section = meta.get("article:section") or [ld.get("articleSection")]
    return section[0] if section and isinstance(section[0], str) else None


def _tags(found: list[str], meta: dict[str, list[str]]) -> list[str]:
    raw = found or meta.get("article:tag") or meta.get("news_keywords") or meta.get("keywords") or []
    tags = [t.strip() for item in raw for t in (item.split(",") if not found else [item])]
    return list(dict.fromkeys(t for t in tags if t and not is_block_heading(t)))


# ---- stripping ------------------------------------------------------------------------


def _strip_noise(root: LexborNode, profile: Profile | None, protected: set[int]) -> None:
    _decompose_outermost([n for n in root.css(_NOISE_TAGS) if n.mem_id not in protected])
    for sel in profile.drop if profile else ():
        _decompose_outermost([n for n in root.css(sel) if n.mem_id not in protected])
    doomed = []
    for node in root.css("[class], [id]"):
        attrs = node.attributes
        label = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().replace("_", "-")
        if node.tag not in _STOP and node.mem_id not in protected and _NOISE_CLASS.search(label):
            doomed.append(node)
    _decompose_outermost(doomed)


def _decompose_outermost(nodes: list[LexborNode]) -> None:
    unique = {n.mem_id: n for n in nodes}
    outermost = [n for n in unique.values() if not any(a.mem_id in unique for a in _ancestors(n.parent))]
    for node in outermost:
        node.decompose()


def _plain(node: LexborNode) -> str:
    """Text of an element, a text node or a comment (comments count as empty)."""
    if node.tag.startswith("-"):
        return tidy(node.text_content or "") if node.tag == "-text" else ""
    return text_of(node)


def _teaser_like(node: LexborNode) -> bool:
    """A sibling under a block heading that belongs to the block (teaser items, lists)."""
    if node.tag.startswith("-"):
        return not _plain(node)
    if not text_of(node) or _link_density(node) >= 0.5:
        return True
    if node.tag in _LEAVES or node.tag in _HEADINGS or node.tag == "blockquote":
        return False
    return node.css_first("a[href]") is not None


def _heading_block(heading: LexborNode, protected: set[int]) -> list[LexborNode]:
    """The heading and its teaser siblings, climbing while a parent holds nothing else."""
    node, block = heading, [heading]
    while True:
        sib = node.next
        while sib is not None and sib.mem_id not in protected and _teaser_like(sib):
            block.append(sib)
            sib = sib.next
        rest_after = sib is not None and bool(_plain(sib))
        before = node.prev
        while before is not None and not _plain(before):
            before = before.prev
        parent = node.parent
        if rest_after or before is not None or parent is None or parent.tag in _STOP or parent.mem_id in protected:
            return block
        node, block = parent, [parent]


def _drop_heading_blocks(root: LexborNode, protected: set[int]) -> None:
    doomed: list[LexborNode] = []
    for text_node in root.traverse(include_text=True):
        if text_node.tag != "-text" or not is_block_heading(tidy(text_node.text_content or "")):
            continue
        heading, key = text_node.parent, heading_key(text_node.text_content or "")
        while heading.parent is not None and heading.parent.tag not in _STOP \
                and heading.parent.mem_id not in protected and heading_key(text_of(heading.parent)) == key:
            heading = heading.parent
        if heading.tag not in _STOP and heading.mem_id not in protected:
            doomed.extend(_heading_block(heading, protected))
    _decompose_outermost([n for n in doomed if not n.tag.startswith("-")])


def _densest(root: LexborNode) -> LexborNode:
    """The element holding the most paragraph text (half credit to grandparents)."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p in root.css("p, pre, blockquote"):
        size = len(text_of(p))
        if size < 25 or _link_density(p) > 0.5:
            continue
        for weight, anc in zip((1.0, 0.5), list(_ancestors(p.parent))[:2]):
            scores[anc.mem_id] = scores.get(anc.mem_id, 0.0) + weight * size
            nodes[anc.mem_id] = anc
    return nodes[max(scores, key=scores.__getitem__)] if scores else root


# ---- body -----------------------------------------------------------------------------


@dataclass
class _Walker:
    """Collect paragraph and caption blocks in reading order."""

    caption_ids: set[int]
    blocks: list[Block]
    after_image: bool = False

    def walk(self, node: LexborNode, depth: int = 0) -> None:
        run: list[str] = []
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                run.append(child.text_content or "")
            elif tag in _INLINE and child.css_first("p, div, table, figure, img") is None:
                run.append(child.text(deep=True, separator="", strip=False))
            elif tag != "-comment":
                self.flush(run)
                self.block(child, depth)
        self.flush(run)

    def flush(self, run: list[str]) -> None:
        for part in _PARAGRAPH_BREAK.split("".join(run)):
            if tidy(part):
                self.emit("paragraph", tidy(part))
        run.clear()

    def emit(self, kind: str, text: str) -> None:
        self.blocks.append(Block(kind, text))  # type: ignore[arg-type]
        self.after_image = False

    def block(self, node: LexborNode, depth: int) -> None:
        text = text_of(node)
        if node.mem_id in self.caption_ids:
            if text:
                self.emit("caption", text)
        elif node.tag == "img":
            self.after_image = True
        elif node.tag == "table" and node.css_first("img") is not None:
            cells = [t for td in node.css("td, th") if td.css_first("img") is None and (t := text_of(td))]
            for cell in cells:
                self.emit("caption", cell)
            self.after_image = not cells
        elif not text:
            self.after_image = self.after_image or node.css_first("img") is not None
        elif node.tag in _LEAVES or node.tag == "h1" or (node.tag == "li" and not node.css_first("p, div, ul, ol")):
            caption = self.after_image and looks_like_caption(text) and _emphasised(node, text)
            self.emit("caption" if caption else "paragraph", text)
        elif depth >= MAX_DEPTH:  # absurdly nested markup: keep the text, stop descending
            self.emit("paragraph", text)
        else:
            self.walk(node, depth + 1)


def _byline_after(container: LexborNode) -> list[str]:
    """A byline right after the body container ("<p class=by>Ngọc Lan – Hải Đăng</p>")."""
    node = container.next
    while node is not None and node.tag == "-text" and not tidy(node.text_content or ""):
        node = node.next
    text = text_of(node) if node is not None and node.tag != "-text" else ""
    return split_authors(text) if text and is_byline(text) else []


def _emphasised(node: LexborNode, text: str) -> bool:
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    italic = tidy(" ".join(text_of(n) for n in node.css("em, i")))
    return "text-align:center" in style or italic.replace(" ", "") == text.replace(" ", "")


def _body_blocks(container: LexborNode, sels: Selectors) -> list[Block]:
    caption_ids = _ids(n for sel in sels.captions for n in container.css(sel))
    walker = _Walker(caption_ids, [])
    walker.walk(container)
    return [b for b in walker.blocks if not (is_boilerplate_line(b.text) or is_inline_teaser(b.text))]


# ---- the parser -----------------------------------------------------------------------


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
    meta: dict[str, list[str]]
    ld: dict[str, Any]


def _selectors(profile: Profile | None) -> Selectors:
    if profile is None:
        return GENERIC
    return Selectors(**{f.name: getattr(profile.selectors, f.name) + getattr(GENERIC, f.name)
                        for f in fields(Selectors)})


def _site(url: str | None, canonical: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return site_of(canonical) if not host or _LOOPBACK.match(host) else site_of(url)


def _read_head(tree: LexborHTMLParser, url: str | None, sels: Selectors,
               body_node: LexborNode | None) -> tuple[_Head, LexborNode | None]:
    """Metadata, then the title and lead nodes leave the tree (the title's parent is returned)."""
    meta, ld = _read_meta(tree), _jsonld(tree)
    link = tree.css_first("link[rel=canonical]")
    canonical = (link.attributes.get("href") if link else None) or (meta.get("og:url") or [None])[0]
    canonical = urljoin(url or "", canonical) if canonical else None
    site = _site(url, canonical)
    title, title_node = _title(tree, sels, meta, site)
    lead_node = _first(tree.root, sels.lead)
    if lead_node is not None and (len(text_of(lead_node)) > 1500 or body_node is not None
                                  and lead_node.mem_id in _ids(_ancestors(body_node))):
        lead_node = None
    date_node = _first(tree.root, sels.published)
    head = _Head(
        url=url, canonical=canonical, site=site, title=title, lead=text_of(lead_node),
        author_lines=[t for t in _texts(tree.root, sels.authors) if is_byline(t)],
        dates=[date_node.attributes.get("datetime"), text_of(date_node)] if date_node else [],
        category=_category(_texts(tree.root, sels.category), meta, ld),
        tags=_tags(_texts(tree.root, sels.tags), meta), meta=meta, ld=ld,
    )
    anchor = title_node.parent if title_node is not None else None
    for node in (title_node, lead_node):
        if node is not None:
            node.decompose()
    return head, anchor


def _dates(head: _Head, published: datetime | None) -> tuple[datetime | None, date | None, str | None]:
    when = published or _published(head.meta, head.ld, head.dates)
    day = when.date() if when else date_from_url(head.url) or date_from_url(head.canonical)
    if when is None and day is not None:
        when = datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
    month = None if when else month_from_url(head.url) or month_from_url(head.canonical)
    if day is None and month:
        day = date(int(month[:4]), int(month[5:7]), 1)
    return when, day, month


def _parse(html: str, url: str | None, published: datetime | None, profile: Profile | None) -> tuple[Article, bool]:
    """The article and whether the page looks like one (not a home or listing page)."""
    tree = LexborHTMLParser(html)
    for br in tree.css("br"):
        br.replace_with("\n")
    sels = _selectors(profile)
    body_node = _first(tree.root, sels.body) if profile else None
    head, anchor = _read_head(tree, url, sels, body_node)
    protected = _ids(_ancestors(anchor)) | _ids(_ancestors(body_node))
    _strip_noise(tree.root, profile, protected)
    if body_node is None:
        protected |= _ids(_ancestors(_densest(tree.body or tree.root)))
    _drop_heading_blocks(tree.root, protected)
    container = body_node or _densest(tree.body or tree.root)
    blocks = [b for b in _body_blocks(container, sels) if b.text not in (head.title, head.lead)]

    authors = [a for line in head.author_lines[:1] for a in split_authors(line)]
    authors = authors or _jsonld_authors(head.ld.get("author"))
    paragraphs = [i for i, b in enumerate(blocks) if b.kind == "paragraph"]
    if paragraphs and is_byline(blocks[paragraphs[-1]].text):
        line = blocks.pop(paragraphs[-1]).text
        authors = authors or split_authors(line)
    authors = authors or _byline_after(container)

    when, day, month = _dates(head, published)
    article = Article.from_blocks(
        [Block("title", head.title), Block("lead", head.lead), *blocks],
        url=url or head.canonical, site=head.site, province=province_of(head.site, day),
        authors=authors, published=when, published_month=month,
        category=head.category, tags=head.tags, canonical_url=head.canonical,
    )
    says_article = bool(head.ld.get("article")) or "article" in head.meta.get("og:type", [])
    substantial = sum(map(len, article.paragraphs)) >= 300 and _link_density(container) < 0.3
    looks = body_node is not None if profile else bool(head.title) and (says_article or substantial)
    return article, looks and bool(article.paragraphs)


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
