"""Legal reviews: which lawyer checked which guide's English, and when.

The records sit beside the documents, in ``content/legal-reviews.json``, so a
local edition with its own content keeps its own reviews::

    {"at-your-door": {"reviewer": "A. Lawyer", "date": "2026-12-01",
                      "source": "<hash>"}}

The hash fingerprints the English at review time: its title, summary and
every block, the English-only ones too. When the English changes the review
is stale and the page says so; re-wrapping lines changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .content import Document
from .errors import ContentError
from .pofile import write_atomic
from .reviews import (
    REVIEWED,
    STALE,
    UNREVIEWED,
    ReviewState,
    digest,
    read_reviews,
    record_date,
)
from .segment import iter_segments

FILENAME = "legal-reviews.json"


def fingerprint(doc: Document) -> str:
    """Return the hash of a document's English, as a lawyer reads it."""
    blocks = (s.text for s in iter_segments(doc.nodes, translatable=False))
    return digest([doc.title, doc.summary, *blocks])


def read_records(directory: Path | str) -> dict:
    """Read the legal review records of a content folder (empty if none)."""
    return read_reviews(Path(directory) / FILENAME)


def legal_state(records: dict, doc: Document) -> ReviewState:
    """Return whether a lawyer has reviewed ``doc`` as it now reads."""
    entry = records.get(doc.slug)
    if not isinstance(entry, dict):
        return ReviewState(UNREVIEWED)
    current = entry.get("source") == fingerprint(doc)
    state = REVIEWED if current else STALE
    return ReviewState(state, entry.get("reviewer", ""), record_date(entry))


def record(
    directory: Path | str, doc: Document, reviewer: str, date: dt.date | None = None
) -> dict:
    """Record that the lawyer ``reviewer`` checked ``doc``'s current English."""
    path = Path(directory) / FILENAME
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise ContentError(path, None, "give the lawyer's name with --by NAME")
    if doc.kind == "statement":
        raise ContentError(
            doc.path, None, "a statement is not legal guidance: nothing to review"
        )
    records = read_records(directory)
    records[doc.slug] = {
        "reviewer": reviewer,
        "date": (date or dt.date.today()).isoformat(),
        "source": fingerprint(doc),
    }
    text = json.dumps(records, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return records[doc.slug]
