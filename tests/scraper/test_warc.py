"""scraper/warc.py: WARC files built here with warcio — only 200 HTML responses of the
configured Vietnamese domains come out, decoded; WarcWriter round-trips bytes."""

from __future__ import annotations

import gzip
import unicodedata
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.errors import InputError
from scraper.types import Page
from scraper.warc import WarcStats, WarcWriter, domain_filter, news_domains, read_pages, split_warc
from tests.conftest import REPO

DEMO = (REPO / "corpus" / "demo_site" / "thoi-su" / "202503" /
        "benh-vien-bach-mai-va-ubnd-tinh-nghe-an-ky-ket-hop-tac-giai-doan-2025-2030-1a2b3c4" / "index.html")
W1258 = "<html><head><title>Bệnh viện tỉnh</title></head><body><p>Sở Y tế tỉnh Nghệ An</p></body></html>"


def to_cp1258(text: str) -> bytes:
    """windows-1258 as Vietnamese pages use it: precomposed letters, tone marks combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def _response(w, url, status, ctype, body, extra=()):
    headers = [("Content-Type", ctype), *extra, ("Content-Length", str(len(body)))]
    w.write_record(w.create_warc_record(url, "response", payload=BytesIO(body),
                                        http_headers=StatusAndHeaders(f"{status} X", headers, protocol="HTTP/1.1")))


def build_warc(path: Path) -> Path:
    """Six responses: an article, a non-Vietnamese domain, a 404, an image, a gzip body, a windows-1258 page."""
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        _response(w, "https://truyenhinhnghean.vn/thoi-su/202503/a.html", 200, "text/html; charset=utf-8",
                  DEMO.read_bytes())
        _response(w, "https://www.bbc.co.uk/news/x", 200, "text/html", b"<html><body>news</body></html>")
        _response(w, "https://bacninhtv.vn/missing.html", 404, "text/html", b"<html>not found</html>")
        _response(w, "https://bacninhtv.vn/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
        _response(w, "https://www.hatinhtv.vn/tin/gz.html", 200, "text/html; charset=utf-8",
                  gzip.compress(W1258.encode()), extra=[("Content-Encoding", "gzip")])
        _response(w, "https://qbtv.vn/tin/1258.html", 200, "text/html; charset=windows-1258",
                  to_cp1258(W1258))
    return path


def test_reader_keeps_only_vietnamese_200_html(tmp_path):
    stats = WarcStats()
    pages = list(read_pages(build_warc(tmp_path / "a.warc.gz"), stats=stats))
    assert [p.url for p in pages] == ["https://truyenhinhnghean.vn/thoi-su/202503/a.html",
                                      "https://www.hatinhtv.vn/tin/gz.html", "https://qbtv.vn/tin/1258.html"]
    assert (stats.responses, stats.kept, stats.skipped_domain, stats.skipped_status, stats.skipped_type) == (6, 3, 1, 1, 1)
    assert pages[0].body == DEMO.read_bytes()
    assert pages[1].body == W1258.encode() and "Content-Encoding" not in pages[1].headers  # decoded
    from scraper.encoding import decode_body
    assert "Sở Y tế tỉnh Nghệ An" in decode_body(pages[2].body, pages[2].content_type)


def test_extra_domains_and_all_domains(tmp_path):
    path = build_warc(tmp_path / "a.warc")
    assert len(list(read_pages(path, domain_filter(news_domains(["https://www.bbc.co.uk/"]))))) == 4
    assert len(list(read_pages(path, domain_filter(None)))) == 4
    assert "truyenhinhnghean.vn" in news_domains() and "bacninhtv.vn" in news_domains()


def test_writer_round_trip_and_rotation(tmp_path):
    body = DEMO.read_bytes()
    pages = [Page(url=f"https://bacninhtv.vn/tin/{i}.html", final_url=f"https://bacninhtv.vn/tin/{i}.html",
                  status=200, headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                  body=body + str(i).encode(), fetched_at=datetime(2025, 1, 14, 11, 30, i, tzinfo=timezone.utc))
             for i in range(5)]
    with WarcWriter(tmp_path / "out", max_bytes=len(body)) as warc:
        for p in pages:
            warc.write(p)
    assert len(warc.paths) >= 2  # rotated by size
    back = [p for path in warc.paths for p in read_pages(path)]
    assert [(p.url, p.body, p.fetched_at, p.content_type) for p in back] == \
           [(p.url, p.body, p.fetched_at, p.content_type) for p in pages]
    stats = WarcStats()
    list(read_pages(warc.paths[0], stats=stats))
    assert stats.other_records >= 2  # warcinfo + request records


def test_writer_wraps_a_page_sink(tmp_path):
    class Sink:
        def prepare(self, page):
            return page.url

    page = Page(url="https://bacninhtv.vn/x", final_url="https://bacninhtv.vn/x", status=200,
                headers={"Content-Type": "text/html"}, body=b"<html>x</html>", fetched_at=datetime.now(timezone.utc))
    with WarcWriter(tmp_path) as warc:
        sink = warc.wrap(Sink())
        assert sink.prepare(page) == "https://bacninhtv.vn/x" and sink.written == 1
    assert [p.body for p in read_pages(warc.paths[0])] == [b"<html>x</html>"]


def test_unreadable_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a warc file\r\n\r\n")
    with pytest.raises(InputError, match="WARC"):
        list(read_pages(bad))
    with pytest.raises(InputError, match="no such file"):
        list(read_pages(tmp_path / "none.warc.gz"))


def _pages(n: int) -> list[Page]:
    body = DEMO.read_bytes()
    return [Page(url=f"https://bacninhtv.vn/tin/{i}.html", final_url=f"https://bacninhtv.vn/tin/{i}.html",
                 status=200, headers={"Content-Type": "text/html; charset=utf-8"}, body=body[:3000 + 2000 * i],
                 fetched_at=datetime(2025, 1, 14, 11, 30, i, tzinfo=timezone.utc)) for i in range(n)]


def test_a_cut_off_last_record_leaves_the_earlier_ones_whole(tmp_path, caplog):
    """A writer killed mid-write: every cut of the last page's records reads as the pages
    before it (never a short body), counted as truncated, with a warning."""
    pages = _pages(4)
    with WarcWriter(tmp_path / "w") as warc:
        for p in pages[:3]:
            warc.write(p)
        whole3 = warc.paths[0].stat().st_size  # flushed after each page
        warc.write(pages[3])
    data = warc.paths[0].read_bytes()
    cut_file = tmp_path / "cut.warc.gz"
    for cut in range(whole3 + 1, len(data), 41):
        cut_file.write_bytes(data[:cut])
        stats = WarcStats()
        back = [(p.url, p.body) for p in read_pages(cut_file, stats=stats)]
        assert back == [(p.url, p.body) for p in pages[:len(back)]], cut
        if cut < whole3 + (len(data) - whole3) // 2:  # inside the response record
            assert len(back) == 3 and stats.truncated == 1, cut
    assert "cut-off or damaged record" in caplog.text


def test_split_ranges_read_as_the_whole_file(tmp_path):
    pages = _pages(6)
    with WarcWriter(tmp_path / "w") as warc:
        for p in pages:
            warc.write(p)
    path = warc.paths[0]
    whole = [(p.url, p.body) for p in read_pages(path)]
    for chunk in (500, 2000, 7000):
        stats = WarcStats()
        ranges = split_warc(path, chunk)
        assert len(ranges) > 1
        assert [(p.url, p.body) for a, b in ranges for p in read_pages(path, None, stats, a, b)] == whole
        assert stats.files == 1 and stats.kept == 6
    one_member = tmp_path / "one.warc.gz"  # a whole-file gzip cannot be entered mid-file
    one_member.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())))
    assert split_warc(one_member, 500) == [(0, None)]


def test_writer_folder_errors_and_file_names(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="cannot create the WARC folder"):
        WarcWriter(tmp_path / "file" / "warc")
    page = _pages(1)[0]
    with WarcWriter(tmp_path / "w") as a, WarcWriter(tmp_path / "w") as b:  # same folder, same process
        a.write(page)
        b.write(page)
    assert len({*a.paths, *b.paths}) == 2
