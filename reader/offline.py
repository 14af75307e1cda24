"""Save for offline: the service worker, what it stores per language, the manifest.

Nothing here stores anything: ``/<lang>/offline.json`` only says which URLs a
reader's phone would keep for a language, and how many bytes they are, by
rendering them. The service worker (``static/sw.js``, served from ``/sw.js``
so that it may answer for every page) stores them when the reader asks.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from html.parser import HTMLParser

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    jsonify,
    request,
    send_from_directory,
    url_for,
)

from .export import pages
from .static import static_url
from .views import resolve

bp = Blueprint("offline", __name__)

# The pages a saved language opens without a connection. Print views, PDFs
# and the ZIP are left out: they are for printing and sharing, and large.
SAVED = {"reader.index", "reader.document", "reader.officer", "reader.credits"}
# A neutral name on the home screen: a phone may be looked at by someone else.
APP_NAME = "Reader"
THEME = "#35505c"


@dataclass(frozen=True)
class Listing:
    """The URLs a language is saved as, their total size and a version."""

    urls: list[str]
    bytes: int
    version: str


class _Assets(HTMLParser):
    """Collect the stylesheets, scripts and images a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = attrs.get("href") if tag == "link" else attrs.get("src")
        if tag in ("link", "script", "img") and url:
            self.urls.append(url)


def assets(body: bytes, prefix: str) -> list[str]:
    """Return the URLs under ``prefix`` (the static folder) a page loads."""
    parser = _Assets()
    parser.feed(body.decode("utf-8"))
    return [url for url in parser.urls if url.startswith(prefix)]


def fetch(app: Flask, path: str) -> bytes:
    """Return the body ``app`` answers a plain GET of ``path`` with, unencoded.

    The request is made inside this process, in contexts of its own, so the
    page is what any reader gets (the same page cache, the same ETag).
    """
    root = request.script_root
    # A fresh app context: the page sets its own language in ``g``.
    with (
        app.app_context(),
        app.test_request_context(
            path[len(root) :],
            base_url="http://localhost" + root,
            headers={"Accept-Encoding": "identity"},
        ),
    ):
        response = app.full_dispatch_request()
        try:
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            if response.content_encoding:
                # The phone keeps bodies decoded: that is the size to count.
                raise RuntimeError(
                    f"{path} came {response.content_encoding}-encoded, "
                    "though no encoding was asked for"
                )
            response.direct_passthrough = False  # static files are streamed
            return response.get_data()
        finally:
            response.close()


def build_listing(tag: str) -> Listing:
    """Render every saved page of language ``tag`` and the files they load."""
    app = current_app._get_current_object()
    found = app.extensions["reader.offline"]
    prefix = url_for("static", filename="")
    paths = [url_for(e, **v) for e, v in pages([tag]) if e in SAVED]
    bodies = {path: fetch(app, path) for path in paths}
    digest = hashlib.blake2b(digest_size=12)
    for path in paths:
        page = hashlib.blake2b(bodies[path]).digest()
        digest.update(path.encode() + b"\0" + page)
        # Reading a page for what it loads is most of the work: once a version.
        loads = found.get((page, prefix))
        if loads is None:
            if len(found) > 4096:
                found.clear()
            loads = found[page, prefix] = assets(bodies[path], prefix)
        for url in loads:
            if url not in bodies:
                bodies[url] = fetch(app, url)
                digest.update(url.encode())  # versioned: the URL says it all
    return Listing(
        list(bodies), sum(len(b) for b in bodies.values()), digest.hexdigest()
    )


@bp.route("/<lang>/offline.json")
def listing(lang: str):
    """Say which URLs saving this language stores, and their size in bytes."""
    language_ = resolve(lang)
    if g.preview:
        abort(404)  # a draft language is not offered to readers, nor saved
    saved = build_listing(language_.tag)
    response = jsonify(asdict(saved))
    response.set_etag(saved.version)
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.route("/sw.js")
def worker():
    """Serve the service worker from the root, so it may answer for every page."""
    response = send_from_directory(
        current_app.static_folder, "sw.js", mimetype="text/javascript", max_age=0
    )
    # The browser checks it for updates; ask every time whether it changed.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/<lang>/manifest.webmanifest")
def manifest(lang: str):
    """Describe the site for a home screen, by a name that gives nothing away."""
    language_ = resolve(lang)
    if g.preview:
        abort(404)
    icons = [
        {"src": static_url("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        *(
            {
                "src": static_url(f"icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ),
    ]
    response = jsonify(
        name=APP_NAME,
        short_name=APP_NAME,
        lang=language_.tag,
        dir=language_.direction,
        # Opens on this language's guides: saved, they open with no connection.
        start_url=url_for("reader.index", lang=language_.tag),
        scope=url_for("reader.chooser"),
        display="standalone",
        background_color="#ffffff",
        theme_color=THEME,
        icons=icons,
    )
    response.mimetype = "application/manifest+json"
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response


def init_app(app: Flask) -> None:
    """Register the service worker, the saved lists and the manifest."""
    # What each page version loads from the static folder, by its digest.
    app.extensions["reader.offline"] = {}
    app.register_blueprint(bp)
