"""What an organizer should know before printing: blocks shown in English.

A print goes to people who may not read English, and paper cannot be
updated: the print form and ``flask print`` name every block that falls back
to English (untranslated, awaiting checking, or held back by a check).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import i18n
from ..content import Document
from ..languages import SOURCE, Language
from ..render import document_msgids
from ..segment import iter_segments


@dataclass(frozen=True)
class Gap:
    """One block of a print that is shown in English, and why."""

    slug: str
    text: str
    why: str  # "untranslated", "fuzzy" or "held back"

    @property
    def reason(self) -> str:
        """Say why in the reader's language."""
        return {
            # TRANSLATORS: in parentheses after a paragraph printed in English,
            # to say why; this one and the next two start in lowercase.
            "untranslated": _("not translated yet"),
            # TRANSLATORS: the English changed; the old translation awaits a check.
            "fuzzy": _("its translation is waiting to be checked"),
            # TRANSLATORS: an automatic check found a problem in the translation.
            "held back": _("its translation did not pass a check"),
        }[self.why]


def printed_msgids(doc: Document, section: str | None = None) -> list[str]:
    """Return the messages a print of ``doc`` shows: all of them, or those of
    one section (a card's holder side). English-only sections never count."""
    if section is None:
        return document_msgids(doc)
    nodes = [n for n in doc.nodes if n.kind == "section" and n.name == section]
    return [s.text for s in iter_segments(nodes)]


def english_blocks(
    lang: Language, docs: list[Document], section: str | None = None
) -> list[Gap]:
    """Return every block of ``docs`` that a print in ``lang`` shows in English."""
    if lang.tag == SOURCE:
        return []
    store = i18n.get_catalogs()
    gaps = []
    for doc in docs:
        catalog = store.get(lang.locale, doc.slug)
        for msgid in dict.fromkeys(printed_msgids(doc, section)):
            why = "untranslated" if catalog is None else catalog.why_missing(msgid)
            if why:
                gaps.append(Gap(doc.slug, msgid, why))
    return gaps
