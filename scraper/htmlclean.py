"""Boilerplate stripping on the parsed tree, before the body is read.

- noise tags (scripts, nav, header, footer, aside, forms, …), the profile's ``drop``
  selectors, and elements whose class or id says share/comment/related/ads/menu…;
- every block headed "Cùng chủ đề", "Tin liên quan", … (``is_block_heading``) with its
  teaser items, wherever it sits — inside the article body too;
- ``protected`` elements (ancestors of the title and the body) are never removed.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from scraper.boilerplate import heading_key, is_block_heading, is_inline_heading
from scraper.htmlnodes import STOP_TAGS, ancestors, decompose_outermost, has_text, link_density, raw_len, text_of
from scraper.profiles import Profile
from scraper.types import tidy

NOISE_TAGS = ("script, style, noscript, template, svg, iframe, form, button, input, select, "
              "textarea, nav, header, footer, aside, object, embed, canvas, video, audio, link, meta")
NOISE_CLASS = re.compile(
    r"(?<![a-z0-9])(share|sharing|social|comments?|breadcrumbs?|related|relate|advert\w*|ads|adv|"
    r"banner|menu|navbar|sidebar|print|toolbar|popup|cookie|subscribe|newsletter|rating|footer|"
    r"lien-quan|xem-them|tin-khac|most-viewed|tags?)(?![a-z0-9])")
LEAF_TAGS = frozenset("p h2 h3 h4 h5 h6 pre address dt dd".split())
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
INLINE_TAGS = frozenset("a abbr b bdi bdo big br cite code data dfn em font i img kbd label mark q s samp "
                        "small span strong sub sup time u var wbr".split())


def strip_noise(root: LexborNode, profile: Profile | None, protected: set[int]) -> None:
    decompose_outermost([n for n in root.css(NOISE_TAGS) if n.mem_id not in protected])
    if profile is not None and profile.drop:
        decompose_outermost([n for n in root.css(", ".join(profile.drop)) if n.mem_id not in protected])
    doomed = []
    for node in root.css("[class], [id]"):
        attrs = node.attributes
        label = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().replace("_", "-")
        if node.tag not in STOP_TAGS and node.mem_id not in protected and NOISE_CLASS.search(label):
            doomed.append(node)
    decompose_outermost(doomed)


def _plain(node: LexborNode) -> bool:
    """Whether an element or a text node holds text (comments count as empty)."""
    if node.tag.startswith("-"):
        return node.tag == "-text" and bool(tidy(node.text_content or ""))
    return has_text(node)


def _teaser_like(node: LexborNode) -> bool:
    """A sibling under a block heading that belongs to the block (teaser items, lists)."""
    if node.tag.startswith("-"):
        return not _plain(node)
    if not has_text(node) or link_density(node) >= 0.5:
        return True
    if node.tag in LEAF_TAGS or node.tag in HEADING_TAGS or node.tag == "blockquote":
        return False
    return node.css_first("a[href]") is not None


def _heading_block(heading: LexborNode, protected: set[int], trailer: bool) -> list[LexborNode]:
    """The heading and its teaser siblings, climbing while a parent holds nothing else.
    A ``trailer`` heading ("Tin cùng chuyên mục", not "Tin liên quan") takes everything
    after it in its parent: teaser titles with their summary paragraphs."""
    node, block = heading, [heading]
    while True:
        sib = node.next
        while sib is not None and sib.mem_id not in protected and (trailer or _teaser_like(sib)):
            block.append(sib)
            sib = sib.next
        trailer = False
        rest_after = sib is not None and _plain(sib)
        before = node.prev
        while before is not None and not _plain(before):
            before = before.prev
        parent = node.parent
        if rest_after or before is not None or parent is None or parent.tag in STOP_TAGS \
                or parent.mem_id in protected:
            return block
        node, block = parent, [parent]


def drop_heading_blocks(root: LexborNode, protected: set[int]) -> None:
    doomed: list[LexborNode] = []
    for text_node in root.traverse(include_text=True):
        raw = text_node.text_content if text_node.tag == "-text" else None
        if not raw or len(raw) > 200 or raw.isspace() or not is_block_heading(tidy(raw)):
            continue
        heading, key = text_node.parent, heading_key(text_node.text_content or "")
        while heading.parent is not None and heading.parent.tag not in STOP_TAGS \
                and heading.parent.mem_id not in protected and heading_key(text_of(heading.parent)) == key:
            heading = heading.parent
        if heading.tag not in STOP_TAGS and heading.mem_id not in protected:
            doomed.extend(_heading_block(heading, protected, not is_inline_heading(raw)))
    decompose_outermost([n for n in doomed if not n.tag.startswith("-")])


def leaf_div(node: LexborNode) -> bool:
    """A ``<div>`` used as a paragraph: only text and inline elements inside."""
    return node.tag == "div" and all(c.tag in INLINE_TAGS for c in node.iter())


def _densest(blocks: list[LexborNode]) -> tuple[LexborNode | None, float]:
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p in blocks:
        size = raw_len(p)
        if size < 25 or link_density(p) > 0.5:
            continue
        for weight, anc in zip((1.0, 0.5), list(ancestors(p.parent))[:2]):
            scores[anc.mem_id] = scores.get(anc.mem_id, 0.0) + weight * size
            nodes[anc.mem_id] = anc
    if not scores:
        return None, 0.0
    best = max(scores, key=scores.__getitem__)
    return nodes[best], scores[best]


def densest(root: LexborNode) -> LexborNode:
    """The element holding the most paragraph text (half credit to grandparents); when
    paragraphs are scarce, divs used as paragraphs count too (older CMSs)."""
    paragraphs = root.css("p, pre, blockquote")
    best, score = _densest(paragraphs)
    if score < 600:
        divs, div_score = _densest(paragraphs + [d for d in root.css("div") if leaf_div(d)])
        if div_score > score:
            best = divs
    return best if best is not None else root
