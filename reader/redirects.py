"""Documents that moved: each old slug and the slug that replaced it.

Bookmarks, shared links and printed QR codes keep the old address: the reader
answers every page under it with a permanent redirect, and review records kept
under the old slug count for the new one.
"""

from __future__ import annotations

# ``in-a-car`` ends in ``car``, an ISO 639 code (Galibi Carib): Weblate's
# component discovery read it as a document ``in-a-`` in the language ``car``.
REDIRECTS: dict[str, str] = {"in-a-car": "traffic-stop"}


def carry(records: dict) -> dict:
    """Return ``records`` with entries under an old slug moved to the new one.

    An entry already under the new slug is newer, so it wins.
    """
    moved = dict(records)
    for old, new in REDIRECTS.items():
        if old in moved:
            moved.setdefault(new, moved.pop(old))
    return moved
