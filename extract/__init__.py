"""extract: pure NLP over an Article — dates, officials, hospitals, periods, figures,
agreements and other health organisations — each mention with offsets into the article's
text.  No I/O.  ``extract_many`` spreads a stream of articles over worker processes."""

from extract.normalize import fold_key, fold_search, fold_tone, nfc
from extract.pipeline import EXTRACTOR_VERSION, extract_many, extract_record
from extract.types import (
    SCHEMA,
    Agreement,
    DateMention,
    Figure,
    Hospital,
    Official,
    Organization,
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
    "Organization",
    "Period",
    "Record",
    "extract_many",
    "extract_record",
    "fold_key",
    "fold_search",
    "fold_tone",
    "nfc",
    "record_from_json",
    "record_to_json",
]
