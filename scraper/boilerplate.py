"""Boilerplate rules as data, shared by the HTML parser and the text-dump parser.

A block whose heading is one of ``BLOCK_HEADINGS`` (any case, spacing, diacritics or a
trailing colon) is dropped whole.  Lines matching ``LINE_PATTERNS`` never reach the
text; ``is_image_filename`` catches alt texts such as ``toan_canh_Le_ky_ket``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

BLOCK_HEADINGS: tuple[str, ...] = (
    "Cùng chủ đề",
    "Cùng tác giả",
    "Cùng chuyên mục",
    "Tin cùng chuyên mục",
    "Tin nổi bật",
    "Tin mới nhất",
    "Tin mới",
    "Tin liên quan",
    "Bài liên quan",
    "Tin bài liên quan",
    "Xem thêm",
    "Đọc thêm",
    "Tin khác",
    "Tin bài khác",
    "Bài viết khác",
    "Bài viết liên quan",
    "Tin tức liên quan",
    "Tin đã đưa",
    "Tin cũ hơn",
    "Tin mới hơn",
    "Tin đọc nhiều",
    "Đọc nhiều nhất",
    "Xem nhiều",
    "Xem nhiều nhất",
    "Tin xem nhiều",
    "Có thể bạn quan tâm",
    "Bạn có thể quan tâm",
    "Tin tiêu điểm",
    "Tiêu điểm",
    "Bình luận",
    "Ý kiến bạn đọc",
    "Ý kiến",
    "Gửi bình luận",
    "Chia sẻ",
    "Tags",
    "Từ khóa",
)

# Headings of boxes that sit inside an article body (a few teaser links); every other
# heading starts a trailer that runs to the end of a text dump.
INLINE_HEADINGS: tuple[str, ...] = ("Tin liên quan", "Bài liên quan", "Tin bài liên quan", "Xem thêm", "Đọc thêm")

LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^powered by\b.*$",
        r"^(copyright\b|©).*$",
        r"^bản quyền (thuộc|©|\d{4}).*$",
        r"^giấy phép (số|xuất bản|thiết lập|hoạt động báo chí|mxh|trang)\b.*$",
        r"^.{0,120}\b\d+/GP-\w+.{0,120}$",  # "… Giấy phép số 245/GP-BTTTT …"
        r"^(cơ quan chủ quản|ghi rõ nguồn|chịu trách nhiệm nội dung)\b.*$",
        r"^(chia sẻ|in bài|gửi bài|share|tweet|print)( bài viết)?:?$",
        r"^(trang chủ|home)( [/>»›|].*)?$",
        r"^(lên đầu trang|về đầu trang|quay lại)$",
        r"^(facebook|twitter|zalo|email)$",
        r"^(ảnh|video|nguồn ảnh)\s*:?\s*$",
    )
)

_IMAGE_NAME = re.compile(
    r"^(?=\S*[_\-.])[A-Za-z0-9_\-.]+(\.(jpe?g|png|gif|webp|bmp))?$", re.IGNORECASE
)
_IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|bmp)$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def heading_key(text: str) -> str:
    """'TIN  NỔI BẬT:' -> 'tin noi bat', 'Bình luận (3)' -> 'binh luan', 'Các tin khác' ->
    'tin khac' (no diacritics, đ→d, lower, single spaces, no trailing count or punctuation,
    no leading "các"/"những")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"(\s*\(\d+\))?[\s:>»›|\-–—.]*$", "", plain.strip())  # "Bình luận (3):"
    plain = re.sub(r"^(cac|nhung)\s+", "", plain)  # "Các tin khác"
    return " ".join(plain.split())


_HEADING_KEYS = frozenset(heading_key(h) for h in BLOCK_HEADINGS)
_INLINE_KEYS = frozenset(heading_key(h) for h in INLINE_HEADINGS)


def is_block_heading(text: str) -> bool:
    """True for a boilerplate block heading such as "Cùng chủ đề" or "TIN MỚI NHẤT:"."""
    if len(text) > 40 or not text.strip():
        return False
    return heading_key(text) in _HEADING_KEYS


def is_inline_heading(text: str) -> bool:
    """A heading of an in-body teaser box ("Tin liên quan:", "Xem thêm")."""
    return len(text) <= 40 and heading_key(text) in _INLINE_KEYS


def is_inline_teaser(text: str) -> bool:
    """"Xem thêm: <title>" / "Đọc thêm >> <title>" lines: a heading with a link after it."""
    m = _INLINE_TEASER.match(text)
    return bool(m) and heading_key(m.group(1)) in _HEADING_KEYS


_INLINE_TEASER = re.compile(r"^\s*([^:>»]{3,25})\s*(:|>>|»)\s*\S")


# "(BTV) - Chiều 14/1, …", "(Baonghean.vn) – Sáng …": the outlet's tag before the sapo.
AGENCY_PREFIX = re.compile(r"^\(([^()]{2,30})\)\s*[-–—:]\s*(?=\S)")


def strip_agency_prefix(text: str) -> str:
    """'(BTV) - Chiều 14/1, …' -> 'Chiều 14/1, …'."""
    return AGENCY_PREFIX.sub("", text, count=1)


def is_image_filename(text: str) -> bool:
    """Alt texts and captions that are just a file name: 'toan_canh_Le_ky_ket', 'IMG_0231.JPG'."""
    t = text.strip()
    if not t or " " in t or len(t) > 120:
        return False
    if _IMAGE_EXT.search(t):
        return True
    return bool(_IMAGE_NAME.match(t)) and ("_" in t or t.count("-") >= 2)


_ANY_LINE = re.compile("|".join(f"(?:{p.pattern})" for p in LINE_PATTERNS), re.IGNORECASE)


def is_boilerplate_line(text: str) -> bool:
    """A line matching one of ``LINE_PATTERNS`` (tried as one regular expression) or a file name."""
    t = text.strip()
    return bool(_ANY_LINE.match(t)) or is_image_filename(t)
