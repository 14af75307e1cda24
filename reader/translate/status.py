"""Progress of every language and document, as the reader reports it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import legal
from ..catalogs import CatalogStore, Stats, key_of
from ..content import ContentStore
from ..errors import CatalogError, ContentError
from ..i18n import INTERFACE
from ..languages import tag_of
from ..render import document_msgids
from ..reviews import ReviewState, ReviewStore, record, state
from .checks import silenced_checks
from .workflow import Project, read_template


@dataclass(frozen=True)
class Row:
    """One language's progress on one domain."""

    language: str
    domain: str
    stats: Stats
    review: ReviewState
    # Checks a reviewer silenced on this domain's messages (ignore-* flags).
    silenced: int = 0

    def as_dict(self) -> dict:
        s = self.stats
        return {
            "language": self.language,
            "document": self.domain,
            "percent": s.percent,
            "messages": s.total,
            "translated": s.translated,
            "fuzzy": s.fuzzy,
            "untranslated": s.untranslated,
            "words": s.words,
            "words_left": s.words_left,
            "silenced_checks": self.silenced,
            "review": self.review.state,
            "reviewer": self.review.reviewer,
            "reviewed_on": self.review.date.isoformat() if self.review.date else None,
        }


def domain_msgids(project: Project, content: ContentStore, domain: str) -> list[str]:
    """Return the messages a domain must hold: as the reader counts them."""
    if domain != INTERFACE:
        doc = content.get(domain)
        if doc is not None:
            return document_msgids(doc)
    if not project.template(domain).exists():
        return []  # not extracted yet: nothing to count
    return [key_of(m) for m in read_template(project, domain) if m.id]


def status(
    project: Project,
    locales: list[str] | None = None,
    store: CatalogStore | None = None,
    content: ContentStore | None = None,
    reviews: ReviewStore | None = None,
) -> list[Row]:
    """Return a row per language and domain, with its review state.

    The running site passes its own stores, whose catalogs are already read.
    """
    store = store or CatalogStore(project.translations)
    content = content or ContentStore(project.content)
    reviews = reviews or ReviewStore(project.translations)
    rows = []
    ids = {d: domain_msgids(project, content, d) for d in project.domains()}
    for locale in locales or project.locales():
        records = reviews.get(locale)
        for domain, msgids in ids.items():
            catalog = store.get(locale, domain)
            review = state(records, domain, msgids, catalog)
            rows.append(
                Row(
                    tag_of(locale),
                    domain,
                    catalog.measure(msgids),
                    review,
                    silenced_checks(catalog.catalog),
                )
            )
    return rows


def review(
    project: Project,
    locale: str,
    domain: str,
    reviewer: str,
    date: dt.date | None = None,
) -> dict:
    """Record a native speaker's review of one language's document."""
    locale = locale.replace("-", "_")
    store = CatalogStore(project.translations)
    path = store.path(locale, domain)
    if not path.exists():
        raise CatalogError(
            path,
            None,
            f"there is no {domain!r} catalog for {locale!r}: "
            "check the language and document names ('translate status')",
        )
    catalog = store.get(locale, domain)
    if catalog.error:
        raise catalog.error
    msgids = domain_msgids(project, ContentStore(project.content), domain)
    stats = catalog.measure(msgids)
    if stats.translated < stats.total:
        raise CatalogError(
            path,
            None,
            f"{stats.total - stats.translated} message(s) are "
            "untranslated or fuzzy: finish them, then record the review",
        )
    return record(
        path.parent.parent / "reviews.json", domain, reviewer, msgids, catalog, date
    )


def legal_review(
    project: Project, document: str, reviewer: str, date: dt.date | None = None
) -> dict:
    """Record a lawyer's review of one document's current English."""
    store = ContentStore(project.content)
    doc = store.get(document)
    if doc is None:
        raise store.errors.get(document) or ContentError(
            project.content / f"{document}.md",
            None,
            f"there is no document {document!r}: check its name (without .md)",
        )
    return legal.record(project.content, doc, reviewer, date)
