"""``vnnews serve``: the corpus in Datasette, read-only, for journalists.

The corpus file is checkpointed (its WAL folded in) and opened in Datasette's immutable
mode — a consistent snapshot.  When a crawl holds the file and the checkpoint cannot
finish, the file is served in Datasette's ordinary read-only mode instead, so articles
still in the WAL are not hidden.  The metadata (titles, descriptions, full-text search on
``articles``, facets and canned queries) is generated here by ``metadata()``.

Datasette reads only SQLite, so a PostgreSQL corpus is served by the small search page of
``corpus.webui`` instead; ``--ui simple`` picks that page for a SQLite file too.
"""

from __future__ import annotations

import logging
import socket
import sqlite3
import sys

from corpus.db import POSTGRESQL, parse_db
from corpus.errors import CorpusError
from corpus.db import sqlite_path
from corpus.store import Corpus

log = logging.getLogger(__name__)

UIS = ("datasette", "simple")
_DOCTOR_UNITS = ("bac si", "y bac si", "dieu duong", "can bo y te", "nhan vien y te", "y te")

QUERIES = {
    "search": {
        "title": "Search articles",
        "description": "Full-text search; diacritics, tone marks and đ are optional (\"Bach Mai\" finds "
                       "\"Bạch Mai\"). Phrases in quotes, OR, NOT, prefix*. One row per story, newest first.",
        "sql": "select a.id, a.title, a.site, a.province, coalesce(a.published, a.published_month) as published,\n"
               "  vn_snippet(a.text, :q) as snippet, a.hospital_names as hospitals\n"
               "from articles_fts join articles a on a.id = articles_fts.rowid\n"
               "where articles_fts match vn_match(:q) and a.duplicate_of is null\n"
               "order by articles_fts.rowid desc limit 50",
    },
    "agreements_by_hospital": {
        "title": "Agreements by hospital",
        "description": "Cooperation agreements with a hospital among their parties; filter by a hospital "
                       "name (diacritics optional) or leave empty for all.",
        "sql": "select p.name as hospital, g.signed, g.start_year, g.end_year, g.parties, g.scope,\n"
               "  a.title, a.province, a.id as article_id\n"
               "from agreement_parties p join agreements g on g.id = p.agreement_id\n"
               "  join articles a on a.id = g.article_id\n"
               "where p.name_key like 'benh vien%'\n"
               "  and (:hospital = '' or p.name_key like '%' || vn_fold(:hospital) || '%')\n"
               "order by p.name, g.signed",
    },
    "officials_by_province": {
        "title": "Officials by province",
        "description": "Every official named in the articles of a province (diacritics optional; leave "
                       "empty for all provinces), with their titles and how many articles name them.",
        "sql": "select a.province, o.name, count(distinct o.article_id) as articles,\n"
               "  group_concat(distinct o.titles) as titles\n"
               "from officials o join articles a on a.id = o.article_id\n"
               "where :province = '' or a.province in\n"
               "  (select distinct province from articles where vn_fold(province) = vn_fold(:province))\n"
               "group by a.province, o.name order by a.province, articles desc, o.name",
    },
    "figures_about_doctors": {
        "title": "Figures about doctors",
        "description": "Numbers whose unit is doctors, nurses or health staff (bác sĩ, điều dưỡng, "
                       "cán bộ y tế, …), largest first.",
        "sql": "select f.value, f.qualifier, f.unit, f.text, a.title, a.province, a.id as article_id\n"
               "from figures f join articles a on a.id = f.article_id\n"
               "where f.unit in (select unit from (select distinct unit from figures) where\n"
               f"  {' or '.join(f'vn_fold(unit) like {chr(39)}%{u}%{chr(39)}' for u in _DOCTOR_UNITS)})\n"
               "order by f.value desc limit 1000",
    },
}


def metadata(name: str) -> dict:
    """Datasette metadata for a corpus served under database name ``name``."""
    hidden = {t: {"hidden": True} for t in ("pages", "minhashes", "lsh_bands", "schema_migrations")}
    return {
        "title": "vnnews — Vietnamese provincial health news",
        "description": "Articles from provincial news sites with the dates, officials, hospitals, periods, "
                       "figures and agreements extracted from them. Search ignores diacritics.",
        "databases": {name: {
            "title": "Corpus",
            "tables": {
                "articles": {
                    "title": "Articles",
                    "description": "One row per article. Search box: diacritics optional. Facets: province, "
                                   "site, hospitals, officials, periods.",
                    "fts_table": "articles_fts", "fts_pk": "id", "label_column": "title",
                    "sort_desc": "id",  # newest stored first; a sort by published is a click away
                    "facets": ["province", "site", {"array": "hospital_names"}, {"array": "official_names"},
                               {"array": "period_labels"}],
                },
                "hospitals": {"title": "Hospitals named", "facets": ["name"]},
                "officials": {"title": "Officials named", "facets": ["name"]},
                "periods": {"title": "Periods (giai đoạn …)", "facets": ["kind", "start_year", "end_year"]},
                "figures": {"title": "Figures", "facets": ["unit", "qualifier"]},
                "agreements": {"title": "Agreements", "facets": ["signed", "start_year", "end_year"]},
                "agreement_parties": {"title": "Agreement parties", "facets": ["name"]},
                "dates": {"title": "Dates", "facets": ["granularity", "part_of_day"]},
                "runs": {"title": "Runs (extract, crawl, reextract)", "sort_desc": "id"},
                **hidden,
            },
            "queries": QUERIES,
        }},
    }


def _snapshot_ready(path) -> bool:
    """Fold the WAL into the file; False when another process keeps it from finishing."""
    try:
        conn = sqlite3.connect(path, timeout=2.0)
        try:
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning("cannot checkpoint %s: %s", path, exc)
        return False
    wal = path.with_name(path.name + "-wal")
    return not busy and (not wal.exists() or wal.stat().st_size == 0)


def _register_plugin() -> None:
    from datasette.plugins import pm

    from corpus import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="vnnews")


def build_app(db: str | None):
    """The Datasette ASGI app for a corpus (checked, checkpointed, read-only)."""
    from datasette.app import Datasette

    path = sqlite_path(db)
    Corpus(str(path), readonly=True).close()  # clear errors: missing, corrupt, old schema
    _register_plugin()
    settings = {"truncate_cells_html": 300, "suggest_facets": False, "allow_download": False,
                "default_page_size": 50, "sql_time_limit_ms": 5000, "facet_time_limit_ms": 300}
    name = path.stem
    if _snapshot_ready(path):
        ds = Datasette(immutables=[str(path)], metadata=metadata(name), settings=settings)
    else:
        log.warning("%s is being written; serving it live (read-only) instead of as a snapshot", path)
        ds = Datasette(files=[str(path)], metadata=metadata(name), settings=settings)
    return ds, name


def _app_for(db: str | None, ui: str | None):
    """(ASGI app, path of its start page): Datasette for a SQLite file unless ``ui`` is
    "simple"; the simple page for PostgreSQL, which Datasette cannot read."""
    dialect, target = parse_db(db)
    ui = ui or ("simple" if dialect == POSTGRESQL else "datasette")
    if ui not in UIS:
        raise CorpusError(f"unknown --ui {ui!r} (choose from {', '.join(UIS)})")
    if ui == "simple":
        from corpus import webui

        return webui.build_app(target), "/"
    if dialect == POSTGRESQL:
        raise CorpusError("Datasette reads only SQLite files: serve a PostgreSQL corpus with --ui simple "
                          "(the default for PostgreSQL)")
    ds, name = build_app(db)
    return ds.app(), f"/{name}/articles"


def serve(db: str | None, host: str = "127.0.0.1", port: int = 8001, ui: str | None = None) -> int:
    import uvicorn

    app, start = _app_for(db, ui)
    try:
        sock = socket.create_server((host, port))
    except OSError as exc:
        raise CorpusError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound = sock.getsockname()[1]
    print(f"Serving the corpus at http://{host}:{bound}{start} (Ctrl-C to stop)", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])
    sys.stdout.flush()
    return 0
