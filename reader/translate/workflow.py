"""The catalog workflow: extract templates, update, init and compile catalogs.

Plain functions over Babel's API; the ``flask translate`` commands call them.
Layout: ``translations/<domain>.pot`` templates beside
``translations/<locale>/LC_MESSAGES/<domain>.po`` catalogs, one domain for the
interface (``messages``) and one per content document (its slug).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from babel import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo

from ..content import SLUG
from ..errors import CatalogError, ContentError, ReaderError
from ..i18n import INTERFACE
from ..languages import language, normalize, tag_of
from ..pofile import clean_header, load_po, save_po, write_atomic

log = logging.getLogger(__name__)

PROJECT = "Rights Reader"
COPYRIGHT = "Rights Reader contributors"
# Babel's defaults include N_, which marks the checks' messages (checks.py).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "lazy_gettext": None,
    "_l": None,
    "lazy_pgettext": ((1, "c"), 2),
}
BUGS = "docs/translating.md"
MARKDOWN = "reader.segment:extract_markdown"


@dataclass
class Project:
    """Where the sources, content and catalogs of a checkout live."""

    root: Path
    package: Path
    content: Path
    translations: Path

    @classmethod
    def from_app(cls, app) -> Project:
        """Return the project paths an app is configured with."""
        package = Path(app.root_path)
        return cls(
            root=package.parent,
            package=package,
            content=Path(app.config["CONTENT_DIR"]),
            translations=Path(app.config["TRANSLATIONS_DIR"]),
        )

    def template(self, domain: str) -> Path:
        return self.translations / f"{domain}.pot"

    def catalog(self, locale: str, domain: str, ext: str = ".po") -> Path:
        return self.translations / locale / "LC_MESSAGES" / f"{domain}{ext}"

    def domains(self) -> list[str]:
        """Return every domain that has a template: the interface first."""
        docs = sorted(
            p.stem for p in self.translations.glob("*.pot") if p.stem != INTERFACE
        )
        return [INTERFACE, *docs]

    def locales(self) -> list[str]:
        """Return every locale that has a catalog folder."""
        if not self.translations.is_dir():
            return []
        return sorted(p.parent.name for p in self.translations.glob("*/LC_MESSAGES"))

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class Report:
    """What a workflow step changed, and the errors it met."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    errors: list[ReaderError] = field(default_factory=list)


# Babel's default header, without its "FIRST AUTHOR <EMAIL@ADDRESS>" line:
# translators add their own "# Name, YEAR." line (the credits page reads it).
HEADER_COMMENT = """\
# Translations template for PROJECT.
# Copyright (C) YEAR ORGANIZATION
# This file is distributed under the same license as the PROJECT project.
#"""
HEADER = {
    "project": PROJECT,
    "version": "1.0",
    "copyright_holder": COPYRIGHT,
    "msgid_bugs_address": BUGS,
    "charset": "utf-8",
    "fuzzy": False,
    "header_comment": HEADER_COMMENT,
}


def team(locale: str | None) -> str:
    """Return the Language-Team of a catalog: the project's volunteers."""
    if locale is None:
        return f"{PROJECT} translators"
    try:
        name = language(locale).english_name
    except (UnknownLocaleError, ValueError, TypeError):
        name = tag_of(locale)
    return f"{PROJECT} {name} translators"


def new_template() -> Catalog:
    """Return an empty template with the project's header, placeholders out."""
    catalog = Catalog(**HEADER, language_team=team(None))
    # Babel turns an empty Last-Translator back into its placeholder.
    catalog.last_translator = ""
    # A template is revised when it is made (xgettext leaves "YEAR-MO-DA").
    catalog.revision_date = catalog.creation_date
    return catalog


def _add(catalog: Catalog, results, location: str) -> None:
    for lineno, message, comments, context in results:
        catalog.add(
            message, None, [(location, lineno)], auto_comments=comments, context=context
        )


def extract_interface(project: Project) -> Catalog:
    """Collect the interface strings of the Python modules and Jinja templates."""
    catalog = new_template()
    sources = [("python", p) for p in sorted(project.package.rglob("*.py"))]
    sources += [
        ("jinja2.ext:babel_extract", p)
        for p in sorted((project.package / "templates").rglob("*.html"))
    ]
    for method, path in sources:
        results = extract_from_file(
            method,
            str(path),
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            options={"extensions": "jinja2.ext.i18n"} if "jinja" in method else {},
            strip_comment_tags=True,
        )
        _add(catalog, results, project.relative(path))
    return catalog


def extract_document(project: Project, path: Path) -> Catalog:
    """Collect the translation units of one content document."""
    catalog = new_template()
    _add(catalog, extract_from_file(MARKDOWN, str(path)), project.relative(path))
    return catalog


def extract(project: Project) -> Report:
    """Write ``messages.pot`` and one ``<slug>.pot`` per content document.

    A document that cannot be read keeps its old template and is reported.
    """
    report = Report()
    templates = {INTERFACE: extract_interface(project)}
    for path in sorted(project.content.glob("*.md")):
        if not SLUG.match(path.stem) or path.stem == INTERFACE:
            report.errors.append(
                ContentError(
                    path,
                    None,
                    "the file name must be lowercase words joined by '-' "
                    f"and not {INTERFACE!r}: rename it",
                )
            )
            continue
        try:
            templates[path.stem] = extract_document(project, path)
        except ContentError as e:
            report.errors.append(e)
    for domain, catalog in templates.items():
        target = project.template(domain)
        (report.written if save_po(target, catalog) else report.unchanged).append(
            target
        )
    return report


def read_template(project: Project, domain: str) -> Catalog:
    """Read a template catalog."""
    return load_po(project.template(domain))


def start_catalog(template: Catalog, locale: str) -> Catalog:
    """Return a new catalog for ``locale`` from a template, with a full header."""
    catalog = Catalog(
        # A string keeps the identifier as given (Babel parses 'tl' as 'fil_PH').
        locale=locale,
        domain=template.domain,
        **HEADER,
        language_team=team(locale),
        creation_date=template.creation_date,
    )
    catalog.last_translator = ""
    catalog.revision_date = dt.datetime.now(dt.UTC)
    for message in template:
        if message.id:
            entry = message.clone()
            entry.string = (
                "" if isinstance(message.id, str) else ("",) * catalog.num_plurals
            )
            # Keyed by msgid and context: "Sign in" and its "page title" sense.
            catalog[message.id] = entry
    return catalog


def merge(catalog: Catalog, template: Catalog) -> None:
    """Merge a template into a catalog: changed entries fuzzy, gone ones obsolete.

    As ``msgmerge --previous`` does, ``#|`` keeps the English that the
    translation was made from, however often the English changes before a
    translator comes back. Babel writes the English of the last update
    instead (or forgets it when an entry stays fuzzy); we put it back.
    """
    # The English each fuzzy translation was made from, by its current msgid.
    made_from = {
        m.id: m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id
    }
    catalog.update(template, update_header_comment=False, keep_user_comments=True)
    for message in catalog:
        # A new plural entry comes with the template's two empty forms: give
        # it as many as the language has (Korean one, Arabic six).
        if message.pluralizable and not any(message.string or ()):
            message.string = ("",) * catalog.num_plurals
        elif message.pluralizable:
            # A singular matched (fuzzy) to a new plural: Babel gives it the
            # template's two forms, whatever the language has.
            forms = tuple(message.string)[: catalog.num_plurals]
            message.string = forms + ("",) * (catalog.num_plurals - len(forms))
        if not message.id or not message.fuzzy:
            continue
        if message.previous_id:
            # Matched from an entry that was fuzzy itself: keep what that
            # entry was translated from, not its untranslated English.
            old = message.previous_id[0] if len(message.previous_id) == 1 else None
            if old in made_from:
                message.previous_id = made_from[old]
        elif message.id in made_from:
            message.previous_id = made_from[message.id]


def update(project: Project, locales: list[str] | None = None) -> Report:
    """Merge every template into every catalog (or those of ``locales``)."""
    report = Report()
    for locale in locales or project.locales():
        for domain in project.domains():
            path = project.catalog(locale, domain)
            template = read_template(project, domain)
            try:
                catalog = (
                    load_po(path, locale)
                    if path.exists()
                    else start_catalog(template, locale)
                )
            except CatalogError as e:
                report.errors.append(e)
                continue
            merge(catalog, template)
            clean_header(catalog, team(locale))
            (report.written if save_po(path, catalog) else report.unchanged).append(
                path
            )
    return report


def init(project: Project, locale: str) -> Report:
    """Start a new language: a catalog for every domain, with CLDR plural forms."""
    try:
        locale = normalize(locale)
    except ValueError as e:
        raise CatalogError(
            project.translations,
            None,
            f"unknown language: {e}: "
            "use a BCP 47 tag such as 'es', 'zh-Hant', 'pt-BR' or 'mww'",
        ) from e
    clash = [
        other
        for other in project.locales()
        if other.lower() == locale.lower() and other != locale
    ]
    if clash:
        raise CatalogError(
            project.translations / clash[0],
            None,
            f"this folder is the same language as {locale}: rename it to "
            f"{locale} (git mv), then run 'translate update'",
        )
    if project.catalog(locale, INTERFACE).exists():
        raise CatalogError(
            project.catalog(locale, INTERFACE),
            None,
            f"{locale} already exists: use 'translate update' instead",
        )
    report = Report()
    for domain in project.domains():
        path = project.catalog(locale, domain)
        save_po(path, start_catalog(read_template(project, domain), locale))
        report.written.append(path)
    return report


def compile_catalog(project: Project, locale: str, domain: str) -> Path:
    """Compile one catalog to ``.mo``; raise CatalogError and keep the old ``.mo``."""
    path = project.catalog(locale, domain)
    catalog = load_po(path, locale)
    problems = [
        (message.lineno, f"{message.id!r}: {error}")
        for message, errors in catalog.check()
        for error in errors
    ]
    if problems:
        raise CatalogError(
            path, problems[0][0], "; ".join(text for _, text in problems)
        )
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    target = project.catalog(locale, domain, ".mo")
    write_atomic(target, buf.getvalue())
    return target


def compile_all(project: Project) -> Report:
    """Compile every catalog; a broken one is reported and left as it was."""
    report = Report()
    for locale in project.locales():
        for path in sorted(
            (project.translations / locale / "LC_MESSAGES").glob("*.po")
        ):
            try:
                report.written.append(compile_catalog(project, locale, path.stem))
            except CatalogError as e:
                report.errors.append(e)
    return report
