"""`vnnews crawl` as a user meets it: exit codes, one-line errors, a resumable corpus."""

from __future__ import annotations

import pytest

from corpus.cli import build_parser, main
from corpus.store import Corpus
from tests.scraper import network as fx


@pytest.fixture(scope="module")
def small_site():
    net, servers = fx.start_network(("small",))
    yield net
    fx.stop_network(net, servers)


def test_crawl_stores_articles_and_exits_0(small_site, fresh_db, capsys) -> None:
    code = main(["crawl", "--site", small_site.base("small") + "/", "--db", fresh_db, "--delay", "0.05",
                 "--max-pages", "500", "--user-agent", "vnnews-test/1 (+https://example.vn/contact)"])
    assert code == 0, capsys.readouterr().err
    assert {h.user_agent for h in small_site.hits} == {"vnnews-test/1 (+https://example.vn/contact)"}
    with Corpus(fresh_db) as corpus:
        assert corpus.count("articles") == fx.SMALL_ARTICLES
        run = corpus.conn.execute("SELECT command, status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(run) == ("crawl", "ok")


def test_max_pages_then_resume(small_site, fresh_db, capsys) -> None:
    small_site.reset()
    args = ["crawl", "--site", small_site.base("small") + "/", "--db", fresh_db, "--delay", "0.05"]
    assert main([*args, "--max-pages", "10"]) == 0
    with Corpus(fresh_db) as corpus:
        first = corpus.count("articles")
    assert 0 < first < fx.SMALL_ARTICLES
    assert main([*args, "--max-pages", "500"]) == 0
    with Corpus(fresh_db) as corpus:
        assert corpus.count("articles") == fx.SMALL_ARTICLES
    paths = [h.path.split("?utm")[0] for h in small_site.hits]
    assert len(paths) == len(set(paths))  # the second run picked up where the first stopped


def test_page_failures_exit_1(server: str, fresh_db, capsys) -> None:
    code = main(["crawl", "--site", f"{server}/site/index.html", "--db", fresh_db, "--delay", "0.05"])
    out = capsys.readouterr().out
    assert code == 1 and "http-404" in out


@pytest.mark.parametrize(("argv", "pattern"), [
    (["crawl", "--site", "no-such-profile"], "neither a profile name"),
    (["crawl", "--site", "x", "--since", "last week"], "not a date"),
    (["crawl", "--site", "ftp://x.vn/"], "neither a profile name"),
])
def test_bad_input_is_one_line_exit_2(argv, pattern, fresh_db, capsys) -> None:
    try:
        code = main([*argv, "--db", fresh_db])
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and pattern in err


def test_crawl_and_sites_help_have_examples() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in ("crawl", "sites"):
        assert f"Example: vnnews {name}" in sub.choices[name].format_help().replace("\n", " ")
