"""The corpus schema as an ordered list of migrations, recorded in ``schema_migrations``.

A migration is applied once, in its own transaction; a later issue appends to the list,
never edits an applied entry.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "pages-articles-mentions",
        """
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            url TEXT,
            final_url TEXT,
            status INTEGER,
            headers TEXT NOT NULL DEFAULT '{}',
            body BLOB NOT NULL,              -- zlib-compressed raw bytes, as fetched or read
            body_sha256 TEXT NOT NULL,
            body_size INTEGER NOT NULL,
            input_format TEXT NOT NULL,      -- html | text | jsonl
            fetched_at TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            UNIQUE (url, body_sha256)
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            page_id INTEGER REFERENCES pages(id),
            key TEXT NOT NULL UNIQUE,        -- url, or text hash for inputs without one
            url TEXT,
            site TEXT,
            province TEXT,
            title TEXT NOT NULL,
            lead TEXT NOT NULL,
            text TEXT NOT NULL,
            published TEXT,
            published_month TEXT,
            authors TEXT NOT NULL,           -- JSON list
            category TEXT,
            tags TEXT NOT NULL,              -- JSON list
            text_sha256 TEXT NOT NULL,
            record TEXT NOT NULL,            -- the vnnews.record/1 JSON
            extractor TEXT NOT NULL,
            stored_at TEXT NOT NULL
        );
        CREATE INDEX articles_site ON articles(site);
        CREATE INDEX articles_province ON articles(province);
        CREATE INDEX articles_published ON articles(coalesce(published, published_month));
        CREATE TABLE dates (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT, start INTEGER, "end" INTEGER,
            value TEXT, granularity TEXT, part_of_day TEXT, time TEXT, end_value TEXT, calendar TEXT
        );
        CREATE TABLE officials (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT, name_key TEXT, titles TEXT, text TEXT, start INTEGER, "end" INTEGER
        );
        CREATE TABLE hospitals (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT, name_key TEXT, text TEXT, start INTEGER, "end" INTEGER
        );
        CREATE TABLE periods (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT, kind TEXT, start_year INTEGER, end_year INTEGER, start INTEGER, "end" INTEGER
        );
        CREATE TABLE figures (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT, value REAL, unit TEXT, qualifier TEXT, start INTEGER, "end" INTEGER
        );
        CREATE TABLE agreements (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            parties TEXT, signed TEXT, start_year INTEGER, end_year INTEGER, scope TEXT,
            text TEXT, start INTEGER, "end" INTEGER
        );
        CREATE INDEX dates_article ON dates(article_id);
        CREATE INDEX officials_article ON officials(article_id);
        CREATE INDEX officials_key ON officials(name_key);
        CREATE INDEX hospitals_article ON hospitals(article_id);
        CREATE INDEX hospitals_key ON hospitals(name_key);
        CREATE INDEX periods_article ON periods(article_id);
        CREATE INDEX figures_article ON figures(article_id);
        CREATE INDEX agreements_article ON agreements(article_id);
        -- Folded (no diacritics, đ→d, lower) copies of title and text; same length as the
        -- originals, so a match offset here is an offset in articles.text.
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, tokenize = "unicode61 remove_diacritics 2"
        );
        """,
    ),
]
