"""The SQLite frontier (corpus.frontier): one transaction per visit, resume vs new run."""

from __future__ import annotations

import pytest

from corpus.frontier import SqliteFrontier
from corpus.store import Corpus
from scraper.frontier import Entry, Link, MemoryFrontier, Visit
from scraper.types import Page


def _link(path: str, kind: str = "article", refresh: bool = False) -> Link:
    url = "https://x.vn" + path
    return Link(key=url, url=url, site="x.vn", host="x.vn", kind=kind, refresh=refresh,
                priority=0 if refresh else 1)


def _entry(store, path: str) -> Entry:
    (entry,) = [e for e in store.next_batch("x.vn", 100, set()) if e.key.endswith(path)]
    return entry


def _page(url: str, etag: str = '"e1"') -> Page:
    return Page(url=url, final_url=url, status=200, headers={"etag": etag}, body=b"<p>x</p>",
                fetched_at=None, etag=etag)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "memory"])
def store(request, fresh_db):
    if request.param == "memory":
        yield MemoryFrontier()
        return
    with Corpus(fresh_db) as corpus:
        yield SqliteFrontier(corpus)


def test_new_run_requeues_entry_points_with_their_validators(store) -> None:
    store.begin([_link("/", "listing", refresh=True)])
    home = _entry(store, "/")
    store.record(Visit(home, "done", 200, page=_page(home.url), links=[_link("/a")]))
    store.finish(True)
    assert store.known(["https://x.vn/a", "https://x.vn/zzz"]) == {"https://x.vn/a"}
    store.begin([_link("/", "listing", refresh=True)])  # a new run: the home page again, conditionally
    entries = {e.key: e for e in store.next_batch("x.vn", 10, set())}
    assert entries["https://x.vn/"].etag == '"e1"'
    assert set(entries) == {"https://x.vn/", "https://x.vn/a"}  # /a was never visited: still queued


def test_unfinished_run_resumes_without_refetching_entry_points(store) -> None:
    store.begin([_link("/", "listing", refresh=True)])
    home = _entry(store, "/")
    store.record(Visit(home, "done", 200, page=_page(home.url), links=[_link("/a")]))
    # killed here: finish() never ran
    store.begin([_link("/", "listing", refresh=True)])
    assert [e.key for e in store.next_batch("x.vn", 10, set())] == ["https://x.vn/a"]


def test_page_and_state_commit_together(fresh_db) -> None:
    written = []

    def write(page, prepared):
        if prepared == "boom":
            raise RuntimeError("disk full")
        written.append(page.url)
        return None

    with Corpus(fresh_db) as corpus:
        store = SqliteFrontier(corpus, write)
        store.begin([_link("/a"), _link("/b")])
        a, b = _entry(store, "/a"), _entry(store, "/b")
        with pytest.raises(RuntimeError):
            store.record(Visit(a, "done", 200, page=_page(a.url), prepared="boom", links=[_link("/c")]))
        store.record(Visit(b, "done", 200, page=_page(b.url), prepared="ok"))
        states = dict(corpus.conn.execute("SELECT key, state FROM crawl_frontier").fetchall())
    assert written == ["https://x.vn/b"]
    assert states == {"https://x.vn/a": "queued", "https://x.vn/b": "done"}  # /a rolled back, /c never added


def test_transient_failures_are_retried_next_run(store) -> None:
    store.begin([_link("/a"), _link("/gone")])
    store.record(Visit(_entry(store, "/a"), "failed", reason="timeout"))
    store.record(Visit(_entry(store, "/gone"), "failed", status=404, reason="http-404"))
    store.finish(True)
    store.begin([])
    assert [e.key for e in store.next_batch("x.vn", 10, set())] == ["https://x.vn/a"]
