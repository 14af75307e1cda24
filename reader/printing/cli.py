"""``flask print``: the organizer's prints from the command line.

Each command checks the organizer's lines as the print form does, names the
blocks that would be printed in English (so nothing surprises anyone on
paper), then writes the same PDF the web serves.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import i18n
from ..content import get_content
from ..languages import find
from .branding import LIMITS, BrandingError, parse_branding
from .warnings import english_blocks

output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
paper_option = click.option(
    "--paper", type=click.Choice(["letter", "a4"]), default="letter"
)


def branding_options(command):
    """Add --org and --contact, with their caps in the help."""
    command = click.option(
        "--contact",
        default="",
        help=f"A local contact line (a hotline), at most {LIMITS['contact']} "
        "characters.",
    )(command)
    return click.option(
        "--org",
        default="",
        help=f"Your organization's name, at most {LIMITS['org']} characters.",
    )(command)


@click.group("print")
def print_group() -> None:
    """Make print files for organizers."""


def _language(tag: str):
    language = find(tag, i18n.all_languages())
    if language is None:
        known = ", ".join(x.tag for x in i18n.all_languages())
        raise click.ClickException(f"unknown language {tag!r}: use one of {known}")
    return language


def _document(slug: str, kind: str | None = None):
    doc = get_content().get(slug)
    if doc is None or (kind and doc.kind != kind):
        known = ", ".join(
            d.slug for d in get_content().all() if not kind or d.kind == kind
        )
        raise click.ClickException(f"unknown document {slug!r}: use one of {known}")
    return doc


def _warn(language, docs, section=None) -> None:
    """Name every block that the print shows in English, on standard error."""
    gaps = english_blocks(language, docs, section)
    if not gaps:
        return
    click.echo(
        f"warning: {len(gaps)} block(s) of this print are in English, not "
        f"{language.english_name}:",
        err=True,
    )
    for gap in gaps:
        text = gap.text if len(gap.text) <= 70 else gap.text[:69] + "…"
        click.echo(f"  {gap.slug}: {text!r} ({gap.why})", err=True)
    click.echo(
        "  Translate them first, or print side by side with English "
        "(flask print guide ... --with en).",
        err=True,
    )


def _write(path: str, args: dict, output: Path, org: str, contact: str) -> None:
    """Check the organizer's lines, fetch the PDF at ``path``, write it."""
    try:
        parse_branding({"org": org, "contact": contact})
    except BrandingError as e:
        raise click.ClickException(f"--{e.field}: {e}") from e
    args = {k: v for k, v in {**args, "org": org, "contact": contact}.items() if v}
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:8000/"
    url = path + ("?" + urlencode(args) if args else "")
    response = current_app.test_client().get(url, base_url=base)
    if response.status_code != 200:
        raise click.ClickException(f"could not make {url}: {response.status}")
    output.write_bytes(response.get_data())
    click.echo(f"wrote {output} ({len(response.get_data()) // 1024} KB)")


@print_group.command()
@click.argument("lang")
@output_option
@paper_option
@branding_options
@with_appcontext
def pack(lang: str, output: Path, paper: str, org: str, contact: str) -> None:
    """Write every guide and a card sheet in LANG as one PDF."""
    language = _language(lang)
    _warn(language, get_content().all())
    _write(f"/{language.tag}/pack-{paper}.pdf", {}, output, org, contact)


@print_group.command()
@click.argument("lang")
@click.argument("slug")
@output_option
@paper_option
@click.option("--with", "other", default="", help="A second language, side by side.")
@branding_options
@with_appcontext
def guide(
    lang: str, slug: str, output: Path, paper: str, other: str, org: str, contact: str
) -> None:
    """Write the guide SLUG in LANG as a PDF."""
    language = _language(lang)
    doc = _document(slug)
    if not other:
        _warn(language, [doc])
    path = f"/{language.tag}/{doc.slug}/{paper}.pdf"
    _write(path, {"with": other}, output, org, contact)


@print_group.command()
@click.argument("lang")
@click.argument("slug", default="rights-card")
@output_option
@click.option(
    "--sheet",
    type=click.Choice(["letter", "a4"]),
    default=None,
    help="A sheet of cards to cut out, on this paper, instead of one card.",
)
@click.option("--gaps", is_flag=True, help="Gaps and dashed cut lines on a sheet.")
@branding_options
@with_appcontext
def card(
    lang: str,
    slug: str,
    output: Path,
    sheet: str | None,
    gaps: bool,
    org: str,
    contact: str,
) -> None:
    """Write the wallet card SLUG in LANG: one card, or a sheet of them."""
    language = _language(lang)
    doc = _document(slug, kind="card")
    _warn(language, [doc], "holder")
    name = f"sheet-{sheet}.pdf" if sheet else "card.pdf"
    args = {"gaps": "1" if gaps and sheet else ""}
    _write(f"/{language.tag}/{doc.slug}/{name}", args, output, org, contact)
