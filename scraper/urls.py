"""URL facts the crawler needs: one spelling per page, what is a page link, which hosts
are private.

``canonicalize_url`` is the frontier key: two spellings of one article (tracking
parameters, case, default port, fragment, trailing slash, dot segments) give one key.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset((
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "zarsrc", "ref_src", "spm", "cmpid",
))
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SKIP_EXTENSIONS = frozenset((
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".pdf", ".doc", ".docx",
    ".xls", ".xlsx", ".zip", ".rar", ".mp3", ".mp4", ".avi", ".mov", ".css", ".js", ".woff", ".woff2",
))
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_ESCAPE = re.compile(r"%[0-9a-f]{2}", re.IGNORECASE)


def _is_tracking(key: str) -> bool:
    return key.lower().startswith("utm_") or key.lower() in TRACKING_PARAMS


@lru_cache(maxsize=32768)  # pure, and a site's menus repeat the same links on every page
def canonicalize_url(url: str, *, keep_trailing_slash: bool = False) -> str:
    """One spelling per page: lower-case scheme and host, no default port, no fragment,
    no tracking parameters (utm_*, fbclid, …), sorted query, no dot segments, no trailing
    slash (except the root; ``keep_trailing_slash`` keeps it, for fetching directories)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = posixpath.normpath(parts.path) if parts.path not in ("", "/") else "/"
    path = "/" if path in (".", "//") else path.replace("//", "/")
    if parts.path.endswith("/") and path != "/" and keep_trailing_slash:
        path += "/"
    path = _ESCAPE.sub(lambda m: m.group(0).upper(), quote(path, safe=_PATH_SAFE))
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def netloc_of(url: str) -> str:
    """'HTTP://Example.vn:80/a' -> 'example.vn' (the politeness unit: host plus non-default port)."""
    return urlsplit(canonicalize_url(url)).netloc


def is_page_link(url: str) -> bool:
    """Not an image, a document, a stylesheet, …; and http(s)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and \
        posixpath.splitext(parts.path)[1].lower() not in _SKIP_EXTENSIONS


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local, reserved and unspecified IP literals and for
    localhost names.  Host names are not resolved here (see ``fetch.resolves_private``)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address_is_private(ip)


def address_is_private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_unspecified or ip.is_multicast)
