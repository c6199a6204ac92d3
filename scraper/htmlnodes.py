"""Small helpers over selectolax (lexbor) nodes shared by the HTML parser modules."""

from __future__ import annotations

from typing import Iterable, Iterator

from selectolax.lexbor import LexborNode

from scraper.types import tidy

STOP_TAGS = frozenset(("html", "body", "-document"))
_BLANK = " \t\n\r\f\v\u00a0\u200b\ufeff"


def text_of(node: LexborNode | None) -> str:
    return tidy(node.text(deep=True, separator="", strip=False)) if node is not None else ""


def node_ids(nodes: Iterable[LexborNode]) -> set[int]:
    return {n.mem_id for n in nodes}


def ancestors(node: LexborNode | None) -> Iterator[LexborNode]:
    """The node and its ancestors up to (not including) body/html."""
    while node is not None and node.tag not in STOP_TAGS:
        yield node
        node = node.parent


def has_text(node: LexborNode) -> bool:
    """Cheaper than ``bool(text_of(node))``: no normalisation."""
    return bool(node.text(deep=True, separator="", strip=False).strip(_BLANK))


def first_match(root: LexborNode, selectors: Iterable[str]) -> LexborNode | None:
    """The first element with text matched by the first selector that matches one."""
    for sel in selectors:
        for node in root.css(sel):
            if node.tag != "meta" and has_text(node):
                return node
    return None


def texts_of(root: LexborNode, selectors: Iterable[str]) -> list[str]:
    """The texts of every element the first matching selector finds."""
    for sel in selectors:
        found = [t for n in root.css(sel) if n.tag != "meta" and (t := text_of(n))]
        if found:
            return found
    return []


def raw_len(node: LexborNode) -> int:
    """Length of the node's text, outer whitespace stripped, not normalised (cheap)."""
    return len(node.text(deep=True, separator="", strip=False).strip())


def link_density(node: LexborNode) -> float:
    """Share of the node's text inside links (raw lengths: no normalisation needed)."""
    total = raw_len(node)
    return sum(raw_len(a) for a in node.css("a")) / total if total else 0.0


def decompose_outermost(nodes: list[LexborNode]) -> None:
    """Remove each node unless an ancestor is removed with it."""
    unique = {n.mem_id: n for n in nodes}
    outermost = [n for n in unique.values() if not any(a.mem_id in unique for a in ancestors(n.parent))]
    for node in outermost:
        node.decompose()
