"""`vnnews reextract --warc FILE…` without Dask (it is import-warc), its one-line usage
errors, and `--dask` when Dask is not installed.  (On a cluster: test_dask_reextract.py.)"""

from __future__ import annotations

import re
import sys

import pytest

from corpus.cli import main
from corpus.store import Corpus
from tests.scraper.test_warc import build_warc


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def _records(db: str) -> list[tuple[str, str]]:
    with Corpus(db, readonly=True) as c:
        return [tuple(r) for r in c.conn.execute("SELECT key, record FROM articles ORDER BY key")]


def test_serial_reextract_warc_is_import_warc(tmp_path, capsys):
    path = str(build_warc(tmp_path / "a.warc.gz"))
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    code, out, _ = _run(capsys, "import-warc", path, "--db", a)
    code2, out2, _ = _run(capsys, "reextract", "--warc", path, "--db", b)
    assert code == code2 == 0 and out2 == out.replace("import-warc:", "reextract:", 1)
    assert _records(a) == _records(b) and _records(a)
    with Corpus(b, readonly=True) as c:
        assert tuple(c.conn.execute("SELECT command, status FROM runs").fetchone()) == ("import-warc", "ok")


@pytest.mark.parametrize("argv, pattern", [
    (["--warc", "{tmp}/none.warc.gz"], "no such file: .*none.warc.gz"),
    (["--dask", "--warc", "{tmp}/none.warc.gz"], "no such file"),
    (["--warc", "{tmp}/bad.warc"], "not a WARC/ARC file"),
    (["--all", "--warc", "{tmp}/a.warc.gz"], "--all is for stored pages"),
    (["--domain", "x.vn"], "--domain and --all-domains go with --warc"),
])
def test_bad_reextract_warc_input_is_one_line_exit_2(tmp_path, capsys, argv, pattern):
    build_warc(tmp_path / "a.warc.gz")
    (tmp_path / "bad.warc").write_bytes(b"not an archive\r\n")
    db = tmp_path / "c.db"
    code, out, err = _run(capsys, "reextract", *[a.replace("{tmp}", str(tmp_path)) for a in argv], "--db", str(db))
    assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("vnnews: error:"), err
    assert re.search(pattern, err), err
    assert not db.exists() or not _records(str(db))


@pytest.mark.parametrize("extra", [[], ["--warc", "{tmp}/a.warc.gz"]])
def test_dask_not_installed_is_one_line_exit_2(tmp_path, capsys, monkeypatch, extra):
    build_warc(tmp_path / "a.warc.gz")
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    argv = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    code, out, err = _run(capsys, "reextract", "--dask", *argv, "--db", str(tmp_path / "c.db"))
    assert code == 2 and out == ""
    assert err == "vnnews: error: --dask needs Dask distributed: pip install 'vnnews[dask]'\n"
