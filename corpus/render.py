"""Terminal output: tables of search hits, records and crawl summaries (rich)."""

from __future__ import annotations

import re
from typing import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from corpus.search import Hit


def _console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _highlighted(snippet: str) -> Text:
    """A snippet with its [matches] in bold (plain Text: no rich markup is parsed)."""
    out = Text()
    for i, part in enumerate(re.split(r"\[([^\[\]]*)\]", snippet)):
        out.append(part, style="bold yellow" if i % 2 else None)
    return out


def print_hits(hits: list[Hit], query: str) -> None:
    console = _console()
    if not hits:
        console.print(Text(f"no articles match {query!r}"))
        return
    table = Table(title=Text(f"{len(hits)} article(s) for {query!r}"), show_lines=True)
    table.add_column("article", overflow="fold", ratio=5)
    table.add_column("site", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("hospitals", overflow="fold", ratio=2)
    for h in hits:
        cell = Text(h.title, style="bold") + Text("\n") + _highlighted(h.snippet)
        if h.copies:
            cell.append(f"\nalso published at: {', '.join(h.copies)}", style="dim")
        table.add_row(cell, Text(h.site or ""), Text((h.published or "")[:10]), Text("; ".join(h.hospitals)))
    console.print(table)


def print_records(records: Iterable[dict]) -> None:
    """A compact view of what was extracted, one block per article."""
    console = _console()
    for rec in records:
        console.rule(f"[bold]{rec['title']}")
        console.print(f"{rec.get('site') or '?'} · {rec.get('province') or '?'} · "
                      f"{(rec.get('published') or rec.get('published_month') or '?')[:10]} · "
                      f"{', '.join(rec.get('authors') or []) or 'no author'}")
        for o in rec["officials"]:
            console.print(f"  official  {o['name']} — {', '.join(o['titles'])}")
        for h in rec["hospitals"]:
            console.print(f"  hospital  {h['name']}  (“{h['text']}”)")
        for d in rec["dates"]:
            console.print(f"  date      {d['value']}  (“{d['text']}”)")
        for p in rec["periods"]:
            console.print(f"  period    {p['start_year'] or '…'}–{p['end_year'] or '…'}  (“{p['text']}”)")
        for a in rec["agreements"]:
            console.print(f"  agreement {' + '.join(a['parties'])} signed {a['signed'] or '?'}")
        figures = rec["figures"]
        if figures:
            shown = "; ".join(f["text"] for f in figures[:6])
            more = f" (+{len(figures) - 6} more)" if len(figures) > 6 else ""
            console.print(f"  figures   {shown}{more}")


def print_crawl_summary(summary) -> None:
    console = _console()
    console.print(
        f"pages fetched: {summary.pages_fetched} · articles added: {summary.articles_added} · "
        f"unchanged: {summary.articles_unchanged} · failed: {len(summary.failed)} · "
        f"{summary.duration_s:.1f} s"
    )
    for url, reason in summary.failed:
        console.print(f"  failed {url}: {reason}")
