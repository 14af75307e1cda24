"""Reader views: the language chooser, a language's documents, one document."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import flask_babel
from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from . import i18n, legal
from .catalogs import file_version, reviewers
from .content import Document, get_content
from .i18n import lazy_gettext as _l
from .languages import SOURCE, Language, find, language, match, negotiate
from .pages import cached_page
from .redirects import REDIRECTS
from .render import Labels, document_msgids, render_document, render_section
from .reviews import REVIEWED, UNREVIEWED, ReviewState, state
from .static import link_for

bp = Blueprint("reader", __name__)

# What the site is, in one line: on the chooser (also in English) and the index.
ABOUT = _l(
    "Plain guides to your rights in the United States, whatever your "
    "immigration status. General information, not legal advice."
)


def use_language(lang: Language) -> None:
    """Serve the rest of this request in ``lang``."""
    g.language = lang
    flask_babel.refresh()


def resolve(tag: str) -> Language:
    """Return the published language for a URL tag; redirect or 404 otherwise.

    Other spellings of a tag (``ES``, ``pt_br``) and near misses (``zh-TW``,
    ``pt``, ``es-MX``, ``fil``) redirect permanently to the canonical tag of
    the best published match, keeping the rest of the path.
    """
    published = i18n.reader_languages()
    lang = find(tag, published)
    g.preview = False
    if lang is None and request.args.get("preview"):
        # A language below the publishing threshold: translators may look at it.
        lang = find(tag, i18n.all_languages())
        g.preview = lang is not None
    if lang is None:
        lang = match(tag, published)
    if lang is None:
        abort(404)
    if lang.tag != tag:
        # The path is decoded: quote it again, or a %0A in it would end
        # up raw in the Location header.
        rest = quote(request.path[len(tag) + 1 :], safe="/")
        query = request.query_string.decode("latin-1")
        abort(redirect(f"/{lang.tag}{rest}" + (f"?{query}" if query else ""), 301))
    use_language(lang)
    return lang


@bp.before_app_request
def moved_document():
    """Send every page of a renamed document to the same page of its new slug.

    Print views, PDFs and card images included; the query string is kept.
    """
    args = request.view_args or {}
    new = REDIRECTS.get(args.get("slug", ""))
    if new is None:
        return None
    location = url_for(request.endpoint, **{**args, "slug": new})
    query = request.query_string.decode("latin-1")
    return redirect(location + (f"?{query}" if query else ""), 301)


def labels(refs: bool = True) -> Labels:
    """Return the interface words a rendered document needs, translated."""
    return Labels(
        # TRANSLATORS: beside a paragraph of a guide that is still in English.
        note=_("Not translated yet: shown in English."),
        # TRANSLATORS: under an English sentence to say, whose meaning is missing.
        meaning=_("Its meaning is not translated yet."),
        # TRANSLATORS: heading of a box of English sentences to say to an officer.
        say_this=_("Say this in English"),
        # TRANSLATORS: heading of the numbered list of a guide's legal sources.
        sources=_("Sources"),
        refs=refs,
    )


def page_files(lang: Language, doc: Document | None = None) -> list[str]:
    """Return the files a page in ``lang`` is made from: the stylesheet it
    holds, the script and icon (their URLs carry a hash), the interface
    catalog and, for a document, its own files (``doc_files``).
    """
    files = [
        *current_app.extensions["reader.page_static"],
        i18n.get_catalogs().file(lang.locale, "messages"),
    ]
    if doc is not None:
        files += doc_files(lang, doc)
    return files


def doc_files(lang: Language, doc: Document) -> list[str]:
    """Return a document's file, its catalog in ``lang``, the reviews and the
    legal review records."""
    return [
        get_content().file(doc.slug),
        i18n.get_catalogs().file(lang.locale, doc.slug),
        i18n.get_reviews().file(lang.locale),
        str(get_content().directory / legal.FILENAME),
    ]


def doc_versions(lang: Language, doc: Document | None = None) -> list:
    """Return the versions of the files a page in ``lang`` is made from."""
    return [file_version(f) for f in page_files(lang, doc)]


def latest(doc: Document) -> Document:
    """Return ``doc`` as it is now on disk.

    A cached page is keyed by the file versions read before it is built, so
    what it is built from must be at least that new: a document fetched
    earlier in the request may be older than its key.
    """
    return get_content().get(doc.slug) or doc


def rendered(doc: Document, lang: Language):
    """Render ``doc`` in ``lang``; return the page and its review state."""
    if lang.tag == SOURCE:
        return render_document(doc, lang, labels()), ReviewState(UNREVIEWED)
    store = i18n.get_catalogs()
    catalog = store.get(lang.locale, doc.slug)
    page = render_document(doc, lang, labels(), catalog)
    review = state(
        i18n.get_reviews().get(lang.locale), doc.slug, document_msgids(doc), catalog
    )
    return page, review


def legal_records() -> dict:
    """Read the legal review records of the content folder."""
    return legal.read_records(get_content().directory)


def legal_state(doc: Document) -> ReviewState:
    """Return whether a lawyer has reviewed ``doc`` as it reads now."""
    return legal.legal_state(legal_records(), doc)


@bp.app_template_global()
def page_url(endpoint: str, **values) -> str:
    """Return a page's URL, keeping a translator's preview of a draft language."""
    if g.get("preview") and values.get("lang") == g.language.tag:
        values["preview"] = 1
    return link_for(endpoint, **values)


def alternates(endpoint: str, **values) -> list[tuple[Language, str]]:
    """Return the same page in every published language, for the switcher."""
    langs = i18n.reader_languages()
    if g.get("preview"):
        langs.append(g.language)
    return [(lang, page_url(endpoint, lang=lang.tag, **values)) for lang in langs]


@bp.route("/")
def chooser():
    """List every language by its own name, the reader's best match first."""
    ordered = negotiate(request.accept_languages.values(), i18n.reader_languages())
    use_language(ordered[0])
    tags = tuple(lang.tag for lang in ordered)
    with flask_babel.force_locale(SOURCE):
        about_en = str(ABOUT)
    response = cached_page(
        ("chooser", tags),
        lambda: render_template(
            "chooser.html", ordered=ordered, about=ABOUT, about_en=about_en
        ),
        page_files(ordered[0]),
        # One front cache entry per negotiated order, however the header
        # spells it ("es-MX,es;q=0.9" and "es" share one).
        vary=("HTTP_ACCEPT_LANGUAGE", tags),
    )
    response.vary.add("Accept-Language")
    return response


@dataclass(frozen=True)
class Overview:
    """How far a language's guides are translated and checked, said once."""

    percent: int
    english: bool
    translation: str  # REVIEWED when every guide's review is current
    any_legal_review: bool


def overview(items: list, lang: Language) -> Overview:
    """Sum up the translation and review state of every guide on an index."""
    guides = [(d, p, r) for d, p, r in items if d.kind != "statement"]
    words = sum(p.stats.words for _, p, _ in guides)
    left = sum(p.stats.words_left for _, p, _ in guides)
    percent = 100 if not words else int(100 * (words - left) / words)
    states = {r.state for _, _, r in guides}
    translation = states.pop() if len(states) == 1 else "mixed"
    records = legal_records()
    return Overview(
        percent=percent,
        english=lang.tag != SOURCE and all(p.english for _, p, _ in guides),
        translation=translation,
        any_legal_review=any(
            legal.legal_state(records, d).state == REVIEWED for d, _, _ in guides
        ),
    )


@bp.route("/<lang>/")
def index(lang: str):
    """List the card and the situations first, the statement apart, and say
    once how far the guides are translated and reviewed."""
    language_ = resolve(lang)
    docs = get_content().all()

    def build() -> str:
        items = [(doc, *rendered(doc, language_)) for doc in get_content().all()]
        guides = [i for i in items if i[0].kind != "statement"]
        # The card first: it is what a reader needs at the door.
        guides.sort(key=lambda i: i[0].kind != "card")
        return render_template(
            "index.html",
            guides=guides,
            statements=[i for i in items if i[0].kind == "statement"],
            overview=overview(items, language_),
            about=ABOUT,
            alternates=alternates("reader.index"),
        )

    # The folder too: adding a document changes the list.
    files = [*page_files(language_), str(get_content().directory)]
    for doc in docs:
        files += doc_files(language_, doc)
    return cached_page(("index", language_.tag, g.preview), build, files)


@bp.route("/<lang>/<slug>/")
def document(lang: str, slug: str):
    """Show one document in the reader's language, fallbacks marked."""
    language_ = resolve(lang)
    doc = get_content().get(slug)
    if doc is None:
        abort(404)

    def build() -> str:
        now = latest(doc)
        page, review = rendered(now, language_)
        return render_template(
            "document.html",
            doc=now,
            page=page,
            review=review,
            legal=legal_state(now),
            alternates=alternates("reader.document", slug=slug),
        )

    return cached_page(
        ("doc", language_.tag, slug, g.preview), build, page_files(language_, doc)
    )


@bp.route("/<lang>/<slug>/officer/")
def officer(lang: str, slug: str):
    """Show the English officer side of a card, full screen, to hand over."""
    language_ = resolve(lang)
    doc = get_content().get(slug)
    if doc is None or not doc.has_section("officer"):
        abort(404)

    def build() -> str:
        now = latest(doc)
        return render_template(
            "officer.html",
            doc=now,
            officer=render_section(
                now, "officer", language(SOURCE), labels(refs=False)
            ),
        )

    return cached_page(
        ("officer", language_.tag, slug, g.preview), build, page_files(language_, doc)
    )


@bp.route("/<lang>/credits/")
def credits(lang: str):
    """Thank the people who translated the reader into this language."""
    language_ = resolve(lang)
    store = i18n.get_catalogs()

    reviews = i18n.get_reviews()

    def build() -> str:
        source = language_.tag == SOURCE
        return render_template(
            "credits.html",
            names=[] if source else store.translators(language_.locale),
            reviewers=[] if source else reviewers(reviews.get(language_.locale)),
            alternates=alternates("reader.credits"),
        )

    folder = store.directory / language_.locale / "LC_MESSAGES"
    files = page_files(language_) + [str(p) for p in sorted(folder.glob("*.po"))]
    files.append(reviews.file(language_.locale))
    return cached_page(("credits", language_.tag, g.preview), build, files)


@bp.route("/healthz")
def healthz():
    """Answer load balancers and monitors: a 2-byte body, never cached."""
    response = current_app.response_class("ok", mimetype="text/plain")
    response.cache_control.no_store = True
    return response


@bp.app_errorhandler(404)
def not_found(error):
    """Say the page does not exist, in the reader's language if we know it,
    and link to that language's guides and card."""
    if g.get("language") is None:
        ordered = negotiate(request.accept_languages.values(), i18n.reader_languages())
        use_language(ordered[0] if ordered else language(SOURCE))
    g.preview = g.get("preview", False)
    lang = g.language
    card = next((d for d in get_content().all() if d.kind == "card"), None)

    def build() -> str:
        title = None
        if card is not None:
            page, _review = rendered(latest(card), lang)
            title = (page.title, page.title_lang)
        return render_template("404.html", card=card, card_title=title)

    files = page_files(lang, card)
    return cached_page(("404", lang.tag, g.preview), build, files, status=404)
