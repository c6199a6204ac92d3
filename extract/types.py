"""Mention types and the ``Record`` (an Article plus what was extracted).

Every mention carries ``text``, ``start`` and ``end``: character offsets into
``Record.text`` such that ``record.text[start:end] == mention.text``.
``record_to_json`` / ``record_from_json`` are the one place the JSON form is defined
(schema ``vnnews.record/1``, see DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from scraper.types import Article

SCHEMA = "vnnews.record/1"


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    start: int
    end: int
    value: str  # ISO: "2024-10-12", "2024-10", "2024", "2025-Q2"
    granularity: str = "day"  # day | month | quarter | year
    part_of_day: str | None = None  # sáng, chiều, tối, ...
    time: str | None = None  # "14:30"
    end_value: str | None = None  # for ranges
    calendar: str = "solar"  # solar | lunar (value is always the solar date)


@dataclass(frozen=True, slots=True)
class Official:
    name: str
    titles: tuple[str, ...]
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Hospital:
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Organization:
    """A health body that is not a hospital (Bộ Y tế, Sở Y tế X, Trung tâm Y tế X …)."""
    name: str
    kind: str  # ministry | agency | department | health_centre | cdc | health_station
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Period:
    text: str
    kind: str
    start_year: int | None
    end_year: int | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Figure:
    text: str
    value: int | float
    unit: str
    qualifier: str | None
    start: int
    end: int
    total: int | float | None = None  # a ratio's whole: "8/10 huyện" -> value 8, total 10
    end_value: int | float | None = None  # a range's high end: "30-40 ca" -> 30 … 40


@dataclass(frozen=True, slots=True)
class Agreement:
    parties: tuple[str, ...]
    signed: str | None
    start_year: int | None
    end_year: int | None
    scope: tuple[str, ...]
    text: str
    start: int
    end: int


MENTION_TYPES: dict[str, type] = {
    "dates": DateMention,
    "officials": Official,
    "hospitals": Hospital,
    "periods": Period,
    "figures": Figure,
    "agreements": Agreement,
    "organizations": Organization,
}


@dataclass(frozen=True, slots=True)
class Record:
    article: Article
    dates: tuple[DateMention, ...] = ()
    officials: tuple[Official, ...] = ()
    hospitals: tuple[Hospital, ...] = ()
    periods: tuple[Period, ...] = ()
    figures: tuple[Figure, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    organizations: tuple[Organization, ...] = ()  # health bodies other than hospitals
    extractor: str = ""
    errors: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return self.article.text


def _mention_to_json(m: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(m):
        value = getattr(m, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def record_to_json(record: Record) -> dict[str, Any]:
    a = record.article
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "url": a.url,
        "site": a.site,
        "province": a.province,
        "title": a.title,
        "lead": a.lead,
        "published": a.published.isoformat() if a.published else None,
        "published_month": a.published_month
        or (a.published.strftime("%Y-%m") if a.published else None),
        "authors": list(a.authors),
        "category": a.category,
        "tags": list(a.tags),
        "text": a.text,
        "captions": list(a.captions),
        "paragraphs": list(a.paragraphs),
    }
    for key in MENTION_TYPES:
        out[key] = [_mention_to_json(m) for m in getattr(record, key)]
    out["extractor"] = record.extractor
    if record.errors:
        out["errors"] = list(record.errors)
    return out


def record_from_json(data: dict[str, Any]) -> Record:
    """Inverse of ``record_to_json``; raises ValueError on a record of another schema."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} record: schema={data.get('schema')!r}")
    published = data.get("published")
    article = Article(
        url=data.get("url"),
        site=data.get("site"),
        province=data.get("province"),
        title=data.get("title") or "",
        lead=data.get("lead") or "",
        paragraphs=tuple(data.get("paragraphs") or ()),
        captions=tuple(data.get("captions") or ()),
        authors=tuple(data.get("authors") or ()),
        published=datetime.fromisoformat(published) if published else None,
        category=data.get("category"),
        tags=tuple(data.get("tags") or ()),
        text=data.get("text") or "",
        published_month=data.get("published_month"),
    )
    kwargs: dict[str, Any] = {}
    for key, cls in MENTION_TYPES.items():
        items = []
        for m in data.get(key) or ():
            items.append(
                cls(**{f.name: tuple(m[f.name]) if isinstance(m.get(f.name), list) else m.get(f.name)
                       for f in fields(cls) if f.name in m})
            )
        kwargs[key] = tuple(items)
    return Record(article=article, extractor=data.get("extractor", ""),
                  errors=tuple(data.get("errors") or ()), **kwargs)
