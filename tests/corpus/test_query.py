"""corpus.query: one parser for both engines — the FTS5 string SQLite has always been
given, the tsquery PostgreSQL gets, and the same QueryError for a malformed query."""

from __future__ import annotations

import pytest

from corpus.errors import QueryError
from corpus.query import parse, to_fts5, to_tsquery, words


@pytest.mark.parametrize("query, tsquery", [
    ("Bach Mai", "('bach' & 'mai')"),
    ("Bạch Mai", "('bach' & 'mai')"),                     # diacritics
    ("BẠCH MAI", "('bach' & 'mai')"),
    ("Đà Nẵng", "('da' & 'nang')"),                       # đ → d
    ("Uỷ ban", "('uy' & 'ban')"),                         # old and new tone-mark placement
    ("Ủy ban", "('uy' & 'ban')"),
    ('"Chợ Rẫy"', "('cho' <-> 'ray')"),                   # phrase
    ('"bệnh viện Bạch Mai"', "('benh' <-> 'vien' <-> 'bach' <-> 'mai')"),
    ("gh*", "'gh':*"),                                    # prefix
    ('"bach ma"*', "('bach' <-> 'ma':*)"),                # prefix on a phrase's last word
    ("Bach OR Ray", "('bach' | 'ray')"),
    ("y te NOT ghep", "(('y' & 'te') & !'ghep')"),        # NOT binds the adjacent terms on each side
    ("a NOT b c", "('a' & !('b' & 'c'))"),
    ("a NOT b NOT c", "(('a' & !'b') & !'c')"),
    ("a OR b c", "('a' | ('b' & 'c'))"),                  # adjacency binds tighter than OR
    ("a OR b AND c", "('a' | ('b' & 'c'))"),              # AND binds tighter than OR
    ("(a OR b) c", "(('a' | 'b') & 'c')"),
    ("a AND (b OR c) NOT d", "('a' & (('b' | 'c') & !'d'))"),
    ("covid-19", "('covid' <-> '19')"),                   # a word folding into two is a phrase
    ("2025–2030", "('2025' <-> '2030')"),
    ("and or not", "('and' & 'or' & 'not')"),             # lower case: words
    ("Bach - Mai", "('bach' & 'mai')"),                   # punctuation alone is ignored
])
def test_tsquery(query, tsquery):
    assert to_tsquery(parse(query)) == tsquery


@pytest.mark.parametrize("query, title", [
    ("Bach Mai", "('bach':A & 'mai':A)"),
    ('"cho ray"', "('cho':A <-> 'ray':A)"),
    ("gh*", "'gh':*A"),
    ("y te NOT ghep", "(('y':A & 'te':A) & !'ghep':A)"),
])
def test_title_only_tsquery_puts_every_lexeme_in_weight_a(query, title):
    assert to_tsquery(parse(query), title=True) == title


@pytest.mark.parametrize("query, fts5", [
    ('Bệnh Viện OR "Đà Nẵng" NOT Huế', 'benh vien OR "da nang" NOT hue'),  # what SQLite always got
    ("ung buou*", "ung buou*"),
    ('"benh an dien tu"', '"benh an dien tu"'),
    ("vac xin OR tiem chung", "vac xin OR tiem chung"),
    ("a AND (b OR c)", "a AND (b OR c)"),
    ("(a OR b) c", "(a OR b) AND c"),       # FTS5 itself refuses a group next to a term
    ("a NOT (b NOT c)", "a NOT (b NOT c)"),
    ("(a NOT b) NOT c", "a NOT b NOT c"),
    ("x (a b)", "x a b"),
    ("covid-19*", '"covid 19"*'),
])
def test_fts5(query, fts5):
    assert to_fts5(parse(query)) == fts5


@pytest.mark.parametrize("query, reason", [
    ("", "empty query"),
    ("   ", "empty query"),
    ('"Bach Mai', "unbalanced double quote"),
    ('Bach "Mai" "', "unbalanced double quote"),
    ("(Bach", "'(' is never closed"),
    ("Bach (", "'(' is never closed"),
    ("Bach)", "')' without '('"),
    ("()", "empty parentheses"),
    ("AND", "AND needs a search term on each side"),
    ("Bach AND", "AND needs a search term on each side"),
    ("OR Bach", "OR needs a search term on each side"),
    ("NOT Bach", "NOT needs a search term on each side"),   # NOT is binary, as in FTS5
    ("a OR OR b", "OR needs a search term on each side"),
    ("(a OR) b", "OR needs a search term on each side"),
    ("a NEAR b", "NEAR is not supported"),
    ("NEAR(a b)", "NEAR is not supported"),
    ("-- …", "no words to search for"),
    ('""', "no words to search for"),
])
def test_malformed_queries_are_one_line_query_errors(query, reason):
    with pytest.raises(QueryError) as info:
        parse(query)
    message = str(info.value)
    assert reason in message and message.startswith(f"bad search query {query!r}: ") and "\n" not in message


def test_words_for_highlighting():
    assert words(parse('"Chợ Rẫy" OR gh* NOT (Huế)')) == ["cho", "ray", "gh", "hue"]


def test_lexemes_are_quoted():
    from corpus.query import Term

    assert to_tsquery(Term(("it's", "a\\b"))) == "('it''s' <-> 'a\\\\b')"
