"""Print views and PDFs: guides, bilingual guides, rights cards, print packs."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
)
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.exceptions import BadHost
from werkzeug.wsgi import wrap_file

from .. import i18n
from ..catalogs import file_version
from ..compress import ONE_OFF
from ..content import Document, get_content
from ..languages import SOURCE, Language, find, language
from ..pages import Page, cached_page, respond
from ..render import isolate_numbers, render_blocks, render_section
from ..views import (
    alternates,
    doc_versions,
    labels,
    latest,
    legal_state,
    page_files,
    rendered,
    resolve,
    use_language,
)
from . import cards, images
from .branding import LIMITS, Branding, BrandingError, parse_branding
from .pdf import PdfCache, cached_pdf, layout, shared_pdf, stored_pdf, write_pdf
from .qr import page_path, public_url, qr_svg
from .warnings import english_blocks

bp = Blueprint("print", __name__)

PAPERS = ("letter", "a4")
_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def paper_arg() -> str:
    """Return the paper size asked for (Letter unless A4 is)."""
    paper = request.args.get("paper", "letter").lower()
    return paper if paper in PAPERS else "letter"


def get_document(slug: str) -> Document:
    doc = get_content().get(slug)
    if doc is None:
        abort(404)
    return doc


def catalog_for(lang: Language, doc: Document):
    if lang.tag == SOURCE:
        return None
    return i18n.get_catalogs().get(lang.locale, doc.slug)


def second_language(lang: Language) -> Language | None:
    """Return the language of a bilingual print's second column, if asked."""
    tag = request.args.get("with", "")
    if not tag:
        return None
    other = find(tag, i18n.reader_languages())
    if other is None or other == lang:
        abort(404)
    return other


def branding_or_400() -> Branding:
    """Validate the organizer's fields, answering a clear 400 page if wrong."""
    try:
        return parse_branding(request.args)
    except BrandingError as e:
        g.form_error = (e.field, str(e))
        abort(400)


PRINT_CSS = ("print.css", "card.css", "page-letter.css", "page-a4.css")


def print_versions() -> list:
    """Return the versions of the print stylesheets: a PDF depends on them."""
    folder = current_app.static_folder
    return [file_version(f"{folder}/{name}") for name in PRINT_CSS]


def versions_for(lang: Language, doc: Document, other: Language | None) -> tuple:
    """Return the versions of everything a print of ``doc`` is made from."""
    versions = doc_versions(lang, doc) + print_versions()
    if other is not None and other.tag != SOURCE:
        versions.append(i18n.get_catalogs().version(other.locale, doc.slug))
    return tuple(versions)


def guide_context(lang: Language, doc: Document, paper: str, branding: Branding):
    """Return what the guide templates need for ``doc`` in ``lang``."""
    other = second_language(lang)
    page, review = rendered(doc, lang)
    legal = legal_state(doc)
    columns = None
    if other is not None:
        left = render_blocks(doc, lang, labels(), catalog_for(lang, doc))
        use_language(other)
        right = render_blocks(doc, other, labels(), catalog_for(other, doc))
        other_title = rendered(doc, other)[0].title
        use_language(lang)
        columns = list(zip(left, right, strict=True))
    else:
        other_title = None
    return dict(
        doc=doc,
        page=page,
        review=review,
        legal=legal,
        paper_state=paper_state(lang, page, review, legal),
        paper=paper,
        branding=branding,
        other=other,
        other_title=other_title,
        columns=columns,
        **online_links(lang, doc),
    )


def _said(state, reviewed, stale: str, missing: str) -> str:
    """Say a review ``state``: ``reviewed(date)`` when done, else which."""
    if state.state == "reviewed":
        return reviewed(format_date(state.date, "medium"))
    return stale if state.state == "review stale" else missing


def paper_state(lang: Language, page, review, legal) -> str:
    """Return the line every printed page carries: how far its translation and
    its legal review can be trusted, in the reader's language."""
    parts = []
    if lang.tag != SOURCE and page.english:
        # TRANSLATORS: at the foot of a printed page that is still in English.
        parts.append(_("Not translated yet: in English."))
    elif lang.tag != SOURCE:
        parts.append(
            _said(
                review,
                lambda d: _(
                    "Translation reviewed by a native speaker on %(date)s.", date=d
                ),
                _("Translation changed after its review."),
                _("Unreviewed draft translation."),
            )
        )
    parts.append(
        _said(
            legal,
            lambda d: _("Reviewed by a lawyer on %(date)s.", date=d),
            _("Changed after a lawyer reviewed it."),
            _("Not reviewed by a lawyer."),
        )
    )
    return " ".join(parts)


def online_links(lang: Language, doc: Document) -> dict:
    """Return where a print says it can be read online: the public address and
    its QR code, or only the page's path when no public address is set."""
    online = public_url("reader.document", lang=lang.tag, slug=doc.slug)
    return dict(
        online=online or page_path("reader.document", lang=lang.tag, slug=doc.slug),
        qr=qr_svg(online),
    )


def gaps_arg() -> bool:
    """Tell whether a card sheet should leave gaps with dashed cut lines."""
    return request.args.get("gaps", "") in ("1", "on", "yes")


def query(**extra) -> str:
    """Return the current print options (plus ``extra``) as a query string."""
    args = {
        k: request.args[k]
        for k in ("org", "contact", "with", "gaps")
        if request.args.get(k)
    }
    args.update({k: v for k, v in extra.items() if v})
    return ("?" + urlencode(args)) if args else ""


def pdf_response(pdf: bytes | BinaryIO, name: str) -> Response:
    """Send a PDF inline, with a safe file name: bytes, or a file of the
    shared PDF folder (named by what it was made from: its ETag), whose
    parts a PDF viewer may ask for (Range)."""
    if isinstance(pdf, bytes):
        response = current_app.response_class(pdf, mimetype="application/pdf")
    else:
        size = os.fstat(pdf.fileno()).st_size
        response = current_app.response_class(
            wrap_file(request.environ, pdf),
            mimetype="application/pdf",
            direct_passthrough=True,
        )
        response.content_length = size
        response.set_etag(Path(pdf.name).stem)
        response.make_conditional(request, accept_ranges=True, complete_length=size)
        if request.method == "HEAD" or response.status_code not in (200, 206):
            pdf.close()  # no body is sent (304, 416): nothing reads the file
    response.headers["Content-Disposition"] = (
        f'inline; filename="{_FILENAME.sub("-", name)}.pdf"'
    )
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response


@bp.app_template_global()
def print_query(**extra) -> str:
    return query(**extra)


@bp.app_template_filter("isolate_numbers")
def isolate_numbers_filter(text: str) -> Markup:
    """Escape an organizer's line and keep its phone numbers in order."""
    return Markup(isolate_numbers(str(escape(text))))


@bp.route("/<lang>/<slug>/print/")
def guide(lang: str, slug: str):
    """Show a document laid out for printing, with the organizer's form."""
    language_ = resolve(lang)
    doc = get_document(slug)
    branding = branding_or_400()
    other = second_language(language_)

    def build() -> str:
        now = latest(doc)
        context = guide_context(language_, now, paper_arg(), branding)
        card = now.kind == "card"
        if card:
            # The guide's context already holds the card's state and QR code.
            context.update(card_sides(language_, now))
        english = []
        if other is None:
            english = english_blocks(language_, [now], "holder" if card else None)
        return render_template(
            "print/view.html",
            languages=i18n.reader_languages(),
            alternates=alternates("print.guide", slug=slug),
            english_gaps=english,
            limits=LIMITS,
            gaps=gaps_arg(),
            **context,
        )

    if branding:
        # The organizer's lines are printed, never stored: built for this
        # request alone, and compressed quickly.
        return respond(Page.make(build(), quality=ONE_OFF))
    files = page_files(language_, doc)
    files += [f"{current_app.static_folder}/{name}" for name in PRINT_CSS]
    if other is not None and other.tag != SOURCE:
        files.append(i18n.get_catalogs().file(other.locale, doc.slug))
    key = ("print", language_.tag, slug, paper_arg(), other, gaps_arg(), g.preview)
    return cached_page(key, build, files)


@bp.route("/<lang>/<slug>/<any(letter, a4):paper>.pdf")
def guide_pdf(lang: str, slug: str, paper: str):
    """Download a document as a PDF for Letter or A4 paper."""
    language_ = resolve(lang)
    doc = get_document(slug)
    branding = branding_or_400()
    other = second_language(language_)
    key = (
        "guide",
        language_.tag,
        slug,
        paper,
        other and other.tag,
        branding.key,
        versions_for(language_, doc, other),
    )

    def build() -> str:
        return guide_html(language_, latest(doc), paper, branding)[0]

    name = f"{slug}-{language_.tag}" + (f"-{other.tag}" if other else "") + f"-{paper}"
    return pdf_response(shared_pdf(key, build, private=bool(branding)), name)


def guide_html(
    lang: Language, doc: Document, paper: str, branding: Branding
) -> tuple[str, dict]:
    """Return the HTML of a guide's PDF, and the context it was made from.

    A pack prints the same HTML, so its guides' anchors get their own
    names: every guide has a "source-1".
    """
    context = guide_context(lang, doc, paper, branding)
    html = render_template("print/guide.html", pdf=True, **context)
    return _own_anchors(html, doc.slug), context


def sheet_html(lang: Language, doc: Document, paper: str, branding, gaps=False):
    """Return the HTML of a sheet of cards, and the card's context."""
    context = card_context(lang, doc, branding)
    layout = cards.sheet(paper, gaps=gaps)
    return render_template("print/sheet.html", sheet=layout, **context), context


def card_sides(lang: Language, doc: Document) -> dict:
    """Return the two sides of a rights card: the holder's in ``lang``, the
    officer's in English."""
    if doc.kind != "card":
        abort(404)
    catalog = catalog_for(lang, doc)
    return dict(
        holder=render_section(doc, "holder", lang, labels(refs=False), catalog),
        officer=render_section(doc, "officer", language(SOURCE), labels(refs=False)),
    )


def card_context(lang: Language, doc: Document, branding: Branding) -> dict:
    """Return what a card print needs: both sides, its state and title."""
    sides = card_sides(lang, doc)
    page, review = rendered(doc, lang)
    return dict(
        doc=doc,
        branding=branding,
        paper_state=paper_state(lang, page, review, legal_state(doc)),
        doc_title=Markup(page.title).striptags(),
        **sides,
        **online_links(lang, doc),
    )


@bp.route("/<lang>/<slug>/card.pdf")
def card_pdf(lang: str, slug: str):
    """Download one two-sided wallet card (front page, back page)."""
    language_, key, build, branding = requested_card(lang, slug)
    pdf = shared_pdf(key, build, private=bool(branding))
    return pdf_response(pdf, f"{slug}-{language_.tag}")


def requested_card(lang: str, slug: str):
    """Return the language, cache key, HTML builder and organizer's lines of
    the two-sided card PDF a request asks for, or answer 404 (not a card) or
    400 (bad organizer's lines)."""
    language_ = resolve(lang)
    doc = get_document(slug)
    if doc.kind != "card":
        abort(404)
    branding = branding_or_400()
    key = (
        "card",
        language_.tag,
        doc.slug,
        branding.key,
        versions_for(language_, doc, None),
    )

    def build() -> str:
        return render_template(
            "print/card.html", **card_context(language_, latest(doc), branding)
        )

    return language_, key, build, branding


@bp.route("/<lang>/<slug>/card-<any(front, back):side>.png")
def card_image(lang: str, slug: str, side: str):
    """Send one side of the card as a picture to share, drawn from its PDF."""
    _, key, build, _branding = requested_card(lang, slug)
    cache: PdfCache = current_app.extensions["reader.pdfs"]
    page = 0 if side == "front" else 1
    png = cache.get(
        ("png", key, page), lambda: images.card_png(cached_pdf(key, build), page)
    )
    response = current_app.response_class(png, mimetype="image/png")
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response


@bp.route("/<lang>/<slug>/sheet-<any(letter, a4):paper>.pdf")
def sheet_pdf(lang: str, slug: str, paper: str):
    """Download a sheet of cards with crop marks, backs placed for duplex."""
    language_ = resolve(lang)
    doc = get_document(slug)
    branding = branding_or_400()
    gaps = gaps_arg()
    key = (
        "sheet",
        language_.tag,
        slug,
        paper,
        gaps,
        branding.key,
        versions_for(language_, doc, None),
    )

    def build() -> str:
        return sheet_html(language_, latest(doc), paper, branding, gaps)[0]

    pdf = shared_pdf(key, build, private=bool(branding))
    return pdf_response(pdf, f"{slug}-{language_.tag}-{paper}")


def _own_anchors(html: str, slug: str) -> Markup:
    """Give a guide's source anchors its own names inside a pack, where every
    guide has a "source-1"."""
    return Markup(
        str(html)
        .replace('href="#source-', f'href="#{slug}-source-')
        .replace('id="source-', f'id="{slug}-source-')
    )


def pack_pdf_bytes(lang: Language, paper: str, branding: Branding) -> bytes:
    """Return the print pack: a cover with its contents, every guide, then a
    sheet of each card, as one PDF.

    Each part is the PDF of that guide or sheet printed alone, laid out once
    (an export reuses the layouts of the PDFs it just wrote), so each keeps
    its own page numbers and can be taken out of the pack and handed on. The
    contents give the page of the pack each part starts on.
    """
    parts, sheets, states = [], [], []
    for doc in get_content().all():
        if doc.kind == "guide":
            html, context = guide_html(lang, doc, paper, branding)
            done = "reviewed" == context["legal"].state
            if lang.tag != SOURCE:
                done = done and context["review"].state == "reviewed"
            states.append((done, context["paper_state"]))
            title = Markup(context["page"].title).striptags()
            parts.append((f"part-{doc.slug}", title, layout(html)))
        elif doc.kind == "card":
            html, context = sheet_html(lang, doc, paper, branding)
            sheets.append((f"sheet-{doc.slug}", context["doc_title"], layout(html)))
    parts += sheets
    # The cover says the state of the first guide not fully reviewed: the
    # pack as a whole can be trusted no further than that.
    state = next((line for done, line in states if not done), None)
    if state is None:
        state = states[0][1] if states else ""
    cover_pages = 1
    while True:
        entries, page = [], cover_pages + 1
        for anchor, title, part in parts:
            entries.append((anchor, title, page))
            page += len(part.pages)
        html = render_template(
            "print/pack.html",
            entries=entries,
            paper=paper,
            branding=branding,
            made=format_date(date.today(), "long"),
            paper_state=state,
        )
        cover = layout(html)
        # A long contents can take a second page, which moves every part on.
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
    return write_pdf([cover] + [part for _, _, part in parts])


@bp.route("/<lang>/pack-<any(letter, a4):paper>.pdf")
def pack_pdf(lang: str, paper: str):
    """Download every guide and a card sheet in one PDF."""
    language_ = resolve(lang)
    branding = branding_or_400()
    versions = doc_versions(language_) + print_versions()
    for doc in get_content().all():
        versions += doc_versions(language_, doc)[1:]
    key = ("pack", language_.tag, paper, branding.key, date.today(), tuple(versions))
    pdf = stored_pdf(
        key, lambda: pack_pdf_bytes(language_, paper, branding), private=bool(branding)
    )
    return pdf_response(pdf, f"rights-reader-{language_.tag}-{paper}")


@bp.app_errorhandler(400)
def bad_request(error):
    """Explain what is wrong with the print form, in the reader's language."""
    if isinstance(error, BadHost):
        # No page can be built for a Host that is not a host name: no links.
        return error
    if g.get("language") is None:
        use_language(language(SOURCE))
    field, message = g.get("form_error", ("", error.description))
    return render_template("print/400.html", field=field, message=message), 400
