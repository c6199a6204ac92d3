"""Near-duplicate articles: the same story republished by several sites with small edits.

Each article gets a MinHash signature over the word 4-shingles of its folded text.  The
signature is cut into ``BANDS`` bands of ``ROWS`` values; each band is hashed and stored
in ``lsh_bands`` — the LSH index lives in SQLite, so it survives across runs and a new
article finds its candidates with one indexed query.  Candidates whose estimated
Jaccard similarity reaches ``THRESHOLD`` belong to the same story.

The MinHash is datasketch's (``datasketch.MinHash(num_perm=120, seed=7,
scheme="affine32")``, SHA-1 32-bit hashes): tests/corpus/test_dedup.py checks the values
are identical.  It is computed here with numpy because importing datasketch pulls in
scipy — about 1.5 s added to every process that stores an article.

A story is flat: its canonical article (the earliest published; ties to the lowest id)
has ``duplicate_of`` NULL, every other copy points straight at it.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from functools import lru_cache

import numpy as np

from extract import fold_search

SHINGLE_WORDS = 4
BANDS = 20
ROWS = 6
NUM_PERM = BANDS * ROWS
THRESHOLD = 0.6  # estimated Jaccard of shingle sets; LSH threshold ≈ (1/BANDS)**(1/ROWS) ≈ 0.61
SEED = 7

_WORD = re.compile(r"[^\W_]+")


_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for SEED: h -> a*h + b mod 2**32, a odd."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer (datasketch's pre-mix), wrapping arithmetic."""
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def shingles(text: str) -> set[bytes]:
    """Word 4-shingles of the folded text (the whole text when it is shorter)."""
    words = _WORD.findall(fold_search(text))
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash hash values (NUM_PERM of them, stored as uint64) of a text."""
    digests = b"".join(hashlib.sha1(s).digest()[:4] for s in shingles(text))
    hv = _fmix32(np.frombuffer(digests, dtype="<u4").reshape(-1, 1))
    a, b = _permutations()
    with np.errstate(over="ignore"):
        return (hv * a + b).min(axis=0).astype("<u8")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def band_hashes(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, signed 64-bit hash) for each band of a signature."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little", signed=True)))
    return out


def _load(conn: sqlite3.Connection, article_id: int) -> np.ndarray | None:
    row = conn.execute("SELECT signature FROM minhashes WHERE article_id=?", (article_id,)).fetchone()
    return np.frombuffer(row[0], dtype="<u8") if row else None


def index_signature(conn: sqlite3.Connection, article_id: int, sig: np.ndarray) -> list[tuple[int, float]]:
    """Store the signature and its bands; return (article id, similarity) of its near-duplicates."""
    bands = band_hashes(sig)
    conn.execute("DELETE FROM lsh_bands WHERE article_id=?", (article_id,))
    conn.execute("INSERT INTO minhashes VALUES (?, ?) ON CONFLICT (article_id) DO UPDATE SET signature = excluded.signature",
                 (article_id, sig.tobytes()))
    where = " OR ".join("(band=? AND hash=?)" for _ in bands)
    flat = [v for pair in bands for v in pair]
    candidates = [r[0] for r in conn.execute(
        f"SELECT DISTINCT article_id FROM lsh_bands WHERE ({where}) AND article_id != ?", (*flat, article_id))]
    conn.executemany("INSERT INTO lsh_bands VALUES (?, ?, ?)", [(b, h, article_id) for b, h in bands])
    matches = []
    for start in range(0, len(candidates), 500):  # one query per 500 candidates, not one each
        chunk = candidates[start:start + 500]
        rows = conn.execute(f"SELECT article_id, signature FROM minhashes WHERE article_id IN "
                            f"({','.join('?' * len(chunk))})", chunk)
        for cid, blob in rows:
            if (sim := similarity(sig, np.frombuffer(blob, dtype="<u8"))) >= THRESHOLD:
                matches.append((cid, sim))
    return sorted(matches)


def _story_members(conn: sqlite3.Connection, ids: set[int]) -> set[int]:
    marks = ",".join("?" * len(ids))
    stories = {r[0] for r in conn.execute(
        f"SELECT coalesce(duplicate_of, id) FROM articles WHERE id IN ({marks})", tuple(ids))}
    marks = ",".join("?" * len(stories))
    return {r[0] for r in conn.execute(
        f"SELECT id FROM articles WHERE id IN ({marks}) OR duplicate_of IN ({marks})", (*stories, *stories))}


def _canonical(conn: sqlite3.Connection, members: set[int]) -> int:
    marks = ",".join("?" * len(members))
    return int(conn.execute(
        f"SELECT id FROM articles WHERE id IN ({marks}) "
        "ORDER BY coalesce(published, published_month, '9999') , id LIMIT 1", tuple(members)).fetchone()[0])


def link(conn: sqlite3.Connection, article_id: int, text: str) -> int | None:
    """Index one article (inside the caller's transaction) and merge it into the story of
    its near-duplicates.  Returns the story's canonical id when it has copies, else None."""
    detached = [r[0] for r in conn.execute("SELECT id FROM articles WHERE duplicate_of=?", (article_id,))]
    conn.execute("UPDATE articles SET duplicate_of=NULL, duplicate_similarity=NULL WHERE id=? OR duplicate_of=?",
                  (article_id, article_id))
    canonical = _merge(conn, article_id, index_signature(conn, article_id, signature(text)))
    for other in detached:  # copies of this article's old text: find their story again
        sig = _load(conn, other)
        if sig is not None:
            _merge(conn, other, index_signature(conn, other, sig))
    return canonical


def _merge(conn: sqlite3.Connection, article_id: int, matches: list[tuple[int, float]]) -> int | None:
    if not matches:
        return None
    members = _story_members(conn, {cid for cid, _ in matches}) | {article_id}
    canonical = _canonical(conn, members)
    others = tuple(members - {canonical})
    marks = ",".join("?" * len(others))
    conn.execute("UPDATE articles SET duplicate_of=NULL, duplicate_similarity=NULL WHERE id=?", (canonical,))
    conn.execute(f"UPDATE articles SET duplicate_of=? WHERE id IN ({marks})", (canonical, *others))
    best = max(sim for _, sim in matches)
    conn.execute("UPDATE articles SET duplicate_similarity=? WHERE id=? AND id != ?", (best, article_id, canonical))
    return canonical


def backfill(conn: sqlite3.Connection) -> int:
    """Sign and link articles that have no signature yet (corpora from before migration 2)."""
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM minhashes) ORDER BY id")]
    for article_id in ids:
        (text,) = conn.execute("SELECT text FROM articles WHERE id=?", (article_id,)).fetchone()
        link(conn, article_id, text)
    return len(ids)
