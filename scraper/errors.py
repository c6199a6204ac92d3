"""Errors raised by vnnews, one tree for the whole pipeline.

    VnnewsError                 base: the CLI prints str(err) on one line, exit code 2
     ├── InputError             a file, URL or argument the user gave cannot be used
     ├── FetchError             a page could not be fetched (network, status, size, scheme)
     ├── ProfileError           a site profile is invalid (unknown key, bad pattern)
     ├── ExtractionError        (extract.errors) one extractor failed on one article
     └── CorpusError            (corpus.errors) the corpus cannot be opened, read or written

Every error message is one line that names the thing at fault.
"""

from __future__ import annotations


class VnnewsError(Exception):
    """Base of every error vnnews raises on purpose."""

    exit_code = 2


class InputError(VnnewsError):
    """An input file, URL or argument cannot be used."""


class FetchError(VnnewsError):
    """A page could not be fetched; ``reason`` is a short machine-readable tag."""

    def __init__(self, message: str, *, url: str = "", reason: str = "error") -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason


class ProfileError(VnnewsError):
    """A site profile is invalid."""
