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
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalogs import LoadedCatalog, file_version
from .errors import CatalogError
from .pofile import write_atomic
from .redirects import carry

log = logging.getLogger(__name__)

FILENAME = "reviews.json"


REVIEWED, STALE, UNREVIEWED = "reviewed", "review stale", "unreviewed"


def digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def fingerprint(msgids: list[str], catalog: LoadedCatalog) -> tuple[str, str]:
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
    """Read a locale's review records (empty if there are none).

    Records kept under a document's old slug count for its new one; the next
    review written saves them under the new slug.
    """
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
    return carry(data) if isinstance(data, dict) else {}


def record_date(entry: dict) -> dt.date | None:
    """Return the date of a review record, or None if it has none or a bad one."""
    try:
        return dt.date.fromisoformat(entry.get("date", ""))
    except (TypeError, ValueError):
        return None


def state(
    records: dict, domain: str, msgids: list[str], catalog: LoadedCatalog
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
    catalog: LoadedCatalog,
    date: dt.date | None = None,
) -> dict:
    """Record that ``reviewer`` checked ``domain`` against the current English."""
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


class ReviewStore:
    """Every locale's review records, re-read when their file changes."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._files: dict[str, str] = {}
        self._cached: dict[str, tuple[dict, tuple[int, int] | None]] = {}
        self._lock = threading.Lock()

    def file(self, locale: str) -> str:
        """Return the path of a locale's records (cheap, for every request)."""
        path = self._files.get(locale)
        if path is None:
            path = self._files[locale] = str(self.directory / locale / FILENAME)
        return path

    def get(self, locale: str) -> dict:
        """Return a locale's records; a broken file reads as none, logged."""
        path = self.file(locale)
        version = file_version(path)
        if version is None:
            return {}
        cached = self._cached.get(locale)
        if cached and cached[1] == version:
            return cached[0]
        try:
            records = read_reviews(Path(path))
        except CatalogError as e:
            log.error("%s; showing translations as unreviewed until it is fixed", e)
            records = {}
        with self._lock:
            self._cached[locale] = (records, version)
        return records
