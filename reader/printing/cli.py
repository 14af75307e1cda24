"""``flask print pack LANG -o FILE``: a print pack from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import i18n
from ..languages import find
from .branding import BrandingError, parse_branding
from .pdf import html_to_pdf


@click.group("print")
def print_group() -> None:
    """Make print files for organizers."""


@print_group.command()
@click.argument("lang")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter")
@click.option(
    "--org", default="", help="Your organization's name, printed on each page."
)
@click.option("--contact", default="", help="A local contact line (a hotline number).")
@with_appcontext
def pack(lang: str, output: Path, paper: str, org: str, contact: str) -> None:
    """Write every guide and a card sheet in LANG as one PDF."""
    from .views import pack_html, use_language

    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:8000/"
    with current_app.test_request_context("/", base_url=base):
        language = find(lang, i18n.all_languages())
        if language is None:
            known = ", ".join(x.tag for x in i18n.all_languages())
            raise click.ClickException(f"unknown language {lang!r}: use one of {known}")
        use_language(language)
        try:
            branding = parse_branding({"org": org, "contact": contact})
        except BrandingError as e:
            raise click.ClickException(f"--{e.field}: {e}") from e
        pdf = html_to_pdf(pack_html(language, paper, branding))
    output.write_bytes(pdf)
    click.echo(f"wrote {output} ({len(pdf) // 1024} KB)")
