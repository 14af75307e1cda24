"""Review records: which native speaker checked which translation, and when.

Plain ``.po`` files have no approved state, so reviews live beside the
catalogs in ``translations/<locale>/reviews.json``, one entry per domain::

    {"at-your-door": {"reviewer": "Ana P.", "date": "2026-11-28",
                      "source": "<hash>", "translation": "<hash>"}}

The two hashes fingerprint the English messages and their translations at
review time. When either changes the review is stale: the reader then says
so instead of showing a review that no longer covers what is on the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .errors import CatalogError

FILENAME = "reviews.json"


class Translations(Protocol):
    """What a review fingerprints: a catalog's current translations.

    A protocol, so this module stays below the catalog store that reads it.
    """

    def lookup(self, msgid: str) -> str | None: ...


REVIEWED, STALE, UNREVIEWED = "reviewed", "review stale", "unreviewed"


def digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def fingerprint(msgids: list[str], catalog: Translations) -> tuple[str, str]:
    """Return the (source, translation) hashes of a domain's messages."""
    ids = list(dict.fromkeys(msgids))
    return digest(ids), digest(catalog.lookup(m) or "" for m in ids)


@dataclass(frozen=True)
class ReviewState:
    """Whether a translation is reviewed, and by whom and when."""

    state: str
    reviewer: str = ""
    date: dt.date | None = None


def read_reviews(path: Path) -> dict:
    """Read a locale's review records (empty if there are none)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as e:
        raise CatalogError(
            path,
            getattr(e, "lineno", None),
            f"not valid JSON ({e}): fix or delete the file",
        ) from e
    return data if isinstance(data, dict) else {}


def record_date(entry: dict) -> dt.date | None:
    """Return the date of a review record, or None if it has none or a bad one."""
    try:
        return dt.date.fromisoformat(entry.get("date", ""))
    except (TypeError, ValueError):
        return None


def state(
    records: dict, domain: str, msgids: list[str], catalog: Translations
) -> ReviewState:
    """Return the review state of one domain's translation."""
    record = records.get(domain)
    if not isinstance(record, dict):
        return ReviewState(UNREVIEWED)
    date = record_date(record)
    current = fingerprint(msgids, catalog)
    kept = (record.get("source"), record.get("translation"))
    return ReviewState(
        REVIEWED if current == kept else STALE, record.get("reviewer", ""), date
    )


def record(
    path: Path,
    domain: str,
    reviewer: str,
    msgids: list[str],
    catalog: Translations,
    date: dt.date | None = None,
) -> dict:
    """Record that ``reviewer`` checked ``domain`` against the current English."""
    from .pofile import write_atomic

    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise CatalogError(path, None, "give the reviewer's name with --by NAME")
    records = read_reviews(path)
    source, translation = fingerprint(msgids, catalog)
    records[domain] = {
        "reviewer": reviewer,
        "date": (date or dt.date.today()).isoformat(),
        "source": source,
        "translation": translation,
    }
    text = json.dumps(records, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return records[domain]
