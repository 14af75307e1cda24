"""``flask translate ...``: thin click wrappers over the workflow functions."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask import current_app
from flask.cli import with_appcontext

from ..errors import ReaderError
from ..languages import normalize
from ..pofile import load_po, save_po
from . import checks, memory, readability, sources, status, workflow


def _project() -> workflow.Project:
    return workflow.Project.from_app(current_app)


def _report(report: workflow.Report, verb: str) -> None:
    project = _project()
    for path in report.written:
        click.echo(f"{verb} {project.relative(path)}")
    if report.unchanged:
        click.echo(f"{len(report.unchanged)} file(s) unchanged")
    for error in report.errors:
        where = str(error).replace(str(project.root) + "/", "")
        click.echo(f"error: {where}", err=True)
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} error(s): see above")


@click.group()
def translate() -> None:
    """Manage translation catalogs (templates, catalogs, progress, reviews)."""


@translate.command()
@with_appcontext
def extract() -> None:
    """Extract interface strings and every document into templates (.pot)."""
    _report(workflow.extract(_project()), "wrote")


@translate.command()
@click.argument("locales", nargs=-1)
@with_appcontext
def update(locales: tuple[str, ...]) -> None:
    """Merge the templates into every language's catalogs (or LOCALES')."""
    _report(workflow.update(_project(), list(locales) or None), "updated")


@translate.command()
@click.argument("lang")
@with_appcontext
def init(lang: str) -> None:
    """Start a new language LANG (a BCP 47 tag such as 'es' or 'pt-BR')."""
    try:
        report = workflow.init(_project(), lang)
    except ReaderError as e:
        raise click.ClickException(str(e)) from e
    _report(report, "created")


@translate.command("compile")
@with_appcontext
def compile_() -> None:
    """Compile every catalog to .mo; broken ones fail with file and line."""
    _report(workflow.compile_all(_project()), "compiled")


@translate.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.argument("locales", nargs=-1)
@with_appcontext
def status_(fmt: str, locales: tuple[str, ...]) -> None:
    """Show progress per language and document (fuzzy never counts as done)."""
    wanted = [loc.replace("-", "_") for loc in locales] or None
    rows = status.status(_project(), wanted)
    if fmt == "json":
        click.echo(
            json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2)
        )
        return
    head = (
        "language",
        "document",
        "done",
        "fuzzy",
        "untransl.",
        "words left",
        "silenced",
        "review",
    )
    lines = [head] + [
        (
            r.language,
            r.domain,
            f"{r.stats.percent}%",
            str(r.stats.fuzzy),
            str(r.stats.untranslated),
            str(r.stats.words_left),
            str(r.silenced),
            r.review.state,
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        click.echo(
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        )


@translate.command("check")
@click.argument("locales", nargs=-1)
@with_appcontext
def check(locales: tuple[str, ...]) -> None:
    """Check the documents' sources and every catalog; exit non-zero on errors
    (warnings are advice)."""
    project = _project()
    errors = warnings = 0
    for finding in sources.check_documents(project.content):
        click.echo(str(finding).replace(str(project.root) + "/", ""), err=True)
        errors += finding.severity == "error"
        warnings += finding.severity == "warning"
    for locale in [loc.replace("-", "_") for loc in locales] or project.locales():
        glossary_path = project.catalog(locale, "words-to-know")
        glossary = []
        if glossary_path.exists():
            try:
                glossary = checks.glossary_terms(
                    workflow.load_po(glossary_path, locale)
                )
            except ReaderError:
                pass  # reported below with the catalog's own findings
        for domain in project.domains():
            path = project.catalog(locale, domain)
            if not path.exists():
                continue
            for finding in checks.check_catalog(path, locale, glossary):
                click.echo(str(finding).replace(str(project.root) + "/", ""), err=True)
                errors += finding.severity == "error"
                warnings += finding.severity == "warning"
    click.echo(f"{errors} error(s), {warnings} warning(s)")
    if errors:
        raise click.ClickException(
            "fix the errors above (each names its file and line)"
        )


@translate.command("review")
@click.argument("lang")
@click.argument("document")
@click.option(
    "--by", "reviewer", required=True, help="The native speaker who checked it."
)
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="Review date (today).")
@with_appcontext
def review(lang: str, document: str, reviewer: str, date: dt.datetime | None) -> None:
    """Record that REVIEWER checked LANG's DOCUMENT against the current English."""
    try:
        entry = status.review(
            _project(), lang, document, reviewer, date.date() if date else None
        )
    except ReaderError as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        f"recorded: {document} in {lang} reviewed by {entry['reviewer']} "
        f"on {entry['date']}"
    )


@translate.command("legal-review")
@click.argument("document")
@click.option("--by", "reviewer", required=True, help="The lawyer who reviewed it.")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="Review date (today).")
@with_appcontext
def legal_review(document: str, reviewer: str, date: dt.datetime | None) -> None:
    """Record that the lawyer REVIEWER reviewed DOCUMENT's current English."""
    try:
        entry = status.legal_review(
            _project(), document, reviewer, date.date() if date else None
        )
    except ReaderError as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        f"recorded: {document} reviewed by the lawyer {entry['reviewer']} "
        f"on {entry['date']}"
    )


@translate.command("fill")
@click.argument("lang")
@click.argument("document")
@click.option("--apply", is_flag=True, help="Write the matches listed.")
@with_appcontext
def fill(lang: str, document: str, apply: bool) -> None:
    """List the untranslated messages of LANG's DOCUMENT that another catalog
    of LANG translates word for word; with --apply, write them in."""
    project = _project()
    try:
        locale = normalize(lang)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    path = project.catalog(locale, document)
    if not path.is_file():
        raise click.ClickException(
            f"{project.relative(path)} does not exist: run `flask translate update`"
        )
    catalog = load_po(path)
    fills = memory.exact_fills(catalog, memory.load(path.parent), document)
    for message, match in fills:
        click.echo(f"{message.id[:60]!r} <- {match.domain}: {match.translation[:60]!r}")
    if not fills:
        click.echo("no exact match in the other catalogs")
    elif apply:
        for message, match in fills:
            message.string = match.translation
            message.flags.discard("fuzzy")
        save_po(path, catalog)
        click.echo(f"filled {len(fills)} message(s) in {project.relative(path)}")
    else:
        click.echo(f"{len(fills)} match(es): run again with --apply to write them")


@translate.command("readability")
@with_appcontext
def readability_() -> None:
    """Print each guide's Flesch-Kincaid grade (target: 5 or below)."""
    try:
        rows = readability.scores(_project().content)
    except ImportError as e:
        raise click.ClickException(
            "textstat is missing: install the test extras (pip install -e '.[test]')"
        ) from e
    click.echo("| guide | grade | words | sentences |")
    click.echo("| --- | ---: | ---: | ---: |")
    for r in rows:
        click.echo(f"| {r.slug} | {r.grade:.1f} | {r.words} | {r.sentences} |")
    over = [r.slug for r in rows if r.grade > readability.MAX_GRADE]
    if over:
        raise click.ClickException(
            f"above grade {readability.MAX_GRADE:g}: {', '.join(over)}: "
            "use shorter sentences and common words"
        )
