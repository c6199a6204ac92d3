"""`vnnews export`: JSON Lines back through the record schema, Parquet through pyarrow,
CSV as a file per table; filters --since, --site, --drop-duplicates."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone

import pyarrow.parquet as pq
import pytest

from corpus.cli import main
from corpus.export import TABLES, ExportOptions, export
from corpus.store import Corpus
from extract import Agreement, Figure, Hospital, Official, Period, Record, record_from_json, record_to_json
from scraper.types import Article, Block
from tests.corpus.test_dedup import STORY, edited


def make(url: str, body: str, day: int, province: str = "Nghệ An") -> Record:
    article = Article.from_blocks([Block("title", "Hợp tác y tế"), Block("paragraph", body)], url=url,
                                  site=url.split("/")[2], province=province,
                                  published=datetime(2025, 1, day, 9, tzinfo=timezone.utc))
    at = article.text.index("Bệnh viện Bạch Mai")
    return Record(
        article=article,
        hospitals=(Hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai", at, at + 18),),
        officials=(Official("Lê Đức Luận", ("Thứ trưởng Bộ Y tế", "Trưởng đoàn"), "Lê Đức Luận", 0, 11),),
        periods=(Period("giai đoạn 2025-2030", "giai đoạn", 2025, 2030, 0, 19),),
        figures=(Figure("hơn 500 lượt cán bộ y tế", 500, "lượt cán bộ y tế", "hơn", 0, 24),),
        agreements=(Agreement(("UBND tỉnh Nghệ An", "Bệnh viện Bạch Mai"), "2025-01-14", 2025, 2030,
                              ("chuyển đổi số", "bệnh án điện tử"), "ký kết", 0, 6),),
        extractor="t")


RECORDS = [
    make("https://baoyte.vn/a/1/", STORY, 14),
    make("https://nghean.vn/a/2/", edited(STORY), 15),  # a republished copy
    make("https://hatinh.vn/a/3/", "Bệnh viện Bạch Mai khám bệnh miễn phí cho người dân Hà Tĩnh.", 3,
         province="Hà Tĩnh"),
]


@pytest.fixture
def db(corpus_db):
    with Corpus(corpus_db) as c:
        for r in RECORDS:
            c.store(r)
    return corpus_db


def run_export(db, out, fmt, **kw):
    with Corpus(db, readonly=True) as c:
        return export(c, ExportOptions(fmt=fmt, out=out, **kw))


def test_jsonl_round_trips_through_the_record_schema(db, tmp_path):
    out = tmp_path / "records.jsonl"
    assert run_export(db, out, "jsonl") == {"records": 3}
    back = [record_from_json(json.loads(line)) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [record_to_json(r) for r in back] == [record_to_json(r) for r in RECORDS]


def test_parquet_has_a_file_per_table_readable_by_pyarrow(db, tmp_path):
    out = tmp_path / "pq"
    counts = run_export(db, out, "parquet")
    assert set(counts) == set(TABLES) and {p.stem for p in out.iterdir()} == set(TABLES)
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    assert [a["url"] for a in articles] == [r.article.url for r in RECORDS]
    assert articles[1]["duplicate_of"] == articles[0]["id"]
    officials = pq.read_table(out / "officials.parquet").to_pylist()
    assert officials[0]["titles"] == ["Thứ trưởng Bộ Y tế", "Trưởng đoàn"]  # a real list
    agreements = pq.read_table(out / "agreements.parquet")
    assert agreements.num_rows == 3 and agreements.column("scope").to_pylist()[0] == ["chuyển đổi số", "bệnh án điện tử"]
    parties = pq.read_table(out / "agreement_parties.parquet").to_pylist()
    assert [p["name"] for p in parties[:2]] == ["UBND tỉnh Nghệ An", "Bệnh viện Bạch Mai"]
    assert pq.read_table(out / "figures.parquet").column("value").to_pylist() == [500.0] * 3
    assert pq.read_table(out / "dates.parquet").num_rows == 0  # empty tables still have their schema


def test_csv_folder_and_filters(db, tmp_path):
    out = tmp_path / "csv"
    counts = run_export(db, out, "csv", drop_duplicates=True)
    assert counts["articles"] == 2 and counts["hospitals"] == 2
    with open(out / "articles.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["url"] for r in rows] == ["https://baoyte.vn/a/1/", "https://hatinh.vn/a/3/"]
    with open(out / "officials.csv", encoding="utf-8") as fh:
        assert json.loads(next(csv.DictReader(fh))["titles"]) == ["Thứ trưởng Bộ Y tế", "Trưởng đoàn"]
    assert run_export(db, tmp_path / "s.jsonl", "jsonl", since="2025-01-10") == {"records": 2}
    assert run_export(db, tmp_path / "t.jsonl", "jsonl", site="hatinh.vn") == {"records": 1}
    only = run_export(db, tmp_path / "pq2", "parquet", site="nghean.vn")
    assert only["articles"] == 1 and only["agreement_parties"] == 2


def test_export_cli(db, tmp_path, capsys):
    out = tmp_path / "x.jsonl"
    assert main(["export", "--format", "jsonl", "--out", str(out), "--db", db, "--drop-duplicates"]) == 0
    assert len(out.read_text().splitlines()) == 2
    assert "2 records" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    code = main(["export", "--format", "parquet", "--out", str(tmp_path / "file"), "--db", db])
    err = capsys.readouterr().err
    assert code == 2 and "not a folder" in err and len(err.strip().splitlines()) == 1
    code = main(["export", "--format", "jsonl", "--out", str(tmp_path / "no" / "x.jsonl"), "--db", db])
    assert code == 2 and "does not exist" in capsys.readouterr().err
    code = main(["export", "--format", "jsonl", "--out", str(out), "--db", db, "--since", "last week"])
    assert code == 2 and "bad --since date 'last week'" in capsys.readouterr().err
