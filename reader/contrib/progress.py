"""What the translator dashboard shows: each language's documents with their
progress and waiting suggestions, the signed-in person's languages first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import add

from ..catalogs import Stats
from ..languages import Language
from ..translate.status import Row
from .users import ROLES, User


@dataclass(frozen=True)
class Document:
    """One document's progress in one language, and its waiting suggestions."""

    row: Row
    pending: int = 0


@dataclass(frozen=True)
class Section:
    """One language on the dashboard."""

    language: Language
    documents: list[Document]
    mine: bool = False
    published: bool = True

    @property
    def stats(self) -> Stats:
        return reduce(add, (d.row.stats for d in self.documents), Stats())

    @property
    def pending(self) -> int:
        return sum(d.pending for d in self.documents)


def pending_counts(db: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Count the suggestions waiting for a reviewer, by language and document."""
    return {
        (lang, domain): count
        for lang, domain, count in db.execute(
            "SELECT lang, domain, COUNT(*) FROM suggestions "
            "WHERE status = 'pending' GROUP BY lang, domain"
        )
    }


def my_languages(user: User | None) -> set[str]:
    """Return the languages someone translates or reviews (``*``: every one).

    Being an admin makes no language one's own.
    """
    if user is None:
        return set()
    return set().union(*(user.languages(role) for role in ROLES))


def sections(
    rows: Iterable[Row],
    languages: dict[str, Language],
    pending: dict[tuple[str, str], int],
    mine: set[str],
    published: set[str],
) -> list[Section]:
    """Group status rows by language, the languages in ``mine`` first.

    ``languages`` maps each row's tag to its language, in the order to show.
    """
    by_lang: dict[str, list[Document]] = {tag: [] for tag in languages}
    for row in rows:
        by_lang[row.language].append(
            Document(row, pending.get((row.language, row.domain), 0))
        )
    found = [
        Section(
            languages[tag],
            documents,
            mine=tag in mine or "*" in mine,
            published=tag in published,
        )
        for tag, documents in by_lang.items()
    ]
    # A stable sort: each group keeps the languages' own order.
    return sorted(found, key=lambda s: not s.mine)
