"""Near-duplicates: republished stories are linked to their first-published copy, shown
once in search, and the LSH index (band hashes in the database) survives reopening the corpus."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from corpus import dedup
from corpus.search import SearchOptions, search
from corpus.store import Corpus
from extract import Record
from scraper.types import Article, Block

STORY = ("Sáng 14/1, Bệnh viện Bạch Mai và Ủy ban nhân dân tỉnh Nghệ An ký kết thỏa thuận hợp tác "
         "giai đoạn 2025-2030 về chuyển giao kỹ thuật, đào tạo nhân lực và chuyển đổi số. Theo thỏa thuận, "
         "bệnh viện sẽ cử bác sĩ về hỗ trợ khám chữa bệnh cho người dân vùng sâu vùng xa, tập huấn cho hơn "
         "500 lượt cán bộ y tế cơ sở và triển khai bệnh án điện tử tại các trung tâm y tế huyện. Phát biểu "
         "tại lễ ký kết, lãnh đạo tỉnh đề nghị các sở ngành phối hợp chặt chẽ để thỏa thuận sớm đi vào thực tế.")
OTHER = ("Chiều 3/2, đoàn công tác của Sở Y tế Thanh Hóa kiểm tra công tác tiêm chủng mở rộng tại các "
         "trạm y tế xã miền núi, ghi nhận tỷ lệ tiêm đủ mũi vắc xin cho trẻ em dưới một tuổi đạt trên 95 phần "
         "trăm; đoàn đề nghị địa phương tiếp tục tuyên truyền để người dân đưa trẻ đi tiêm đúng lịch.")


def record(url: str, body: str, day: int, title: str = "Hợp tác y tế") -> Record:
    site = url.split("/")[2]
    article = Article.from_blocks([Block("title", title), Block("paragraph", body)], url=url, site=site,
                                  province="Nghệ An",
                                  published=datetime(2025, 1, day, 9, tzinfo=timezone.utc))
    return Record(article=article, extractor="t")


def edited(text: str) -> str:
    """A republished copy: a sentence reworded, a word changed."""
    return text.replace("Sáng 14/1,", "Sáng ngày 14/1,").replace("chặt chẽ", "thật chặt chẽ") + " (Theo TTXVN)"


def duplicate_of(c: Corpus, url: str):
    return c.conn.execute("SELECT duplicate_of FROM articles WHERE url=?", (url,)).fetchone()[0]


def ids(c: Corpus) -> dict[str, int]:
    return {r[0]: r[1] for r in c.conn.execute("SELECT url, id FROM articles")}


def test_similarity_of_edited_copy_is_high_and_of_other_story_low():
    a, b, c = (dedup.signature(t) for t in (STORY, edited(STORY), OTHER))
    assert dedup.similarity(a, b) >= dedup.THRESHOLD
    assert dedup.similarity(a, c) < 0.2


def test_republished_copies_point_at_the_earliest(corpus_db):
    with Corpus(corpus_db) as c:
        c.store(record("https://nghean.vn/a/2/", edited(STORY), day=15))
        c.store(record("https://other.vn/b/9/", OTHER, day=16))
        c.store(record("https://baoyte.vn/a/1/", STORY, day=14))  # the original, stored last
        c.store(record("https://hatinh.vn/a/3/", edited(STORY) + " Thêm một câu.", day=20))
        i = ids(c)
        assert duplicate_of(c, "https://baoyte.vn/a/1/") is None
        assert duplicate_of(c, "https://nghean.vn/a/2/") == i["https://baoyte.vn/a/1/"]
        assert duplicate_of(c, "https://hatinh.vn/a/3/") == i["https://baoyte.vn/a/1/"]
        assert duplicate_of(c, "https://other.vn/b/9/") is None


def test_search_shows_each_story_once_with_its_copies(corpus_db):
    with Corpus(corpus_db) as c:
        c.store(record("https://baoyte.vn/a/1/", STORY, day=14))
        c.store(record("https://nghean.vn/a/2/", edited(STORY), day=15))
        hits = search(c, SearchOptions(query="Bach Mai"))
        assert [h.url for h in hits] == ["https://baoyte.vn/a/1/"]
        assert hits[0].copies == ["https://nghean.vn/a/2/"]
        every = search(c, SearchOptions(query="Bach Mai", collapse_duplicates=False))
        assert sorted(h.url for h in every) == ["https://baoyte.vn/a/1/", "https://nghean.vn/a/2/"]
        # a filter that only the copy passes still finds the story, through the copy
        only_copy = search(c, SearchOptions(query="Bach Mai", site="nghean.vn"))
        assert [h.url for h in only_copy] == ["https://nghean.vn/a/2/"]


def test_lsh_state_survives_reopening(corpus_db):
    with Corpus(corpus_db) as c:
        c.store(record("https://baoyte.vn/a/1/", STORY, day=14))
        bands = c.conn.execute("SELECT count(*) FROM lsh_bands").fetchone()[0]
        assert bands == dedup.BANDS
    with Corpus(corpus_db) as c:  # a later run, a new process as far as the index is concerned
        c.store(record("https://nghean.vn/a/2/", edited(STORY), day=15))
        assert duplicate_of(c, "https://nghean.vn/a/2/") == ids(c)["https://baoyte.vn/a/1/"]


def test_changed_text_unlinks_and_relinks(corpus_db):
    with Corpus(corpus_db) as c:
        c.store(record("https://baoyte.vn/a/1/", STORY, day=14))
        c.store(record("https://nghean.vn/a/2/", edited(STORY), day=15))
        c.store(record("https://nghean.vn/a/2/", OTHER, day=15))  # the page now tells another story
        assert duplicate_of(c, "https://nghean.vn/a/2/") is None
        c.store(record("https://baoyte.vn/a/1/", OTHER, day=14))  # … and so does the original
        assert duplicate_of(c, "https://nghean.vn/a/2/") == ids(c)["https://baoyte.vn/a/1/"]


@pytest.mark.parametrize("text", ["", "ngắn", "một hai ba"])
def test_short_texts_have_a_signature(text):
    assert len(dedup.signature(text)) == dedup.NUM_PERM


@pytest.mark.parametrize("text", [STORY, OTHER, "ngắn", edited(STORY)])
def test_signatures_are_datasketch_minhashes(text):
    from datasketch import MinHash

    reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32")
    reference.update_batch(sorted(dedup.shingles(text)))
    assert dedup.signature(text).tolist() == reference.hashvalues.tolist()


def test_search_shows_the_canonical_copy_even_when_a_copy_ranks_first(corpus_db, monkeypatch):
    import corpus.search as s

    with Corpus(corpus_db) as c:
        c.store(record("https://baoyte.vn/a/1/", STORY, day=14))
        for i in range(5):  # newer, unrelated matches push the original out of the first fetch
            c.store(record(f"https://x.vn/{i}/", OTHER + f" Bệnh viện Bạch Mai lần {i}.", day=16 + i))
        c.store(record("https://nghean.vn/a/2/", edited(STORY), day=25, title="Bạch Mai hợp tác"))
        monkeypatch.setattr(s, "WINDOW", 1)
        hits = search(c, SearchOptions(query="Bach Mai", limit=2))
        assert hits[0].url == "https://baoyte.vn/a/1/" and hits[0].copies == ["https://nghean.vn/a/2/"]
