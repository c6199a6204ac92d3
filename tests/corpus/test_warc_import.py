"""`vnnews import-warc` and `vnnews extract --input-format warc` on a generated WARC file
(no Common Crawl file can be downloaded here)."""

from __future__ import annotations

import json

from corpus.cli import main
from corpus.store import Corpus
from tests.scraper.test_warc import build_warc


def test_import_warc_stores_pages_and_records(tmp_path, corpus_db, capsys):
    path = str(build_warc(tmp_path / "a.warc.gz"))
    assert main(["import-warc", path, "--db", corpus_db]) == 0
    out = capsys.readouterr().out
    assert "6 responses, 3 kept, skipped 1 by domain, 1 by status, 1 by type" in out
    with Corpus(corpus_db, readonly=True) as c:
        sites = sorted(r[0] for r in c.conn.execute("SELECT site FROM articles"))
        assert "truyenhinhnghean.vn" in sites
        page = c.conn.execute("SELECT status, input_format FROM pages LIMIT 1").fetchone()
        assert tuple(page) == (200, "html")
        run = c.conn.execute("SELECT command, status FROM runs").fetchone()
        assert tuple(run) == ("import-warc", "ok")
        n = c.count("articles")
    assert main(["import-warc", path, "--db", corpus_db]) == 0  # again: nothing new
    assert f"0 articles added, {n} unchanged" in capsys.readouterr().out
    assert main(["reextract", "--all", "--db", corpus_db]) == 0  # raw bytes kept: redoable


def test_extract_reads_warc(tmp_path, capsys):
    path = str(build_warc(tmp_path / "a.warc.gz"))
    assert main(["extract", "--input-format", "warc", path]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "https://truyenhinhnghean.vn/thoi-su/202503/a.html" in [r["url"] for r in records]
    assert all("bbc" not in r["url"] for r in records)
    assert any("Bạch Mai" in h["name"] for r in records for h in r["hospitals"])


def test_bad_warc_is_one_line(tmp_path, capsys):
    bad = tmp_path / "x.warc.gz"
    bad.write_bytes(b"\x1f\x8bnot gzip at all")
    assert main(["import-warc", str(bad), "--db", str(tmp_path / "c.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vnnews: error:") and len(err.strip().splitlines()) == 1
