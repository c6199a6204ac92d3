"""`vnnews extract --input-format jsonl FILE` (issue 5 item 9) and `--workers N` (item 11):
an existing corpus of {"text", "url"?, "published"?} lines goes through the same
extraction, one record per line, in input order, whatever the number of processes."""

from __future__ import annotations

import json
import unicodedata

import pytest

from corpus.cli import main
from corpus.store import Corpus

ROWS = [
    {"text": "Nghệ An ký kết với Bệnh viện Bạch Mai\n\nChiều 22/10, UBND tỉnh Nghệ An và Bệnh viện "
             "Bạch Mai ký kết thỏa thuận hợp tác giai đoạn 2024 - 2030.",
     "url": "https://www.truyenhinhnghean.vn/thoi-su/202410/ky-ket-a1/"},
    {"text": "Sáng 5/3, có hơn 500 lượt cán bộ y tế được đào tạo.", "published": "2025-03-06"},
    {"text": "Tết Nguyên đán Ất Tỵ, các bệnh viện trực 24/24.", "published": "2025-01-20"},
]


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


def extract(capsys, *argv):
    code = main(["extract", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_jsonl_file_gives_one_record_per_line(tmp_path, capsys):
    code, recs, _ = extract(capsys, str(write_jsonl(tmp_path / "in.jsonl", ROWS)),
                            "--input-format", "jsonl")
    assert code == 0 and len(recs) == 3
    assert recs[0]["province"] == "Nghệ An" and recs[0]["published_month"] == "2024-10"
    assert recs[0]["dates"][0]["value"] == "2024-10-22"
    assert recs[0]["agreements"][0]["start_year"] == 2024
    assert recs[1]["figures"][0]["value"] == 500 and recs[1]["dates"][0]["value"] == "2025-03-05"
    lunar = recs[2]["dates"][0]
    assert (lunar["value"], lunar["calendar"]) == ("2025-01-29", "lunar")


def test_jsonl_is_sniffed_without_the_flag(tmp_path, capsys):
    code, recs, _ = extract(capsys, str(write_jsonl(tmp_path / "in.txt", ROWS[1:2])))
    assert code == 0 and recs[0]["published"].startswith("2025-03-06")


def test_jsonl_nfd_text_is_stored_nfc_and_offsets_hold(tmp_path, capsys):
    row = {"text": unicodedata.normalize("NFD", ROWS[0]["text"]), "url": ROWS[0]["url"]}
    code, [rec], _ = extract(capsys, str(write_jsonl(tmp_path / "nfd.jsonl", [row])))
    assert code == 0 and rec["text"] == unicodedata.normalize("NFC", rec["text"])
    for field in ("dates", "hospitals", "periods", "agreements"):
        assert rec[field], field
        for m in rec[field]:
            assert rec["text"][m["start"]:m["end"]] == m["text"]


def test_bad_jsonl_line_is_one_line_error(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Sáng 5/3"}\n{"url": "x"}\n', "utf-8")
    code = main(["extract", str(path), "--input-format", "jsonl"])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1 and "bad.jsonl:2" in err


@pytest.mark.parametrize("workers", ["1", "2", "0"])
def test_workers_keep_input_order(tmp_path, capsys, workers):
    rows = [{"text": f"Sáng {d}/3, có {d * 10} người được khám.", "published": "2025-03-28"}
            for d in range(1, 26)]
    code, recs, _ = extract(capsys, str(write_jsonl(tmp_path / "many.jsonl", rows)),
                            "--workers", workers)
    assert code == 0
    assert [r["dates"][0]["value"] for r in recs] == [f"2025-03-{d:02d}" for d in range(1, 26)]
    assert [r["figures"][0]["value"] for r in recs] == [d * 10 for d in range(1, 26)]


def test_workers_store_every_record(tmp_path, capsys, corpus_db):
    code, recs, err = extract(capsys, str(write_jsonl(tmp_path / "in.jsonl", ROWS)), "--workers", "2",
                              "--db", corpus_db)
    assert code == 0 and len(recs) == 3, err
    with Corpus(corpus_db, readonly=True) as c:
        urls = [r[0] for r in c.conn.execute("SELECT url FROM articles ORDER BY id")]
    assert urls == [r.get("url") for r in ROWS]


def test_records_before_a_bad_line_come_out_with_workers(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    good = [json.dumps({"text": f"Sáng {d}/3, có {d} người.", "published": "2025-03-28"}) for d in range(1, 4)]
    path.write_text("\n".join(good + ['{"url": "x"}']) + "\n", "utf-8")
    code = main(["extract", str(path), "--workers", "2"])
    out, err = capsys.readouterr()
    assert code == 2 and "bad.jsonl:4" in err and len(err.strip().splitlines()) == 1
    assert [json.loads(line)["figures"][0]["value"] for line in out.splitlines()] == [1, 2, 3]
