"""A fixture network of news sites on 127.0.0.1, generated in code, each on its own port.

    news    Techcity-like: robots.txt (Disallow, Crawl-delay, Sitemap: an index naming an
            .xml and an .xml.gz sitemap), listing pages with ?page=N, the CMS list endpoint
    plain   a site without a profile (generic crawl): rel=next pagination, tracking-parameter
            duplicates, rel=canonical, and the awkward cases: 429 + Retry-After, 500s that
            recover, a hanging response, redirect chain and loop, a redirect to a page already
            fetched, a 50 MB page, a gzip bomb, a windows-1258 page declared as UTF-8, a link
            to a private address
    feeds   RSS and Atom feeds and a sitemap with lastmod (for --since)

Every request is logged (port, path with query, arrival time, If-None-Match); every page has
an ETag and answers a matching If-None-Match with 304.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LEAD = "Sáng {d}/{m}, Sở Y tế tỉnh và Bệnh viện Bạch Mai ký kết thỏa thuận hợp tác chuyên môn số {i}."
PARA = ("Theo thỏa thuận, Bệnh viện Bạch Mai sẽ chuyển giao {n} gói kỹ thuật, đào tạo hơn {k} lượt cán bộ "
        "y tế cho bệnh viện tuyến tỉnh trong giai đoạn 2025-2030. Đây là bài viết thứ {i} của chuyên mục.")
CP1258_TEXT = "Bệnh viện Đa khoa tỉnh đã tiếp nhận hệ thống chụp cộng hưởng từ hiện đại."


def article_html(title: str, i: int, day: int, month: int, links: list[str] = (), canonical: str = "",
                 charset: str = "utf-8") -> str:
    canon = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    related = "".join(f'<li><a href="{u}">Tin liên quan {n}</a></li>' for n, u in enumerate(links))
    paras = "".join(f"<p>{PARA.format(n=i + j, k=100 + i * 7 + j, i=i)}</p>" for j in range(4))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="{charset}"><title>{title}</title>{canon}'
            f'<meta property="og:type" content="article"></head><body>'
            f'<div class="article-detail"><h1 class="article-title">{title}</h1>'
            f'<div class="article-meta"><span class="article-date">{day:02d}/{month:02d}/2024 - 08:00</span></div>'
            f'<div class="article-sapo">{LEAD.format(d=day, m=month, i=i)}</div>'
            f'<div class="article-content">{paras}<p class="author">Phóng viên {i}</p></div></div>'
            f'<div class="box-news"><h3>Tin liên quan</h3><ul>{related}</ul></div>'
            f'<footer>Powered by Techcity</footer></body></html>')


def listing_html(links: list[str], extra: str = "") -> str:
    items = "".join(f'<li><a href="{u}">Bài {n}</a></li>' for n, u in enumerate(links))
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tin tức</title>{extra}</head>' \
           f"<body><ul>{items}</ul></body></html>"


@dataclass(frozen=True)
class Hit:
    port: int
    path: str  # with query
    at: float  # time.monotonic() on arrival
    if_none_match: str | None
    user_agent: str


@dataclass
class Network:
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counters: dict[str, int] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    extra_news: int = 0  # articles added "later" at the top of the news listing
    stop: threading.Event = field(default_factory=threading.Event)

    def log(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def count(self, key: str) -> int:
        with self.lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]

    def paths(self, site: str) -> list[str]:
        return [h.path for h in self.hits if h.port == self.ports[site]]

    def base(self, site: str) -> str:
        return f"http://127.0.0.1:{self.ports[site]}"

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.counters.clear()


# -- the sites -----------------------------------------------------------------------
NEWS_ARTICLES = 90  # 40 in sitemap-1.xml, 30 in sitemap-2.xml.gz, 20 via the list endpoint + listing
PLAIN_ARTICLES = 60
FEED_ARTICLES = 60
PER_LISTING_PAGE = 10


def news_path(i: int) -> str:
    return f"/thoi-su/2024{1 + i % 12:02d}/bai-viet-so-{i}-{i * 7919 % 0xFFFFFFF:07x}"


def plain_path(i: int) -> str:
    return f"/tin/{i}.html"


def feed_path(i: int) -> str:
    return f"/y-te/2024{1 + i % 12:02d}/bai-{i}-{i * 104729 % 0xFFFFFFF:07x}"


def _sitemap(urls: list[tuple[str, str | None]]) -> bytes:
    rows = "".join(f"<url><loc>{u}</loc>{f'<lastmod>{d}</lastmod>' if d else ''}</url>" for u, d in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' \
           f"{rows}</urlset>".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    net: Network
    site: str

    def log_message(self, *args: object) -> None:
        pass

    @property
    def base(self) -> str:
        return self.net.base(self.site)

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", etag: bool = True,
             **headers: str) -> None:
        tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if etag and status == 200 and self.headers.get("If-None-Match") == tag:
            status, body = 304, b""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if etag and status in (200, 304):
            self.send_header("ETag", tag)
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 301) -> None:
        self.send(status, b"", etag=False, Location=location)

    def do_GET(self) -> None:  # noqa: N802
        self.net.log(Hit(self.server.server_address[1], self.path, time.monotonic(),
                         self.headers.get("If-None-Match"), self.headers.get("User-Agent") or ""))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            getattr(self, "site_" + self.site)(parts.path, query)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # news -----------------------------------------------------------------------
    def site_news(self, path: str, q: dict[str, str]) -> None:
        b = self.base
        if path == "/robots.txt":
            body = f"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.1\nSitemap: {b}/sitemap_index.xml\n"
            self.send(200, body.encode(), "text/plain")
        elif path == "/sitemap_index.xml":
            self.send(200, (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            f"<sitemap><loc>{b}/sitemap-1.xml</loc></sitemap>"
                            f"<sitemap><loc>{b}/sitemap-2.xml.gz</loc></sitemap></sitemapindex>").encode(),
                      "application/xml")
        elif path == "/sitemap-1.xml":
            self.send(200, _sitemap([(b + news_path(i), None) for i in range(40)]), "application/xml")
        elif path == "/sitemap-2.xml.gz":
            body = gzip.compress(_sitemap([(b + news_path(i), None) for i in range(40, 70)]), mtime=0)
            self.send(200, body, "application/x-gzip")
        elif path == "/sc_service/api/article/list":
            self.news_api(int(q.get("first", 0)), int(q.get("pageSize", 10)))
        elif path in ("/", "/thoi-su"):
            self.news_listing(int(q.get("page", 1)))
        elif path.startswith("/thoi-su/"):
            self.news_article(path)
        else:
            self.send(404, b"<p>not found</p>", etag=False)

    def news_ids(self) -> list[int]:
        """Newest first: 'later' articles on top, then 89 … 0."""
        extra = [NEWS_ARTICLES + k for k in range(self.net.extra_news)][::-1]
        return extra + list(range(NEWS_ARTICLES))[::-1]

    def news_listing(self, page: int) -> None:
        ids = self.news_ids()[(page - 1) * PER_LISTING_PAGE: page * PER_LISTING_PAGE]
        links = [self.base + news_path(i) + "?utm_source=home" for i in ids]
        links += [f"{self.base}/private/secret.html", "http://127.0.0.1:9/admin", "http://10.0.0.1/x"]
        self.send(200, listing_html(links).encode())

    def news_api(self, first: int, size: int) -> None:
        ids = list(range(70, NEWS_ARTICLES))[first: first + size]
        items = [{"title": f"Bài {i}", "lead": "…", "publishDate": f"2024-{1 + i % 12:02d}-15T08:00:00",
                  "pageUrl": news_path(i)} for i in ids]
        self.send(200, json.dumps({"data": {"items": items, "total": 20}}).encode(), "application/json")

    def news_article(self, path: str) -> None:
        ids = {news_path(i): i for i in range(NEWS_ARTICLES + self.net.extra_news)}
        if path not in ids:
            self.send(404, b"<p>not found</p>", etag=False)
            return
        i = ids[path]
        related = [self.base + news_path((i + 1) % NEWS_ARTICLES) + "#binh-luan"]
        self.send(200, article_html(f"Tin thời sự số {i}", i, 1 + i % 28, 1 + i % 12, related).encode())

    # plain ----------------------------------------------------------------------
    def site_plain(self, path: str, q: dict[str, str]) -> None:
        b = self.base
        trouble = {"/flaky": self.flaky, "/limited": self.limited, "/hang": self.hang, "/big": self.big,
                   "/bomb": self.bomb, "/cp1258": self.cp1258, "/moved": lambda: self.redirect(b + plain_path(0)),
                   "/loop/a": lambda: self.redirect("/loop/b"), "/loop/b": lambda: self.redirect("/loop/a")}
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        elif path in trouble:
            trouble[path]()
        elif path.startswith("/redirect/"):
            hops = int(path.rsplit("/", 1)[1])
            self.redirect(f"/redirect/{hops - 1}" if hops > 1 else plain_path(1), 302)
        elif path in ("/", "/tin"):
            self.plain_listing(int(q.get("page", 1)))
        elif path.startswith("/tin/") or path.startswith("/print/"):
            self.plain_article(path)
        else:
            self.send(404, b"<p>not found</p>", etag=False)

    def plain_listing(self, page: int) -> None:
        b, last = self.base, PLAIN_ARTICLES // PER_LISTING_PAGE
        ids = range((page - 1) * PER_LISTING_PAGE, page * PER_LISTING_PAGE)
        links = [b + plain_path(i) for i in ids] + [b + plain_path(i) + "?utm_campaign=x&fbclid=1" for i in ids]
        if page == 1:
            links += [f"{b}/{p}" for p in ("flaky", "limited", "hang", "big", "bomb", "cp1258", "moved",
                                            "loop/a", "redirect/3", "admin/login", "print/0")]
            links += ["http://127.0.0.1:9/private", "http://169.254.169.254/latest/meta-data", "http://localhost/x"]
        nxt = f'<link rel="next" href="{b}/tin?page={page + 1}">' if page < last else ""
        self.send(200, listing_html(links, nxt).encode())

    def plain_article(self, path: str) -> None:
        if path.startswith("/print/"):  # a printable copy whose canonical URL is the article
            i = int(path.rsplit("/", 1)[1])
            self.send(200, article_html(f"Bản in {i}", i, 2, 3, canonical=self.base + plain_path(i)).encode())
            return
        i = int(path.rsplit("/", 1)[1].split(".")[0])
        if i >= PLAIN_ARTICLES:
            self.send(404, b"<p>not found</p>", etag=False)
            return
        self.send(200, article_html(f"Tin địa phương số {i}", i, 1 + i % 28, 1 + i % 12).encode())

    def flaky(self) -> None:  # 500, 500, then the page
        if self.net.count("flaky") <= 2:
            self.send(500, b"<p>oops</p>", etag=False)
        else:
            self.send(200, article_html("Trang phục hồi sau lỗi", 500, 5, 5).encode())

    def limited(self) -> None:  # 429 with Retry-After: 1, then the page
        if self.net.count("limited") == 1:
            self.send(429, b"<p>slow down</p>", etag=False, Retry_After="1")
        else:
            self.send(200, article_html("Trang sau khi chờ", 429, 6, 6).encode())

    def hang(self) -> None:
        self.net.stop.wait(5)

    def big(self) -> None:  # 50 MB, streamed: the client must stop reading at its limit
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")  # no Content-Length: the size shows only while reading
        self.end_headers()
        self.close_connection = True
        chunk = b"<p>" + b"x" * (1024 * 1024 - 3)
        for _ in range(50):
            self.wfile.write(chunk)

    def bomb(self) -> None:
        self.send(200, BOMB, etag=False, Content_Encoding="gzip")

    def cp1258(self) -> None:  # windows-1258 bytes, declared UTF-8 in the header and the meta
        html = article_html("Trang mã hóa sai", 1258, 7, 7).replace(
            "<div class=\"article-content\">", f"<div class=\"article-content\"><p>{CP1258_TEXT}</p>")
        self.send(200, encode_cp1258(html))

    # feeds ----------------------------------------------------------------------
    def site_feeds(self, path: str, q: dict[str, str]) -> None:
        b = self.base
        if path == "/robots.txt":
            self.send(200, f"User-agent: *\nAllow: /\nSitemap: {b}/sitemap.xml\n".encode(), "text/plain")
        elif path == "/sitemap.xml":
            self.send(200, _sitemap([(b + feed_path(i), f"2024-{1 + i % 12:02d}-10") for i in range(20, 60)]),
                      "application/xml")
        elif path == "/rss.xml":
            items = "".join(f"<item><title>Bài {i}</title><link>{b}{feed_path(i)}</link>"
                            f"<pubDate>Wed, 10 {MONTHS[i % 12]} 2024 08:00:00 +0700</pubDate></item>" for i in range(10))
            self.send(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Y tế</title>{items}'
                           f"</channel></rss>".encode(), "application/rss+xml")
        elif path == "/atom.xml":
            entries = "".join(f'<entry><title>Bài {i}</title><link href="{b}{feed_path(i)}"/>'
                              f"<updated>2024-{1 + i % 12:02d}-10T08:00:00Z</updated></entry>" for i in range(10, 20))
            self.send(200, f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode(),
                      "application/atom+xml")
        elif path == "/":
            self.send(200, listing_html([]).encode())
        elif path.startswith("/y-te/"):
            ids = {feed_path(i): i for i in range(FEED_ARTICLES)}
            if path not in ids:
                self.send(404, b"", etag=False)
                return
            i = ids[path]
            self.send(200, article_html(f"Tin y tế số {i}", i, 10, 1 + i % 12).encode())
        else:
            self.send(404, b"<p>not found</p>", etag=False)


    # small ----------------------------------------------------------------------
    def site_small(self, path: str, q: dict[str, str]) -> None:
        """SMALL_ARTICLES articles behind a paginated listing: the crash test's site."""
        b, last = self.base, SMALL_ARTICLES // PER_LISTING_PAGE
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path in ("/", "/tin"):
            page = int(q.get("page", 1))
            ids = range((page - 1) * PER_LISTING_PAGE, page * PER_LISTING_PAGE)
            nxt = f'<link rel="next" href="{b}/tin?page={page + 1}">' if page < last else ""
            self.send(200, listing_html([b + plain_path(i) + "?utm_source=x" for i in ids], nxt).encode())
        elif path.startswith("/tin/") and int(path[5:].split(".")[0]) < SMALL_ARTICLES:
            i = int(path[5:].split(".")[0])
            self.send(200, article_html(f"Tin ngắn số {i}", i, 1 + i % 28, 1 + i % 12).encode())
        else:
            self.send(404, b"<p>not found</p>", etag=False)


SMALL_ARTICLES = 40
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BOMB = gzip.compress(bytes(64 * 1024 * 1024), compresslevel=9)  # 64 MiB of zeros, ~64 KiB on the wire


def encode_cp1258(text: str) -> bytes:
    """windows-1258 as Vietnamese legacy pages use it: base letter plus a combining tone mark."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323")
            out += unicodedata.normalize("NFC", nfd.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64


def start_network(sites: tuple[str, ...] = ("news", "plain", "feeds")) -> tuple[Network, list[_Server]]:
    net = Network()
    servers = []
    for site in sites:
        handler = type(f"{site.title()}Handler", (Handler,), {"net": net, "site": site})
        server = _Server(("127.0.0.1", 0), handler)
        net.ports[site] = server.server_address[1]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
    return net, servers


def stop_network(net: Network, servers: list[_Server]) -> None:
    net.stop.set()
    for server in servers:
        server.shutdown()
        server.server_close()
