"""Checks of the English documents: every claim has a source, none is stale.

``flask translate check`` (and so CI) runs them beside the catalog checks.
A paragraph, list item, phrase or table row without a source marker is an
error; a source check older than six months is a warning naming the guide.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content import ContentStore
from ..segment import NO_CLAIM, claim_blocks
from .checks import Finding

# "Older than six months": half a year of days, rounded up.
STALE_AFTER = dt.timedelta(days=183)


def check_documents(directory: Path | str, today: dt.date | None = None) -> list:
    """Return the findings for every document of a content folder."""
    today = today or dt.date.today()
    store = ContentStore(directory)
    docs = store.all()
    findings = [
        Finding("error", Path(e.path), e.line, "", e.message)
        for e in store.errors.values()
    ]
    for doc in docs:
        if doc.kind == "statement":
            continue  # a statement is quoted as written: it makes no claim of ours
        known = {s.id for s in doc.sources}
        cited: set[str] = set()
        for seg in claim_blocks(doc.nodes):
            cited.update(seg.refs)
            problems = (
                []
                if seg.refs
                else [
                    "no source marker: end the block with [^id] naming one of the "
                    f"document's sources, or [^{NO_CLAIM}] if it makes no legal claim"
                ]
            )
            problems += [
                f"[^{ref}] names no source: add a record with id '{ref}' under "
                "'sources', or fix the marker"
                for ref in seg.refs
                if ref != NO_CLAIM and ref not in known
            ]
            findings += [
                Finding("error", doc.path, seg.lineno, seg.text, p) for p in problems
            ]
        for source in doc.sources:
            if source.id not in cited:
                findings.append(
                    Finding(
                        "warning",
                        doc.path,
                        None,
                        source.title,
                        f"source '{source.id}' is listed but no block cites it: "
                        "cite it with [^" + source.id + "] or remove it",
                    )
                )
        if doc.checked and today - doc.checked > STALE_AFTER:
            findings.append(
                Finding(
                    "warning",
                    doc.path,
                    None,
                    doc.title,
                    f"'{doc.slug}': its English was last checked against its "
                    f"sources on {doc.checked.isoformat()}, more than six months "
                    "ago: check each claim again, then update 'checked'",
                )
            )
    return findings
