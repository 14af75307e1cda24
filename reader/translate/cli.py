"""``flask translate ...``: thin click wrappers over the workflow functions."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..errors import ReaderError
from . import workflow


def _project() -> workflow.Project:
    return workflow.Project.from_app(current_app)


def _report(report: workflow.Report, verb: str) -> None:
    project = _project()
    for path in report.written:
        click.echo(f"{verb} {project.relative(path)}")
    if report.unchanged:
        click.echo(f"{len(report.unchanged)} file(s) unchanged")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
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
