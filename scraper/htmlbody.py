"""The article body: paragraph and caption blocks in reading order from one container.

Captions are figcaption / caption-class elements, image-table cells, and a short emphasised
line right under an image; alt texts are never read and file-name lines are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from scraper.boilerplate import is_boilerplate_line, is_inline_teaser
from scraper.bylines import is_byline, split_authors
from scraper.datetext import is_date_line
from scraper.htmlclean import INLINE_TAGS, LEAF_TAGS, leaf_div
from scraper.htmlnodes import ancestors, has_text, node_ids, text_of
from scraper.profiles import Selectors
from scraper.textdump import looks_like_caption
from scraper.types import Block, tidy

MAX_DEPTH = 150
_INLINE = INLINE_TAGS - {"br", "img"}
_IMAGES = frozenset(("img", "amp-img", "picture"))
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class _Walker:
    """Collect paragraph and caption blocks in reading order."""

    caption_ids: set[int]
    image_holders: set[int]  # elements that contain an image
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
            if text := tidy(part):
                self.emit("paragraph", text)
        run.clear()

    def emit(self, kind: str, text: str) -> None:
        self.blocks.append(Block(kind, text))  # type: ignore[arg-type]
        self.after_image = False

    def block(self, node: LexborNode, depth: int) -> None:
        tag, holds_image = node.tag, node.mem_id in self.image_holders
        if node.mem_id in self.caption_ids:
            if text := text_of(node):
                self.emit("caption", text)
        elif tag in _IMAGES:
            self.after_image = True
        elif tag == "table" and holds_image:
            cells = [t for td in node.css("td, th") if td.css_first("img") is None and (t := text_of(td))]
            for cell in cells:
                self.emit("caption", cell)
            self.after_image = not cells
        elif not has_text(node):
            self.after_image = self.after_image or holds_image
        elif holds_image and _image_with_caption(node, text := text_of(node)):
            self.emit("caption", text)
        elif tag in LEAF_TAGS or tag == "h1" or leaf_div(node) \
                or (tag == "li" and not node.css_first("p, div, ul, ol")):
            text = text_of(node)
            caption = self.after_image and looks_like_caption(text) and _emphasised(node, text)
            self.emit("caption" if caption else "paragraph", text)
        elif depth >= MAX_DEPTH:  # absurdly nested markup: keep the text, stop descending
            self.emit("paragraph", text_of(node))
        else:
            self.walk(node, depth + 1)


def _image_with_caption(node: LexborNode, text: str) -> bool:
    """A picture box (the caller knows it holds an image): one short caption-like line,
    no paragraphs."""
    if not looks_like_caption(text):
        return False
    return not any(n.mem_id != node.mem_id for n in node.css("p, div p, li, h2, h3, blockquote"))


def _emphasised(node: LexborNode, text: str) -> bool:
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    italic = tidy(" ".join(text_of(n) for n in node.css("em, i")))
    return "text-align:center" in style or italic.replace(" ", "") == text.replace(" ", "")


def body_blocks(container: LexborNode, sels: Selectors) -> list[Block]:
    caption_ids = node_ids(container.css(", ".join(sels.captions))) if sels.captions else set()
    holders = {a.mem_id for img in container.css("img, amp-img") for a in ancestors(img)}
    walker = _Walker(caption_ids, holders, [])
    walker.walk(container)
    return [b for b in walker.blocks
            if not (is_boilerplate_line(b.text) or is_inline_teaser(b.text) or is_date_line(b.text))]


def byline_after(container: LexborNode) -> list[str]:
    """A byline right after the body container ("<p class=by>Ngọc Lan – Hải Đăng</p>")."""
    node = container.next
    while node is not None and node.tag == "-text" and not tidy(node.text_content or ""):
        node = node.next
    text = text_of(node) if node is not None and node.tag != "-text" else ""
    return split_authors(text) if text and is_byline(text) else []
