"""``vnnews import-warc``: store the Vietnamese news articles of web archives (WARC/ARC,
e.g. Common Crawl News files) in the corpus — raw bytes kept, so ``vnnews reextract``
can redo them — and say what was read, kept and skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.inputs import InputOptions, from_warc
from corpus.store import Corpus
from extract import extract_record
from scraper.warc import WarcStats


@dataclass(slots=True)
class ImportSummary:
    warc: WarcStats = field(default_factory=WarcStats)
    articles_added: int = 0
    articles_unchanged: int = 0

    @property
    def not_articles(self) -> int:  # kept HTML pages that are not articles (home, listings)
        return self.warc.kept - self.articles_added - self.articles_unchanged

    def to_json(self) -> dict[str, int]:
        return {**self.warc.to_json(), "articles_added": self.articles_added,
                "articles_unchanged": self.articles_unchanged, "pages_not_articles": self.not_articles}

    def line(self) -> str:
        w = self.warc
        return (f"{w.files} file(s), {w.records} records read: {w.responses} responses, {w.kept} kept, "
                f"skipped {w.skipped_domain} by domain, {w.skipped_status} by status, {w.skipped_type} by type; "
                f"{self.articles_added} articles added, {self.articles_unchanged} unchanged, "
                f"{self.not_articles} kept pages not articles")


def import_warc(corpus: Corpus, paths: list[str], options: InputOptions, run_id: int | None = None) -> ImportSummary:
    summary = ImportSummary()
    for path in paths:
        for article, raw in from_warc(path, options, summary.warc):
            changed = corpus.store(extract_record(article), raw, run_id=run_id)[1]
            if changed:
                summary.articles_added += 1
            else:
                summary.articles_unchanged += 1
    return summary
