"""The search query language, parsed once and written out for either engine.

Syntax (operators in capitals; in lower case they are words)::

    bach mai            words: all must match (implicit AND)
    "cho ray"           a phrase: the words next to each other
    ung buou*           prefix: any word starting with "buou"
    a OR b, a AND b     either / both
    a NOT b             a, but not b (binary: a query cannot start with NOT)
    (a OR b) c          grouping

Precedence, tightest first: adjacent terms, NOT, AND, OR — FTS5's, so a query keeps
the meaning it had when SQLite's FTS5 parsed it directly.  A word is folded
(``extract.fold_search``) and cut into index words (``corpus.fts.WORD``) exactly as the
indexed text was, so a word that folds into several ("covid-19", "2025–2030") is a
phrase, and punctuation on its own is ignored.

Mistakes are ``QueryError`` here, before either engine sees the query, so SQLite and
PostgreSQL refuse the same queries with the same one-line message: an empty query,
unbalanced quotes or parentheses, a dangling or leading operator, and NEAR (FTS5 has it,
PostgreSQL has no equivalent).

``to_fts5`` writes the FTS5 MATCH string (barewords and "phrases", parentheses only where
FTS5 needs them: it rejects a group next to a term, so that join is an explicit AND).
``to_tsquery`` writes a PostgreSQL ``tsquery``: ``'w'``, ``'a' <-> 'b'``, ``'w':*``,
``&``, ``|``, ``a & !b``; ``title=True`` restricts every lexeme to weight A, the title's
words (``corpus.fts``), like FTS5's ``{title} : (…)``.  ``for_engine`` gives the SQL
condition, its parameter and the relevance order for a corpus's dialect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from corpus.db import POSTGRESQL
from corpus.errors import QueryError
from corpus.fts import WORD
from extract import fold_search

OPERATORS = ("AND", "OR", "NOT")
_LEX = re.compile(r'\s*(?:(?P<paren>[()])|"(?P<phrase>[^"]*)"(?P<star>\*)?|(?P<open>")|(?P<word>[^\s"()]+))')
_MAX_LEXEME = 200  # corpus.fts.words cuts indexed words to this length


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase (folded index words), its last word a prefix when ``prefix``."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Op:
    """``op`` is AND, OR, NOT (binary, two parts) or " " (adjacent terms: AND)."""

    op: str
    parts: tuple["Node", ...]


Node = Union[Term, Op]


def _error(query: str, reason: str) -> QueryError:
    return QueryError(f"bad search query {query!r}: {reason}")


def _tokens(query: str) -> list[str | Term]:
    """Operators and parentheses as strings, words and phrases as Terms (none empty)."""
    out: list[str | Term] = []
    pos = 0
    while (m := _LEX.match(query, pos)) and m.end() > pos:
        pos = m.end()
        if m["open"]:
            raise _error(query, "unbalanced double quote")
        if m["paren"]:
            out.append(m["paren"])
            continue
        text = m["word"] if m["word"] is not None else m["phrase"]
        if m["word"] in OPERATORS:
            out.append(text)
            continue
        if m["word"] == "NEAR":
            raise _error(query, 'NEAR is not supported (SQLite only); use a "phrase" or AND')
        words = tuple(WORD.findall(fold_search(text)))
        if words:
            out.append(Term(words, prefix=bool(m["star"]) if m["word"] is None else text.endswith("*")))
    return out


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokens(query)
        self.pos = 0

    def peek(self) -> str | Term | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str | Term | None:
        token = self.peek()
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise _error(self.query, "no words to search for" if self.query.strip() else "empty query")
        node = self.any()
        if self.peek() is not None:  # only a ")" stops `any` early
            raise _error(self.query, "unbalanced parenthesis: ')' without '('")
        return node

    def _binary(self, op: str, operand) -> Node:
        parts = [operand()]
        while self.peek() == op:
            self.take()
            parts.append(operand())
        return _joined(op, parts)

    def any(self) -> Node:
        return self._binary("OR", self.all)

    def all(self) -> Node:
        return self._binary("AND", self.but_not)

    def but_not(self) -> Node:
        node = self.adjacent()
        while self.peek() == "NOT":
            self.take()
            node = Op("NOT", (node, self.adjacent()))
        return node

    def adjacent(self) -> Node:
        parts = [self.atom()]
        while isinstance(self.peek(), Term) or self.peek() == "(":
            parts.append(self.atom())
        return _joined(" ", parts)

    def atom(self) -> Node:
        before = self.tokens[self.pos - 1] if self.pos else None
        token = self.take()
        if isinstance(token, Term):
            return token
        if token == "(":
            if self.peek() == ")":
                raise _error(self.query, "empty parentheses")
            node = self.any()
            if self.take() != ")":
                raise _error(self.query, "unbalanced parenthesis: '(' is never closed")
            return node
        if token in OPERATORS or before in OPERATORS:  # "AND b", "a OR", "(a OR) b"
            raise _error(self.query, f"{token if token in OPERATORS else before} needs a search term on each side")
        if token is None:  # the query ended just after "("
            raise _error(self.query, "unbalanced parenthesis: '(' is never closed")
        raise _error(self.query, "unbalanced parenthesis: ')' without '('")


def _joined(op: str, parts: list[Node]) -> Node:
    """``parts`` joined by ``op`` (AND, OR or adjacency: associative), a part joined by
    the same operator — from parentheses, "x (a b)" — merged in."""
    if len(parts) == 1:
        return parts[0]
    flat = [p for part in parts for p in (part.parts if isinstance(part, Op) and part.op == op else (part,))]
    return Op(op, tuple(flat))


def parse(query: str) -> Node:
    """The syntax tree of a user query; QueryError when it is malformed."""
    return _Parser(query).parse()


def words(node: Node) -> list[str]:
    """Every index word of the query (for highlighting), NOT-ed ones included."""
    if isinstance(node, Term):
        return list(node.words)
    return [w for part in node.parts for w in words(part)]


# -- FTS5 -------------------------------------------------------------------------------

_FTS5_PREC = {"OR": 1, "AND": 2, "NOT": 3}
_FTS5_KEYWORDS = {"AND", "OR", "NOT", "NEAR"}


def _fts5(node: Node) -> tuple[str, int]:
    """(text, precedence) — 5 a term, 4 adjacent terms, else the operator's."""
    if isinstance(node, Term):
        bare = len(node.words) == 1 and node.words[0] not in _FTS5_KEYWORDS  # folded words are lower case
        text = node.words[0] if bare else '"' + " ".join(node.words) + '"'
        return text + ("*" if node.prefix else ""), 5
    if node.op == " " and all(isinstance(p, Term) for p in node.parts):
        return " ".join(_fts5(p)[0] for p in node.parts), 4
    op = "AND" if node.op == " " else node.op  # FTS5 refuses a group next to a term
    prec = _FTS5_PREC[op]
    out = []
    for i, part in enumerate(node.parts):
        text, p = _fts5(part)
        need = prec + 1 if op == "NOT" and i else prec  # NOT is left-associative
        out.append(text if p >= need else f"({text})")
    return f" {op} ".join(out), prec


def to_fts5(node: Node) -> str:
    return _fts5(node)[0]


# -- PostgreSQL tsquery -----------------------------------------------------------------

def _lexeme(word: str, label: str) -> str:
    quoted = word[:_MAX_LEXEME].replace("\\", "\\\\").replace("'", "''")
    return f"'{quoted}'" + (":" + label if label else "")


def to_tsquery(node: Node, title: bool = False) -> str:
    """The tsquery text (cast it with ``CAST(? AS tsquery)``: the lexemes are already
    folded and must not be normalised again)."""
    weight = "A" if title else ""
    if isinstance(node, Term):
        last = len(node.words) - 1
        lexemes = [_lexeme(w, ("*" if node.prefix and i == last else "") + weight) for i, w in enumerate(node.words)]
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"
    parts = [to_tsquery(p, title) for p in node.parts]
    if node.op == "NOT":
        return f"({parts[0]} & !{parts[1]})"
    return "(" + (" | " if node.op == "OR" else " & ").join(parts) + ")"


# -- for the corpus's engine ------------------------------------------------------------

# ts_rank weights {D, C, B, A}: title words (A) count 3× the text's, as bm25(…, 3.0, 1.0);
# normalisation 8: divided by the number of distinct words (see corpus.search)
_TS_RANK = "ts_rank('{0.1, 0.1, 0.1, 0.3}', articles_fts.tsv, CAST(? AS tsquery), 8)"


@dataclass(frozen=True, slots=True)
class Match:
    """A query written for one engine: ``cond`` (SQL on ``articles_fts``, one parameter)
    holds with ``value`` for every match and with ``title`` for matches whose title
    matches too; ``rank`` orders by relevance (parameters ``rank_params``)."""

    cond: str
    value: str
    title: str
    rank: str
    rank_params: tuple[str, ...] = ()


def for_engine(dialect: str, query: str) -> Match:
    """Parse ``query`` (QueryError when malformed) and write it for ``dialect``."""
    node = parse(query)
    if dialect == POSTGRESQL:
        tsq = to_tsquery(node)
        return Match("articles_fts.tsv @@ CAST(? AS tsquery)", tsq, f"{tsq} & {to_tsquery(node, title=True)}",
                     f"{_TS_RANK} DESC, articles_fts.rowid DESC", (tsq,))
    fts = to_fts5(node)
    return Match("articles_fts MATCH ?", fts, f"({fts}) AND {{title}} : ({fts})", "bm25(articles_fts, 3.0, 1.0)")

