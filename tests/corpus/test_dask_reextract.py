"""`vnnews reextract --dask`: the same records as the serial re-extraction, computed on a
LocalCluster (threads here, so it starts fast) that is always closed."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

import pytest

pytest.importorskip("distributed")

from corpus.dask_reextract import reextract_dask
from corpus.reextract import reextract
from corpus.store import Corpus, RawInput
from extract import Record
from scraper.html import parse_page
from scraper.types import Page
from tests.conftest import REPO

PAGES = sorted((REPO / "corpus" / "demo_site").glob("*/*/*/index.html"))


def _fill(db: str) -> None:
    with Corpus(db) as c:
        for i, path in enumerate(PAGES[:12]):
            url = f"http://127.0.0.1:8000/{path.parent.relative_to(REPO / 'corpus' / 'demo_site')}/"
            page = Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                        body=path.read_bytes(), fetched_at=datetime(2025, 3, 1, tzinfo=timezone.utc))
            article = parse_page(page)
            if article is not None:
                c.store(Record(article=article, extractor="old"), RawInput(
                    body=page.body, input_format="html", url=url, status=200, headers=page.headers,
                    fetched_at=page.fetched_at))


def _records(db: str) -> list[dict]:
    with Corpus(db, readonly=True) as c:
        return [json.loads(r[0]) for r in c.conn.execute("SELECT record FROM articles ORDER BY key")]


def test_dask_reextract_equals_serial(tmp_path):
    from distributed import Client, LocalCluster

    serial, dask = str(tmp_path / "s.db"), str(tmp_path / "d.db")
    _fill(serial)
    _fill(dask)
    with Corpus(serial) as c:
        s = reextract(c)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client, Corpus(dask) as c:
        d = reextract_dask(c, client, batch_size=3)
    assert s.considered == d.considered > 5 and (s.changed, s.failed) == (d.changed, d.failed)
    assert _records(serial) == _records(dask)
    assert all(r["extractor"] != "old" for r in _records(dask))


def test_on_postgresql_the_workers_store_and_the_corpus_equals_serial(tmp_path, pg_dsn, monkeypatch):
    from distributed import Client, LocalCluster

    import corpus.dask_reextract as dr

    serial = str(tmp_path / "s.db")
    _fill(serial)
    _fill(pg_dsn)
    with Corpus(serial) as c:
        s = reextract(c)
    stores_by_client = []
    real_store = Corpus.store

    def store(self, *args, **kw):
        stores_by_client.append(threading.current_thread().name)
        return real_store(self, *args, **kw)

    monkeypatch.setattr(Corpus, "store", store)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client, Corpus(pg_dsn) as c:
        d = dr.reextract_dask(c, client, batch_size=3)
    assert s.considered == d.considered > 5 and (s.changed, s.failed) == (d.changed, d.failed)
    assert stores_by_client and threading.main_thread().name not in stores_by_client  # workers wrote, not the client
    with Corpus(pg_dsn, readonly=True) as c:
        pg = [json.loads(r[0]) for r in c.conn.execute("SELECT record FROM articles ORDER BY key")]
        stories = sorted(tuple(r) for r in c.conn.execute(
            "SELECT key, (SELECT key FROM articles s WHERE s.id = a.duplicate_of) FROM articles a"))
    assert pg == _records(serial)
    with Corpus(serial, readonly=True) as c:
        assert stories == sorted(tuple(r) for r in c.conn.execute(
            "SELECT key, (SELECT key FROM articles s WHERE s.id = a.duplicate_of) FROM articles a"))


# -- reextract --dask --warc ----------------------------------------------------------------
def _page(url: str, body: bytes, second: int = 0) -> Page:
    return Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                body=body, fetched_at=datetime(2025, 3, 1, 0, 0, second, tzinfo=timezone.utc))


def _warc_files(folder) -> list[str]:
    """Two files of demo pages on a news domain, a foreign page in each, and one URL in both
    with different bytes (the later copy must win, as in a serial import)."""
    from scraper.warc import WarcWriter

    urls = [f"https://truyenhinhnghean.vn/{p.parent.relative_to(REPO / 'corpus' / 'demo_site')}/" for p in PAGES]
    paths = []
    for n, chunk in enumerate((range(0, 7), range(7, 16))):
        with WarcWriter(folder, prefix=f"part{n}") as warc:
            for i in chunk:
                warc.write(_page(urls[i], PAGES[i].read_bytes(), i))
            warc.write(_page("https://www.bbc.co.uk/news/x", PAGES[0].read_bytes()))
            warc.write(_page(urls[0], PAGES[1].read_bytes().replace(b"</p>", " (cập nhật)</p>".encode(), 1), 59))
        paths += map(str, warc.paths)
    return paths


def _stored(db: str) -> dict[str, tuple[dict, str]]:
    with Corpus(db, readonly=True) as c:
        return {key: (json.loads(record), sha) for key, record, sha in c.conn.execute(
            "SELECT a.key, a.record, p.body_sha256 FROM articles a JOIN pages p ON p.id = a.page_id")}


def test_dask_warc_equals_serial_import_warc(tmp_path, capsys):
    from distributed import Client, LocalCluster

    from corpus.cli import main
    from corpus.inputs import InputOptions
    from corpus.warcimport import import_warc_dask
    from scraper.warc import split_warc

    files = _warc_files(tmp_path / "warc")
    serial, direct, cli = (str(tmp_path / f"{name}.db") for name in ("serial", "direct", "cli"))
    assert main(["import-warc", *files, "--db", serial]) == 0
    serial_line = capsys.readouterr().out.removeprefix("import-warc: ")
    assert "2 file(s)" in serial_line and "skipped 2 by domain" in serial_line
    assert sum(len(split_warc(f, 20_000)) for f in files) > len(files)  # some files are split in several tasks
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        with Corpus(direct) as c:
            summary = import_warc_dask(c, client, files, InputOptions(input_format="warc"), chunk_bytes=20_000)
        assert main(["reextract", "--dask", cluster.scheduler_address, "--warc", *files, "--db", cli]) == 0
    assert summary.line() + "\n" == serial_line
    assert capsys.readouterr().out == "reextract: " + serial_line
    assert _stored(direct) == _stored(serial) == _stored(cli) and len(_stored(serial)) > 5
