"""Translation memory: what a language already says, offered for new English.

Every translated, non-fuzzy message of every catalog of one language is a
memory entry: its English, its translation and the catalog (domain) it comes
from. A new or edited paragraph gets the entries whose English is the same
(an exact match) or close (a fuzzy match, with its similarity). Nothing is
ever applied here: callers offer matches to a person.

Similarity is rapidfuzz's normalized Indel ratio (0-100) on the English,
lower-cased and stripped of punctuation: the measure Weblate and Pontoon
show, computed in C, so a language's 1,000 entries answer in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from rapidfuzz import fuzz, process, utils

from ..pofile import load_po

# Below this, a match costs a translator more reading than it saves.
CUTOFF = 75


@dataclass(frozen=True)
class Match:
    """A translation the language already has for the same or close English."""

    source: str
    translation: str
    domain: str
    similarity: int  # 100 for the same English

    @property
    def exact(self) -> bool:
        return self.similarity == 100


def entries(domain: str, catalog: Catalog) -> Iterable[tuple[str, str, str]]:
    """Yield (English, translation, domain) for each usable message of a catalog:
    translated, not fuzzy, not a plural (its forms do not map one to one)."""
    for message in catalog:
        if (
            message.id
            and isinstance(message.id, str)
            and isinstance(message.string, str)
            and message.string
            and not message.fuzzy
        ):
            yield message.id, message.string, domain


class Memory:
    """The translations of one language, searchable by their English."""

    def __init__(self, items: Iterable[tuple[str, str, str]]) -> None:
        self.items = list(items)
        self._keys = [utils.default_process(source) for source, _, _ in self.items]
        self._exact: dict[str, list[int]] = {}
        for index, (source, _, _) in enumerate(self.items):
            self._exact.setdefault(source, []).append(index)

    @classmethod
    def from_catalogs(cls, catalogs: Iterable[tuple[str, Catalog]]) -> Memory:
        """Build a memory from (domain, catalog) pairs of one language."""
        return cls(item for domain, cat in catalogs for item in entries(domain, cat))

    def _match(self, index: int, similarity: float) -> Match:
        source, translation, domain = self.items[index]
        return Match(source, translation, domain, int(similarity))

    def matches(
        self, source: str, limit: int = 3, cutoff: int = CUTOFF, skip: str | None = None
    ) -> list[Match]:
        """Return the best matches for ``source``, exact ones first, each
        translation once; ``skip`` leaves out one domain (the one being edited,
        whose own entry is not a suggestion for itself)."""
        found: list[Match] = [
            self._match(i, 100)
            for i in self._exact.get(source, [])
            if self.items[i][2] != skip
        ]
        scored = process.extract(
            utils.default_process(source),
            self._keys,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=cutoff,
            limit=limit + len(found) + 5,
        )
        for _, similarity, index in scored:
            if self.items[index][2] != skip and self.items[index][0] != source:
                # Punctuation and case aside the same: still not the same English.
                found.append(self._match(index, min(similarity, 99)))
        seen, best = set(), []
        for match in sorted(found, key=lambda m: -m.similarity):
            if match.translation not in seen:
                seen.add(match.translation)
                best.append(match)
        return best[:limit]


def exact_fills(
    catalog: Catalog, memory: Memory, domain: str
) -> list[tuple[Message, Match]]:
    """Return (message, match) for each untranslated or fuzzy message of
    ``catalog`` whose English another catalog of the language translates
    exactly: what a translator may accept in one action."""
    fills = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if isinstance(message.string, str) and message.string and not message.fuzzy:
            continue
        exact = [m for m in memory.matches(message.id, skip=domain) if m.exact]
        if exact:
            fills.append((message, exact[0]))
    return fills


def load(folder: Path) -> Memory:
    """Build the memory of one language from its catalog folder (LC_MESSAGES)."""
    return Memory.from_catalogs(
        (path.stem, load_po(path)) for path in sorted(folder.glob("*.po"))
    )
