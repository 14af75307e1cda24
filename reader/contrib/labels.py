"""Words of the translator web that come from lower layers, in the interface
language: check messages, and the kind of each block of a document."""

from __future__ import annotations

from babel.messages.catalog import TranslationError
from flask_babel import gettext

from ..i18n import lazy_gettext as _l
from ..i18n import lazy_pgettext
from ..segment import PHRASE_COMMENT
from ..translate.checks import CheckError

# The extractor's comment on each block (segment.py), as a translator reads it
# above the block in the editor.
KINDS = {
    # TRANSLATORS: the kind of a block of a document, above it in the editor.
    "paragraph": lazy_pgettext("block kind", "paragraph"),
    # TRANSLATORS: the kind of a block of a document, above it in the editor.
    "heading": lazy_pgettext("block kind", "heading"),
    # TRANSLATORS: the kind of a block of a document: one item of a list.
    "list item": lazy_pgettext("block kind", "list item"),
    # TRANSLATORS: the kind of a block of a document: one cell of a table.
    "table cell": lazy_pgettext("block kind", "table cell"),
    # TRANSLATORS: the kind of a block of a document: a table's column heading.
    "table header": lazy_pgettext("block kind", "table header"),
    # TRANSLATORS: the kind of a block of a document: the document's title.
    "title": lazy_pgettext("block kind", "title"),
    # TRANSLATORS: the kind of a block of a document: the one or two sentences
    # under the title that say what the document is about.
    "summary": lazy_pgettext("block kind", "summary"),
    # TRANSLATORS: the note above a phrase block in the editor. The reader says
    # the English of such a block out loud to an officer; its translation only
    # shows what the English means.
    PHRASE_COMMENT: _l(
        "phrase: English words the reader says out loud to an officer. The reader "
        "sees this English first. Do not write it to be said: write what it means, "
        "in plain words, to show under the English."
    ),
}


def block_label(comment: str) -> str:
    """Return a block's kind in the interface language; any other note as it is."""
    label = KINDS.get(comment)
    return comment if label is None else str(label)


def check_message(error: TranslationError) -> str:
    """Return a check's message in the interface language.

    Other errors (Babel's own checkers) have no template and stay as they are.
    """
    if isinstance(error, CheckError):
        return error.text.render(gettext)
    return str(error)
