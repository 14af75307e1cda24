"""Give each tagged PDF structure element the language of its HTML element.

A screen reader chooses its voice (and pronunciation rules) from the /Lang of
the structure element it is reading, inheriting it from the parent element
and, at the top, from the document catalog. WeasyPrint 70 writes /Lang on the
catalog only, from ``<html lang>``, and never on structure elements: with tags
on, the English fallback paragraphs of a Spanish guide, the Arabic column of a
bilingual print or the English back of a wallet card would all be read aloud
with the page's voice and its pronunciation rules.

WeasyPrint builds the structure tree in ``weasyprint.pdf.tags._build_box_tree``,
a generator that yields the StructElem made for a box and calls itself through
its module-global name. Replacing that name once with a wrapper therefore
reaches every box. It is a private function: if it is not there (or not what
we expect), we log a warning once and print PDFs whose elements have no /Lang
of their own, rather than fail to print at all.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading

log = logging.getLogger(__name__)

# The root's language is the catalog's /Lang. And for these boxes WeasyPrint
# yields the elements of their children, which carry their own /Lang already
# (or must inherit, not get the root's stamped on them).
ROOT_TAGS = frozenset({"html", "body"})

# Marks our wrapper, so that installing twice (or after a reload) is a no-op.
MARKER = "_reader_lang_tagging"

_lock = threading.Lock()
_installed: bool | None = None  # None until tried, then whether it worked.
_warned = False


def install_lang_tagging() -> bool:
    """Make WeasyPrint write /Lang on structure elements whose HTML element
    has a ``lang`` attribute. Idempotent and thread-safe; cheap after the
    first call. Return whether the wrapper is in place."""
    global _installed
    if _installed is None:
        with _lock:
            if _installed is None:
                _installed = _install()
    return _installed


def _install() -> bool:
    """Replace WeasyPrint's ``_build_box_tree`` with ``_with_lang`` of it."""
    try:
        import pydyf
        from weasyprint.pdf import tags

        build = tags._build_box_tree
    except (ImportError, AttributeError) as error:
        _warn_once("cannot give PDF structure elements a language: %s", error)
        return False
    if getattr(build, MARKER, False):
        return True
    if not inspect.isgeneratorfunction(build) or _first_parameter(build) != "box":
        _warn_once(
            "cannot give PDF structure elements a language: "
            "weasyprint.pdf.tags._build_box_tree is not the generator we know"
        )
        return False
    tags._build_box_tree = _with_lang(build, pydyf.String)
    return True


def _with_lang(build, string):
    """Return ``build`` wrapped to set /Lang on what it yields for a box with
    its own ``lang``; ``string`` makes a PDF text string."""

    @functools.wraps(build)
    def build_box_tree(box, *args, **kwargs):
        lang = own_lang(box)
        for element in build(box, *args, **kwargs):
            if lang is not None:
                element["Lang"] = string(lang)
            yield element

    setattr(build_box_tree, MARKER, True)
    return build_box_tree


def own_lang(box) -> str | None:
    """Return the ``lang`` attribute of the HTML element of ``box``, or None
    if it has none (its language is inherited) or is the document's root.

    An empty ``lang`` is returned as is: in HTML and in PDF alike it says
    the language is unknown.
    """
    try:
        element, tag = box.element, box.element_tag
    except AttributeError as error:
        _warn_once("cannot give PDF structure elements a language: %s", error)
        return None
    # Anonymous and pseudo-element boxes (``p::marker``) share their
    # element's attributes, hence its language.
    if element is None or tag is None or tag.split("::")[0] in ROOT_TAGS:
        return None
    lang = element.get("lang")
    return None if lang is None else lang.strip()


def _first_parameter(function) -> str | None:
    """Return the name of the first parameter of ``function``."""
    parameters = list(inspect.signature(function).parameters)
    return parameters[0] if parameters else None


def _warn_once(message: str, *args) -> None:
    """Log ``message`` as a warning the first time only: it would repeat for
    every box of every print."""
    global _warned
    if not _warned:
        _warned = True
        log.warning(message, *args)
