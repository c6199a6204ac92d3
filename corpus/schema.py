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

MIGRATIONS.append(
    (
        "runs-parties-duplicates-facets",
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,           -- extract | crawl | reextract | nightly
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',  -- running | ok | partial | failed
            extractor TEXT,
            articles_added INTEGER NOT NULL DEFAULT 0,
            articles_unchanged INTEGER NOT NULL DEFAULT 0,
            pages_fetched INTEGER NOT NULL DEFAULT 0,
            pages_failed INTEGER NOT NULL DEFAULT 0,
            summary TEXT NOT NULL DEFAULT '{}'  -- JSON
        );
        ALTER TABLE articles ADD COLUMN run_id INTEGER REFERENCES runs(id);
        ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id);
        ALTER TABLE articles ADD COLUMN duplicate_similarity REAL;
        ALTER TABLE articles ADD COLUMN hospital_names TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE articles ADD COLUMN official_names TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE articles ADD COLUMN period_labels TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE pages ADD COLUMN parse_hints TEXT NOT NULL DEFAULT '{}';
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
        CREATE INDEX articles_extractor ON articles(extractor);
        CREATE INDEX articles_page ON articles(page_id);
        -- agreements get their own id so that parties can point at them
        CREATE TABLE agreements_v2 (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            parties TEXT, signed TEXT, start_year INTEGER, end_year INTEGER, scope TEXT,
            text TEXT, start INTEGER, "end" INTEGER
        );
        INSERT INTO agreements_v2 (article_id, parties, signed, start_year, end_year, scope, text, start, "end")
            SELECT article_id, parties, signed, start_year, end_year, scope, text, start, "end"
            FROM agreements ORDER BY rowid;
        DROP TABLE agreements;
        ALTER TABLE agreements_v2 RENAME TO agreements;
        CREATE INDEX agreements_article ON agreements(article_id);
        CREATE TABLE agreement_parties (
            agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL
        );
        INSERT INTO agreement_parties
            SELECT g.id, g.article_id, j.key, j.value, vn_fold(j.value)
            FROM agreements g, json_each(g.parties) j;
        CREATE INDEX agreement_parties_agreement ON agreement_parties(agreement_id);
        CREATE INDEX agreement_parties_article ON agreement_parties(article_id);
        CREATE INDEX agreement_parties_key ON agreement_parties(name_key);
        CREATE INDEX periods_years ON periods(start_year, end_year);
        UPDATE articles SET
            hospital_names = (SELECT json_group_array(name) FROM
                (SELECT name FROM hospitals WHERE article_id = articles.id ORDER BY start)),
            official_names = (SELECT json_group_array(name) FROM
                (SELECT name FROM officials WHERE article_id = articles.id ORDER BY start)),
            period_labels = (SELECT json_group_array(label) FROM
                (SELECT DISTINCT coalesce(start_year, '…') || '–' || coalesce(end_year, '…') AS label
                 FROM periods WHERE article_id = articles.id AND (start_year IS NOT NULL OR end_year IS NOT NULL)));
        -- near-duplicate detection: a MinHash signature per article and its LSH band hashes
        CREATE TABLE minhashes (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            signature BLOB NOT NULL          -- uint64 little-endian hash values
        );
        CREATE TABLE lsh_bands (
            band INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (band, hash, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX lsh_bands_article ON lsh_bands(article_id);
        """,
    )
)

MIGRATIONS.append(
    (
        "crawl-frontier",
        """
        CREATE TABLE IF NOT EXISTS crawl_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT                 -- NULL: unfinished, the next crawl resumes it
        );
        CREATE TABLE IF NOT EXISTS crawl_frontier (
            key TEXT PRIMARY KEY,            -- canonical URL
            url TEXT NOT NULL,               -- the URL requested
            site TEXT NOT NULL,
            host TEXT NOT NULL,              -- host[:port], the politeness unit
            kind TEXT NOT NULL,              -- page, article, listing, sitemap, feed, api
            depth INTEGER NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 1,
            meta TEXT NOT NULL DEFAULT '{}',
            state TEXT NOT NULL DEFAULT 'queued',  -- queued, done, unchanged, redirect, duplicate, skipped, failed
            run_id INTEGER NOT NULL DEFAULT 0,     -- the run that last visited it
            discovered_at TEXT NOT NULL,
            visited_at TEXT,
            status INTEGER,
            reason TEXT,
            final_url TEXT,
            etag TEXT,
            last_modified TEXT,
            page_id INTEGER
        );
        CREATE INDEX IF NOT EXISTS crawl_frontier_queue ON crawl_frontier(state, host, priority);
        CREATE TABLE IF NOT EXISTS crawl_robots (
            host TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        "serve-indexes",
        """
        -- vnnews serve: sorting by publication date, and the distinct units of figures
        CREATE INDEX IF NOT EXISTS articles_published_at ON articles(published);
        CREATE INDEX IF NOT EXISTS figures_unit ON figures(unit);
        """,
    )
)

MIGRATIONS.append(
    (
        "crawl-workers",
        """
        -- several crawl workers sharing one frontier (vnnews crawl --worker) need PostgreSQL:
        -- on SQLite, which has one writer, these stay empty.  Lease times are seconds since
        -- the epoch on the database server's clock, so workers on many machines agree on them.
        CREATE TABLE IF NOT EXISTS crawl_workers (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL,         -- the crawl_runs row it works on
            hostname TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat_at REAL NOT NULL,
            lease_until REAL NOT NULL,       -- past it without a heartbeat: dead, its work is taken over
            stopped_at TEXT                  -- a clean exit
        );
        CREATE TABLE IF NOT EXISTS crawl_hosts (
            host TEXT PRIMARY KEY,           -- host[:port], the politeness unit
            worker_id INTEGER,               -- the one worker crawling it now, NULL: free
            ready_at REAL NOT NULL DEFAULT 0 -- no request before this (the last holder's delay, a Retry-After)
        );
        -- a URL in state 'claimed' is being crawled by worker_id; a visited one was crawled by it
        ALTER TABLE crawl_frontier ADD COLUMN worker_id INTEGER;
        """,
    )
)
