"""extract: pure NLP over an Article — dates, officials, hospitals, periods, figures,
agreements — each mention with offsets into the article's text.  No I/O."""

from extract.normalize import fold_key, fold_search, fold_tone, nfc
from extract.pipeline import EXTRACTOR_VERSION, extract_record
from extract.types import (
    SCHEMA,
    Agreement,
    DateMention,
    Figure,
    Hospital,
    Official,
    Period,
    Record,
    record_from_json,
    record_to_json,
)

__all__ = [
    "EXTRACTOR_VERSION",
    "SCHEMA",
    "Agreement",
    "DateMention",
    "Figure",
    "Hospital",
    "Official",
    "Period",
    "Record",
    "extract_record",
    "fold_key",
    "fold_search",
    "fold_tone",
    "nfc",
    "record_from_json",
    "record_to_json",
]
