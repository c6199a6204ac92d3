"""The scorer itself (extract.evaluate) and the `vnnews eval` command around it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.cli import main
from corpus.evalcmd import EvalOptions, run_eval
from extract.evaluate import (
    GoldError,
    check_floors,
    org_key,
    resolve_gold,
    score_article,
    summarize,
    title_keys,
)
from extract.types import DateMention, Figure, Hospital, Official, Record
from scraper.types import Article, Block

TEXT = ("Chiều 14/1, Chủ tịch UBND tỉnh Vương Quốc Tuấn làm việc với Bệnh viện Bạch Mai. "
        "Bệnh viện Bạch Mai đã đào tạo hơn 500 lượt cán bộ y tế.")


def article(text: str = TEXT, province: str = "Bắc Ninh") -> Article:
    return Article.from_blocks([Block("title", text)], url="https://bacninhtv.vn/tin/202501/x.html",
                               site="bacninhtv.vn", province=province)


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def date(needle: str, value: str = "2025-01-14", **kw) -> DateMention:
    s, e = span(TEXT, needle)
    return DateMention(text=needle, start=s, end=e, value=value, **kw)


def official(needle: str, name: str, titles: tuple[str, ...]) -> Official:
    s, e = span(TEXT, needle)
    return Official(name=name, titles=titles, text=needle, start=s, end=e)


def hospital(needle: str, name: str, occurrence: int = 0) -> Hospital:
    s, e = span(TEXT, needle, occurrence)
    return Hospital(name=name, text=needle, start=s, end=e)


def figure(needle: str, value: float, unit: str, qualifier: str | None = None) -> Figure:
    s, e = span(TEXT, needle)
    return Figure(text=needle, value=value, unit=unit, qualifier=qualifier, start=s, end=e)


GOLD = {
    "dates": [{"text": "Chiều 14/1", "value": "2025-01-14", "part_of_day": "chiều"}],
    "officials": [{"text": "Chủ tịch UBND tỉnh Vương Quốc Tuấn", "name": "Vương Quốc Tuấn",
                   "titles": ["Chủ tịch UBND tỉnh Bắc Ninh"]}],
    "hospitals": [{"text": "Bệnh viện Bạch Mai", "name": "Bệnh viện Bạch Mai"}],
    "figures": [{"text": "hơn 500 lượt cán bộ y tế", "value": 500, "unit": "lượt cán bộ y tế", "qualifier": "hơn"}],
}


def perfect_record(**override) -> Record:
    fields = dict(
        dates=(date("Chiều 14/1", part_of_day="chiều"),),
        officials=(official("Chủ tịch UBND tỉnh Vương Quốc Tuấn", "Vương Quốc Tuấn", ("Chủ tịch UBND tỉnh Bắc Ninh",)),),
        hospitals=(hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai"),),
        figures=(figure("hơn 500 lượt cán bộ y tế", 500, "lượt cán bộ y tế", "hơn"),),
    )
    fields.update(override)
    return Record(article=article(), **fields)


def metrics(record: Record, gold: dict = GOLD) -> dict[str, dict[str, float]]:
    resolved = resolve_gold("t", gold, record.text)
    summary = summarize([score_article(resolved, record)])
    return {f: s.metrics() for f, s in summary.items()}


def test_perfect_record_scores_one_everywhere():
    m = metrics(perfect_record())
    for fname in ("dates", "officials", "hospitals", "figures"):
        assert m[fname]["f1"] == m[fname]["exact_f1"] == m[fname]["values"] == 1.0, fname
    assert m["officials"]["titles_correct"] == 1.0
    # fields with neither gold nor predictions are vacuously perfect
    assert m["periods"]["f1"] == m["agreements"]["recall"] == 1.0


def test_missing_mention_lowers_recall_only():
    m = metrics(perfect_record(hospitals=()))
    assert m["hospitals"]["recall"] == 0.0 and m["hospitals"]["precision"] == 1.0
    assert m["hospitals"]["f1"] == 0.0


def test_extra_mention_lowers_precision_only():
    extra = date("14/1", value="2025-01-14")  # overlaps the gold date: matched once only
    far = figure("Bệnh viện Bạch Mai", 1, "x")
    m = metrics(perfect_record(dates=(date("Chiều 14/1", part_of_day="chiều"), extra),
                               figures=(figure("hơn 500 lượt cán bộ y tế", 500, "lượt cán bộ y tế", "hơn"), far)))
    assert m["dates"]["recall"] == 1.0 and m["dates"]["precision"] == 0.5
    assert m["figures"]["precision"] == 0.5 and m["figures"]["recall"] == 1.0


def test_overlapping_but_not_exact_counts_for_overlap_only():
    short = figure("500 lượt cán bộ", 500, "lượt cán bộ y tế", "hơn")
    m = metrics(perfect_record(figures=(short,)))
    assert m["figures"]["f1"] == 1.0
    assert m["figures"]["exact_f1"] == 0.0
    assert m["figures"]["values"] == 1.0


def test_value_mismatches_are_reported_per_attribute():
    m = metrics(perfect_record(
        dates=(date("Chiều 14/1", value="2024-01-14", part_of_day="chiều"),),
        officials=(official("Chủ tịch UBND tỉnh Vương Quốc Tuấn", "Vương Quốc Tuấn", ("Chủ tịch UBND tỉnh",)),),
        hospitals=(hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch"),),
        figures=(figure("hơn 500 lượt cán bộ y tế", 500, "lượt cán bộ", "hơn"),),
    ))
    assert m["dates"]["f1"] == 1.0 and m["dates"]["values"] == 0.0 and m["dates"]["value_correct"] == 0.0
    assert m["dates"]["part_of_day_correct"] == 1.0
    # an unresolved "tỉnh" is a wrong title, but the name is right
    assert m["officials"]["values"] == 1.0 and m["officials"]["titles_correct"] == 0.0
    assert m["hospitals"]["values"] == 0.0
    assert m["figures"]["unit_correct"] == 0.0 and m["figures"]["value_correct"] == 1.0


def test_missing_part_of_day_is_a_value_error():
    m = metrics(perfect_record(dates=(date("Chiều 14/1"),)))
    assert m["dates"]["part_of_day_correct"] == 0.0


def test_same_hospital_matched_once_later_mention_is_a_false_hit():
    second = hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai", occurrence=1)
    m = metrics(perfect_record(hospitals=(second,)))
    assert m["hospitals"]["recall"] == 0.0 and m["hospitals"]["precision"] == 0.0


@pytest.mark.parametrize("a, b", [
    ("Chủ tịch UBND tỉnh Nghệ An", "Chủ tịch Ủy ban nhân dân tỉnh Nghệ An"),
    ("Chủ tịch UBND tỉnh Nghệ An", "Chủ tịch UBND Nghệ An"),
    ("Phó Bí thư Tỉnh uỷ", "Phó bí thư Tỉnh ủy Nghệ An"),
    ("Ủy viên BCH Trung ương Đảng", "Ủy viên TƯ Đảng"),
    ("Giám đốc BV HNĐK tỉnh Nghệ An", "Giám đốc Bệnh viện Hữu nghị Đa khoa Nghệ An"),
    ("Trưởng khoa Hồi sức, Bệnh viện Chợ Rẫy", "Trưởng khoa Hồi sức Bệnh viện Chợ Rẫy"),
])
def test_equivalent_spellings_share_a_key(a, b):
    assert org_key(a, "Nghệ An") == org_key(b, "Nghệ An")


@pytest.mark.parametrize("a, b", [
    ("Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh Nghệ An"),
    ("Chủ tịch UBND tỉnh Hà Tĩnh", "Chủ tịch UBND tỉnh Nghệ An"),
    ("Bí thư Tỉnh ủy Hà Tĩnh", "Bí thư Tỉnh ủy"),
])
def test_different_titles_keep_different_keys(a, b):
    assert org_key(a, "Nghệ An") != org_key(b, "Nghệ An")


def test_title_sets_ignore_degrees_and_subsumed_titles():
    assert title_keys(["PGS.TS.", "Thứ trưởng", "Thứ trưởng Bộ Y tế", "BS.CK2"], None) == \
        title_keys(["Thứ trưởng Bộ Y tế"], None)
    assert title_keys(["Thiếu tướng", "Giám đốc"], None) != title_keys(["Giám đốc"], None)


def test_occurrence_picks_the_nth_surface():
    gold = {"hospitals": [{"text": "Bệnh viện Bạch Mai", "occurrence": 1, "name": "Bệnh viện Bạch Mai"}]}
    resolved = resolve_gold("t", gold, TEXT)
    assert resolved.mentions["hospitals"][0].start == span(TEXT, "Bệnh viện Bạch Mai", 1)[0]


@pytest.mark.parametrize("gold, message", [
    ({"dates": [{"text": "Sáng 15/1", "value": "2025-01-15"}]}, "not in the article text"),
    ({"hospitals": [{"text": "Bệnh viện Bạch Mai", "occurrence": 2, "name": "x"}]}, "occurrence 2"),
    ({"dates": [{"text": "Chiều 14/1"}]}, "missing 'value'"),
    ({"officials": [{"name": "A", "titles": []}]}, "non-empty \"text\""),
    ({"dates": {"text": "x"}}, "must be a list"),
    ({"date": []}, "unknown key 'date'"),
])
def test_unusable_gold_raises_gold_error(gold, message):
    with pytest.raises(GoldError, match=message):
        resolve_gold("t", gold, TEXT)


def test_check_floors_names_each_failure():
    resolved = resolve_gold("t", GOLD, TEXT)
    summary = summarize([score_article(resolved, perfect_record(hospitals=()))])
    failures = check_floors(summary, {"hospitals": {"f1": 0.9}, "dates": {"f1": 0.95}})
    assert failures == ["hospitals f1 0.000 < 0.90"]


# --------------------------------------------------------------------------- the command

DUMP = """Bắc Ninh ký kết hợp tác với Bệnh viện Bạch Mai

Chiều 14/1, Chủ tịch UBND tỉnh Vương Quốc Tuấn làm việc với Bệnh viện Bạch Mai.

Nguồn: https://bacninhtv.vn/tin-tuc/202501/abc.html

Cùng chủ đề

Sáng 10/1, đồng chí Đào Quang Khải thăm Bệnh viện Sản Nhi Bắc Ninh
"""


def gold_dir(tmp_path: Path, gold: dict | str, floors: str | None = None) -> Path:
    folder = tmp_path / "gold" / "001_x"
    folder.mkdir(parents=True)
    (folder / "input.txt").write_text(DUMP, "utf-8")
    (folder / "gold.json").write_text(gold if isinstance(gold, str) else json.dumps(gold, ensure_ascii=False), "utf-8")
    if floors is not None:
        (tmp_path / "gold" / "floors.toml").write_text(floors, "utf-8")
    return tmp_path / "gold"


def fake_extractor(article: Article) -> Record:
    s, e = span(article.text, "Bệnh viện Bạch Mai")
    return Record(article=article, hospitals=(Hospital("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai", s, e),))


HOSPITAL_GOLD = {"hospitals": [{"text": "Bệnh viện Bạch Mai", "name": "Bệnh viện Bạch Mai"}],
                 "dates": [{"text": "Chiều 14/1", "value": "2025-01-14", "part_of_day": "chiều"}]}


def test_eval_exit_0_when_floors_met_and_1_when_not(tmp_path, capsys):
    folder = gold_dir(tmp_path, HOSPITAL_GOLD, "[hospitals]\nf1 = 0.9\n")
    assert run_eval(EvalOptions(folder), extractor=fake_extractor) == 0
    assert "all met" in capsys.readouterr().out
    strict = tmp_path / "strict.toml"
    strict.write_text("[dates]\nrecall = 0.5\n")
    assert run_eval(EvalOptions(folder, floors=strict, diff=True), extractor=fake_extractor) == 1
    out = capsys.readouterr().out
    assert "BELOW FLOOR: dates recall 0.000 < 0.50" in out
    assert "MISS   'Chiều 14/1'" in out


def test_eval_json_format_and_field_filter(tmp_path, capsys):
    folder = gold_dir(tmp_path, HOSPITAL_GOLD)
    options = EvalOptions(folder, fields=("hospitals",), format="json", diff=True)
    assert run_eval(options, extractor=fake_extractor) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload["fields"]) == ["hospitals"]
    assert payload["fields"]["hospitals"]["f1"] == 1.0 and payload["articles"] == 1
    assert payload["diff"] == [{"article": "001_x", "lines": []}]


def one_line_error(capsys, argv, pattern):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert pattern in err, err


def test_eval_usage_errors_are_one_line_exit_2(tmp_path, capsys):
    one_line_error(capsys, ["eval", str(tmp_path / "nope")], "no such gold folder")
    bad_json = gold_dir(tmp_path / "a", "{not json")
    one_line_error(capsys, ["eval", str(bad_json)], "001_x/gold.json: not valid JSON")
    missing_text = gold_dir(tmp_path / "b", {"dates": [{"text": "Sáng 9/9", "value": "2025-09-09"}]})
    one_line_error(capsys, ["eval", str(missing_text)], "is not in the article text")
    bad_floors = gold_dir(tmp_path / "c", HOSPITAL_GOLD, "[hospital]\nf1 = 0.9\n")
    one_line_error(capsys, ["eval", str(bad_floors)], "unknown field table [hospital]")
    (tmp_path / "empty").mkdir()
    one_line_error(capsys, ["eval", str(tmp_path / "empty")], "no gold articles")
    ok = gold_dir(tmp_path / "d", HOSPITAL_GOLD)
    one_line_error(capsys, ["eval", str(ok), "--floors", str(tmp_path / "missing.toml")], "no such floors file")


def test_trailer_mentions_cannot_be_gold(tmp_path, capsys):
    folder = gold_dir(tmp_path, {"officials": [{"text": "Đào Quang Khải", "name": "Đào Quang Khải", "titles": []}]})
    one_line_error(capsys, ["eval", str(folder)], "is not in the article text")


@pytest.mark.parametrize("gold_calendar,pred_calendar,expected", [
    (None, "solar", 1.0),      # gold without "calendar" is solar: a solar date is right
    ("solar", "solar", 1.0),
    (None, "lunar", 0.0),      # … and a lunar reading of it is wrong
    ("lunar", "solar", 0.0),
])
def test_calendar_correct_is_checked_on_every_matched_date(gold_calendar, pred_calendar, expected):
    gold_date = dict(GOLD["dates"][0], **({"calendar": gold_calendar} if gold_calendar else {}))
    record = perfect_record(dates=(date("Chiều 14/1", part_of_day="chiều", calendar=pred_calendar),))
    assert metrics(record, dict(GOLD, dates=[gold_date]))["dates"]["calendar_correct"] == expected
