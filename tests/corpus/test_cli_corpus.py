"""The corpus commands as a user meets them: search flags, serve and export errors."""

from __future__ import annotations

import json

import pytest

from corpus.store import Corpus
from tests.corpus.test_cli import assert_one_line_error, closed_port, run
from tests.corpus.test_dedup import STORY, edited, record


def fill(db: str) -> str:
    with Corpus(db) as c:
        c.store(record("https://baoyte.vn/a/1/", STORY, day=14))
        c.store(record("https://nghean.vn/a/2/", edited(STORY), day=15))
        c.store(record("https://hatinh.vn/a/3/", "Đoàn công tác [đặc biệt] làm việc với Bệnh viện Bạch Mai.", day=20,
                       title="Tin [nóng] về y tế"))
    return db


@pytest.fixture
def db(corpus_db):
    return fill(corpus_db)


def test_search_table_shows_snippets_copies_and_brackets_verbatim(db, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    code, out, err = run(capsys, "search", "Bach Mai", "--db", db)
    assert code == 0, err
    assert "Tin [nóng] về y tế" in out            # titles are not read as rich markup
    assert "also published at: https://nghean.vn/a/2/" in out
    assert "Bạch Mai" in out


def test_search_flags(db, capsys):
    code, out, err = run(capsys, "search", "Bach Mai", "--db", db, "--format", "json", "--from", "2025-01-15",
                         "--to", "2025-01", "--all-copies", "--rank", "bm25")
    assert code == 0, err
    hits = [json.loads(line) for line in out.splitlines()]
    assert sorted(h["url"] for h in hits) == ["https://hatinh.vn/a/3/", "https://nghean.vn/a/2/"]
    code, out, err = run(capsys, "search", "Bach Mai", "--db", db, "--format", "json", "--period-overlaps", "2026")
    assert code == 0 and out == "", err


@pytest.mark.parametrize("argv, pattern", [
    (["--from", "15/01/2025"], r"bad --from date '15/01/2025'"),
    (["--to", "soon"], r"bad --to date"),
    (["--period-overlaps", "next"], r"invalid int value"),
    (["--rank", "magic"], r"invalid choice"),
])
def test_bad_search_flags_exit_2_with_one_line(db, capsys, argv, pattern):
    try:
        code, _, err = run(capsys, "search", "Bach Mai", "--db", db, *argv)
    except SystemExit as exc:  # argparse usage errors
        code, err = exc.code, capsys.readouterr().err
    assert_one_line_error(code, err, pattern)


def test_serve_on_missing_or_corrupt_corpus(tmp_path, capsys):
    code, _, err = run(capsys, "serve", "--db", str(tmp_path / "none.db"))
    assert_one_line_error(code, err, "no corpus at")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "serve", "--db", str(bad))
    assert_one_line_error(code, err, "corrupt or not a vnnews database")


def test_serve_on_a_busy_port(db, capsys):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code, _, err = run(capsys, "serve", "--db", db, "--port", str(port))
    assert_one_line_error(code, err, rf"cannot listen on 127\.0\.0\.1:{port}")


def test_export_on_missing_corpus(tmp_path, capsys):
    code, _, err = run(capsys, "export", "--format", "jsonl", "--out", str(tmp_path / "x"), "--db",
                       str(tmp_path / "none.db"))
    assert_one_line_error(code, err, "no corpus at")


@pytest.mark.parametrize("argv", [
    ["search", "Bach Mai"],
    ["export", "--format", "jsonl", "--out", "{tmp}/x.jsonl"],
    ["reextract"],
    ["serve", "--port", "0"],
])
def test_corpus_commands_on_unreachable_postgresql_server(tmp_path, capsys, argv):
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/corpus"
    code, _, err = run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv], "--db", url)
    assert_one_line_error(code, err, r"cannot open PostgreSQL corpus postgresql://postgres@127\.0\.0\.1:\d+/corpus")
