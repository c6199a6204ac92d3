"""The command line as a user meets it: exit codes, one-line errors, stored records."""

from __future__ import annotations

import gzip
import json
import re
import socket
import subprocess
import sys

import pytest

from corpus.cli import build_parser, main
from corpus.store import Corpus
from tests.conftest import REPO

SEED = REPO / "tests" / "golden" / "seed" / "input.txt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err, pattern):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert re.search(pattern, lines[0]), lines[0]


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.parametrize("setup, pattern", [
    (lambda p: str(p / "missing.txt"), r"no such file: .*missing\.txt"),
    (lambda p: (p / "empty.txt").write_text("") and None or str(p / "empty.txt"), r"empty input: .*empty\.txt"),
    (lambda p: (p / "blank.html").write_text("  \n\n ") and None or str(p / "blank.html"), r"empty input"),
    (lambda p: (p / "x.bin").write_bytes(bytes(range(256)) * 10) and None or str(p / "x.bin"), r"binary data"),
    (lambda p: (p / "x.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage") and None or str(p / "x.html.gz"),
     r"corrupt gzip file"),
    (lambda p: (p / "e.html.gz").write_bytes(gzip.compress(b"")) and None or str(p / "e.html.gz"), r"empty input"),
    (lambda p: "ftp://example.org/page.html", r"unsupported URL scheme 'ftp'"),
    (lambda p: "gopher://x", r"unsupported URL scheme 'gopher'"),
    (lambda p: f"http://127.0.0.1:{closed_port()}/a.html", r"127\.0\.0\.1"),
    (lambda p: str(p), r"is a folder"),
])
def test_bad_input_gives_one_line_and_exit_2(tmp_path, capsys, setup, pattern):
    code, out, err = run(capsys, "extract", setup(tmp_path))
    assert_one_line_error(code, err, pattern)
    assert out == ""


def test_bad_published_date(capsys):
    code, _, err = run(capsys, "extract", str(SEED), "--published", "not a date")
    assert_one_line_error(code, err, "--published")


def test_no_traceback_in_a_real_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "corpus.cli", "extract", str(tmp_path / "nope.txt")],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "no such file" in proc.stderr


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["search"])
    assert info.value.code == 2


def test_extract_seed_prints_one_record_and_stores_idempotently(corpus_db, capsys):
    db = corpus_db
    code, out, _ = run(capsys, "extract", str(SEED), "--db", db)
    assert code == 0
    (line,) = out.splitlines()
    rec = json.loads(line)
    assert rec["schema"] == "vnnews.record/1"
    assert rec["site"] == "truyenhinhnghean.vn" and rec["province"] == "Nghệ An"
    assert rec["published_month"] == "2024-10"
    for m in rec["figures"] + rec["hospitals"] + rec["officials"] + rec["dates"] + rec["periods"]:
        assert rec["text"][m["start"]:m["end"]] == m["text"]

    def counts():
        with Corpus(db, readonly=True) as c:
            return [c.count(t) for t in ("pages", "articles", "officials", "hospitals", "figures")]

    before = counts()
    assert before[:2] == [1, 1] and before[2] >= 2
    assert run(capsys, "extract", str(SEED), "--db", db)[0] == 0
    assert counts() == before

    code, out, err = run(capsys, "search", "Bach Mai", "--db", db, "--format", "json")
    assert code == 0, err
    hit = json.loads(out.splitlines()[0])
    assert hit["site"] == "truyenhinhnghean.vn" and "Bệnh viện Bạch Mai" in hit["hospitals"]
    assert {"url", "title", "published", "site"} <= hit.keys()

    code, out, err = run(capsys, "search", "hop tac y te", "--db", db)
    assert code == 0, err
    assert "Hợp tác tăng cường" in out and "truyenhinhnghean.vn" in out

    code, _, err = run(capsys, "search", '"Bach Mai', "--db", db)
    assert_one_line_error(code, err, "bad search query")


def test_extract_url_and_published_override(capsys):
    code, out, _ = run(capsys, "extract", str(SEED), "--url", "https://bacninhtv.vn/tin/202501/x/",
                       "--published", "2025-01-14T18:30")
    rec = json.loads(out)
    assert code == 0 and rec["site"] == "bacninhtv.vn" and rec["province"] == "Bắc Ninh"
    assert rec["published"] == "2025-01-14T18:30:00+07:00"


def test_extract_reads_stdin_and_jsonl(tmp_path, capsys, monkeypatch):
    import io

    rows = [{"text": "Sáng 14/1, Bệnh viện Bạch Mai ký kết hợp tác.", "url": "https://bacninhtv.vn/a/202501/b/"},
            {"text": "Chiều 3/2, đoàn công tác làm việc.", "published": "2025-02-03"}]
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "extract", "-", "--input-format", "jsonl")
    recs = [json.loads(l) for l in out.splitlines()]
    assert code == 0 and len(recs) == 2
    assert recs[0]["site"] == "bacninhtv.vn" and recs[1]["published"].startswith("2025-02-03")


def test_search_on_corrupt_corpus(tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "search", "x", "--db", str(bad))
    assert_one_line_error(code, err, "corrupt or not a vnnews database")


def test_search_on_missing_corpus(tmp_path, capsys):
    code, _, err = run(capsys, "search", "x", "--db", str(tmp_path / "none.db"))
    assert_one_line_error(code, err, "no corpus at")


def test_search_on_unreachable_postgresql_server(capsys):
    code, _, err = run(capsys, "search", "x", "--db", f"postgresql://postgres@127.0.0.1:{closed_port()}/x")
    assert_one_line_error(code, err, r"cannot open PostgreSQL corpus postgresql://postgres@127\.0\.0\.1:\d+/x")


def test_search_on_missing_postgresql_database(pg_dsn, capsys):
    code, _, err = run(capsys, "search", "x", "--db", pg_dsn.rsplit("/", 1)[0] + "/no_such_corpus")
    assert_one_line_error(code, err, "no_such_corpus.*does not exist")


def test_search_on_postgresql_database_that_is_not_a_corpus(pg_dsn, capsys):
    code, _, err = run(capsys, "search", "x", "--db", pg_dsn)
    assert_one_line_error(code, err, "is not a vnnews corpus")


def test_password_never_shown_in_errors(capsys):
    code, _, err = run(capsys, "search", "x", "--db", f"postgresql://postgres:s3cret@127.0.0.1:{closed_port()}/x")
    assert_one_line_error(code, err, r"postgresql://postgres:\*\*\*@127\.0\.0\.1")
    assert "s3cret" not in err


def test_every_command_is_documented_with_an_example():
    readme = (REPO / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, cmd in sub.choices.items():
        assert f"vnnews {name}" in readme, name
        assert "Example: vnnews " + name in cmd.format_help().replace("\n", " "), name


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (REPO / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    test_cmd = next(c for c in commands if "pytest" in c)
    assert test_cmd in (REPO / ".ci" / "run").read_text()
