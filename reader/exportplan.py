"""What an export must make: every page, PDF and ZIP, which of them changed
since the last export, and the processes that make them.

Work is split by language and document (a document's pages and PDFs, a
language's print packs, its list and credits), the biggest tasks first, so
that processes finish together. The manifest decides what is current.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

from flask import url_for

from . import deploy, freeze, i18n
from .content import get_content
from .languages import SOURCE
from .manifest import Inputs, Manifest, code_hash, file_hash, unchanged
from .printing.pdf import PdfCache
from .redirects import REDIRECTS
from .views import use_language

MARKER = ".rights-reader-export"
# The phone pack, and the full pack with every PDF for printing.
ZIPS = {"offline.zip": False, "offline-full.zip": True}
HTML_ENDPOINTS = {
    "reader.chooser",
    "reader.index",
    "reader.credits",
    "reader.document",
    "reader.officer",
    "print.guide",
}
# Settings that change what an export holds.
SETTINGS = ("CONTENT_DIR", "TRANSLATIONS_DIR", "PUBLISH_THRESHOLD", "PUBLIC_BASE_URL")


def pages(languages: list[str], phone: bool = False) -> Iterator[tuple[str, dict]]:
    """Yield (endpoint, values) for every page and PDF in ``languages`` (tags).

    The phone pack (``phone``) has the pages, the card's PDF and its pictures:
    no print views and none of the PDFs made for printing on paper.
    """
    yield "reader.chooser", {}
    docs = get_content().all()
    for tag in languages:
        yield "reader.index", {"lang": tag}
        yield "reader.credits", {"lang": tag}
        if not phone:
            for paper in ("letter", "a4"):
                yield "print.pack_pdf", {"lang": tag, "paper": paper}
        for doc in docs:
            page = {"lang": tag, "slug": doc.slug}
            yield "reader.document", page
            if not phone:
                yield "print.guide", page
                for paper in ("letter", "a4"):
                    yield "print.guide_pdf", {**page, "paper": paper}
            if doc.has_section("officer"):
                yield "reader.officer", page
            if doc.kind == "card":
                yield "print.card_pdf", page
                for side in ("front", "back"):
                    yield "print.card_image", {**page, "side": side}
                if not phone:
                    for paper in ("letter", "a4"):
                        yield "print.sheet_pdf", {**page, "paper": paper}


def groups(tags: list[str]) -> list[list[str]]:
    """Return the URLs of every page and PDF, in tasks: each language's PDFs
    for one paper, its print pack last (it is made of their layouts), then
    each document's other files, then lists and credits."""
    tasks: dict[tuple, list[str]] = {}
    for endpoint, values in pages(tags):
        lang = values.get("lang", "")
        if "paper" in values:
            # The pack after the guides and sheets it reuses.
            last = endpoint == "print.pack_pdf"
            key: tuple = (0, lang, values["paper"], last)
        else:
            key = (1, lang, values["slug"]) if "slug" in values else (2, lang)
        url = url_for(endpoint, **values)
        if url not in tasks.setdefault(key, []):
            tasks[key].append(url)
    merged: dict[tuple, list[str]] = {}
    for key in sorted(tasks):
        merged.setdefault(key[:3], []).extend(tasks[key])
    return list(merged.values())


class Plan:
    """One export: what it makes, what is already current, what it wrote."""

    def __init__(self, config: dict, out: Path) -> None:
        from . import __file__ as package

        app = freeze.exporting_app(config, None, PdfCache(1))
        self.previous = Manifest.load(out / MARKER)
        with app.test_request_context():
            languages = i18n.reader_languages()
            self.tags = [lang.tag for lang in languages]
            self.groups = groups(self.tags)
            self.members = {
                f"{tag}/{name}": self._members(tag, full)
                for tag in self.tags
                for name, full in ZIPS.items()
            }
            self.moved = dict(self._moved(languages))
        self.static = {
            name: freeze.exported_static(app, name) for name in freeze.static_files(app)
        }
        self.headers = deploy.live_headers(app)
        settings = {key: config.get(key) for key in SETTINGS}
        self.manifest = Manifest(
            {
                "code": code_hash(Path(package).parent),
                "languages": self.tags,
                "settings": json.loads(json.dumps(settings, default=str)),
            }
        )
        self.same = self.previous.shared == self.manifest.shared
        self.inputs = Inputs()
        self.outputs = self.manifest.outputs
        self.zips = self.manifest.zips

    def _members(self, tag: str, full: bool) -> list[str]:
        """Return the files of the export an offline ZIP holds a version of."""
        languages = [tag] if tag == SOURCE else [SOURCE, tag]
        return sorted(
            {freeze.url_path(url_for(e, **v)) for e, v in pages(languages, not full)}
        )

    def _moved(self, languages) -> Iterator[tuple[str, tuple[bytes, list[str]]]]:
        """Yield a page for each old address of a renamed document."""
        content = get_content()
        for lang in languages:
            use_language(lang)
            catalog = i18n.get_catalogs().file(lang.locale, "messages")
            for old, new in sorted(REDIRECTS.items()):
                doc = content.get(new)
                if doc is None or content.get(old) is not None:
                    continue
                for endpoint in deploy.MOVED_ENDPOINTS:
                    if endpoint == "reader.officer" and not doc.has_section("officer"):
                        continue
                    source, target = (
                        freeze.url_path(url_for(endpoint, lang=lang.tag, slug=slug))
                        for slug in (old, new)
                    )
                    page = deploy.moved_page(lang, source, target)
                    yield source, (page, [catalog])

    def current(self, path: str, out: Path) -> bool:
        """Tell whether a file of the earlier export can stay, and keep its entry."""
        if not (self.same and unchanged(self.previous, path, self.inputs, out)):
            return False
        entry = self.previous.outputs[path]
        self.outputs[path] = entry
        for name in entry["inputs"]:
            self.manifest.inputs[name] = self.inputs.hash(name)
        return True

    def tasks(self, out: Path) -> list[tuple]:
        """Return the (urls, static files, out) of every task still to do."""
        todo = []
        for urls in self.groups:
            stale = [u for u in urls if not self.current(freeze.url_path(u), out)]
            if stale:
                todo.append((stale, [], str(out)))
        static = [
            name
            for name in self.static
            if not all(self.current(path, out) for path in self.static[name])
        ]
        if static:
            todo.append(([], static, str(out)))
        return todo

    def record(self, built: list[freeze.Built]) -> None:
        """Note files a task wrote, with the hashes of their inputs."""
        for b in built:
            self.outputs[b.path] = {"hash": b.digest, "inputs": b.inputs}
            for name in b.inputs:
                self.manifest.inputs[name] = self.inputs.hash(name)

    def _zip_state(self, path: str) -> dict:
        """Return what a ZIP is made from: the hashes of the export's files it
        holds a version of, and of their inputs (its pages are made again)."""
        members = self.members[path]
        inputs = sorted({i for m in members for i in self.outputs[m]["inputs"]})
        return {
            "members": {m: self.outputs[m]["hash"] for m in members},
            "inputs": {i: self.inputs.hash(i) for i in inputs},
        }

    def zip_tasks(self, out: Path) -> list[tuple]:
        """Return the (tag, name, out) of every ZIP whose files changed."""
        todo = []
        for path in self.members:
            now = self._zip_state(path)
            before = self.previous.zips.get(path, {})
            if (
                self.same
                and {k: before.get(k) for k in now} == now
                and file_hash(out / path) == before.get("hash")
            ):
                self.zips[path] = before
            else:
                tag, name = path.split("/")
                todo.append((tag, name, str(out)))
        return todo

    def record_zip(self, path: str, hash_: str) -> None:
        """Note a ZIP a task wrote, with what it is made from."""
        self.zips[path] = {"hash": hash_, **self._zip_state(path)}

    def write_shared(self, out: Path) -> list[str]:
        """Write the old addresses' pages and the hosts' files; return which
        were made again."""
        made = []
        for path, (page, inputs) in self.moved.items():
            if not self.current(path, out):
                freeze.write(out / path, page)
                self.record([freeze.Built(path, freeze.digest(page), inputs)])
                made.append(path)
        hashed = [paths[1] for paths in self.static.values()]
        for name, text in (
            (deploy.HEADERS_FILE, deploy.headers_file(self.headers, hashed)),
            (deploy.NGINX_FILE, deploy.nginx_file(self.headers)),
            (deploy.REDIRECTS_FILE, deploy.redirects_file()),
        ):
            freeze.write(out / name, text.encode("utf-8"), encode=False)
        return made

    def finish(self, out: Path) -> list[str]:
        """Delete what the export no longer holds; write the manifest. Return
        the deleted files."""
        keep = {MARKER, deploy.HEADERS_FILE, deploy.NGINX_FILE, deploy.REDIRECTS_FILE}
        keep.update(self.zips)
        for path in self.outputs:
            keep.add(path)
            keep.update(path + suffix for suffix in freeze.ENCODED.values())
        deleted = []
        for path in sorted(out.rglob("*"), reverse=True):
            name = path.relative_to(out).as_posix()
            if path.is_file() and name not in keep:
                path.unlink()
                deleted.append(name)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        (out / MARKER).write_text(self.manifest.dump(), encoding="utf-8")
        return sorted(deleted)


@contextmanager
def workers(jobs: int, config: dict, tags: list[str]):
    """Yield ``submit(function, tasks)``: the results of running each task,
    in order, in ``jobs`` processes (each with its own app) or in this one."""
    if jobs == 1:
        freeze.start(config, tags)
        try:
            yield lambda function, tasks: [function(*task) for task in tasks]
        finally:
            freeze.stop()
        return
    context = get_context("spawn")  # a fresh interpreter: no state forked
    with ProcessPoolExecutor(jobs, context, freeze.start, (config, tags)) as pool:

        def submit(function: Callable, tasks: list[tuple]) -> list:
            return [f.result() for f in [pool.submit(function, *t) for t in tasks]]

        yield submit
