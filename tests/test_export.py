"""Static export: every page as files, relative links, deterministic, offline ZIPs."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from helpers import Elements

from reader.export import broken_links, export_site


def digest(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Export the small test site twice, into two folders."""
    from conftest import DATA, copy_translations

    # A copy: serving a language records that it is offered, in its folder.
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(DATA / "content", site / "content")
    copy_translations(site / "translations")
    config = {
        "CONTENT_DIR": str(site / "content"),
        "TRANSLATIONS_DIR": str(site / "translations"),
        "PUBLISH_THRESHOLD": 0,
        "PUBLIC_BASE_URL": "https://rights.example.org",
    }
    first, second = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    # One process, then two: the same files, byte for byte.
    reports = [export_site(config, first, jobs=1), export_site(config, second, jobs=2)]
    return first, second, reports


def test_export_writes_every_page_and_pdf(exported):
    out, _, (report, _) = exported
    for path in [
        "index.html",
        "es/index.html",
        "es/door/index.html",
        "ar/door/index.html",
        "es/door/print/index.html",
        "es/door/letter.pdf",
        "es/door/a4.pdf",
        "es/card/card.pdf",
        "es/card/sheet-a4.pdf",
        "es/card/card-front.png",
        "es/card/card-back.png",
        "es/pack-letter.pdf",
        "es/credits/index.html",
        "en/door/index.html",
        "es/offline.zip",
        "es/offline-full.zip",
    ]:
        assert (out / path).is_file(), path
    assert any((out / "static").glob("print.css"))  # what the PDFs are made with
    assert not report.broken


def test_export_links_are_relative_and_resolve(exported):
    out, _, _ = exported
    page = Elements((out / "es" / "door" / "index.html").read_text("utf-8"))
    hrefs = [a.get("href") for t, a in page.tags if t in ("a", "link")]
    assert not page.find("link", rel="stylesheet")  # the stylesheet is inline
    assert "../../ar/door/index.html" in hrefs  # the switcher, same document
    assert "print/index.html" in hrefs
    assert not any(h.startswith("/") for h in hrefs if h)
    assert broken_links(out) == []


def test_export_is_deterministic_in_one_process_or_two(exported):
    first, second, (one, two) = exported
    assert digest(first) == digest(second)
    assert one.jobs == 1 and two.jobs == 2
    assert len(two.peak_kb) == 3  # the two workers and the process that led them
    # Each worker's own peak (the leader here is pytest, with every earlier
    # test's memory): under 400 MB.
    workers = [kb for pid, kb in two.peak_kb.items() if pid != os.getpid()]
    assert len(workers) == 2 and max(workers) < 400 * 1024


def test_text_files_are_precompressed_beside_them(exported):
    import gzip

    import brotli

    out, _, _ = exported
    page = (out / "es" / "door" / "index.html").read_bytes()
    assert gzip.decompress((out / "es/door/index.html.gz").read_bytes()) == page
    assert brotli.decompress((out / "es/door/index.html.br").read_bytes()) == page
    assert (out / "static" / "style.css.gz").is_file()
    assert not list(out.rglob("*.pdf.gz")) and not list(out.rglob("*.png.br"))
    assert not [n for n in zip_names(out / "es" / "offline.zip") if n.endswith(".gz")]


def test_headers_file_carries_the_live_headers(exported, client):
    out, _, _ = exported
    live = client.get("/es/door/").headers
    rules = (out / "_headers").read_text(encoding="utf-8")
    nginx = (out / "_nginx.conf").read_text(encoding="utf-8")
    for name in (
        "Content-Security-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
    ):
        assert f"  {name}: {live[name]}\n" in rules
        assert f'add_header {name} "{live[name]}" always;' in nginx
    assert "Cache-Control: public, no-cache" in rules
    assert "/:lang/in-a-car/*  /:lang/traffic-stop/:splat  301!" in (
        out / "_redirects"
    ).read_text(encoding="utf-8")


def test_link_checker_finds_a_missing_file(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="es/index.html">es</a><a href="https://example.org/">x</a>'
        '<a href="#top">top</a>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == ["index.html: es/index.html"]
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "index.html").write_text("<p>hola</p>", encoding="utf-8")
    assert broken_links(tmp_path) == []


def test_export_refuses_a_folder_with_other_files(tmp_path):
    import click

    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(click.ClickException, match="not empty"):
        export_site({}, tmp_path)
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"


def zip_names(path: Path) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()


def test_offline_zip_holds_one_language_with_english(exported):
    out, _, _ = exported
    names = zip_names(out / "es" / "offline.zip")
    # The start page comes first, where a phone's file manager shows it.
    assert names[0] == "index.html"
    assert "es/door/index.html" in names and "es/card/officer/index.html" in names
    assert "es/card/card.pdf" in names
    assert "es/card/card-front.png" in names and "es/card/card-back.png" in names
    assert "en/door/index.html" in names
    assert not any(n.startswith("ar/") for n in names)
    # The phone pack leaves out what is only for printing on paper.
    assert not [n for n in names if n.endswith("/print/index.html")]
    assert [n for n in names if n.endswith(".pdf")] == [
        "en/card/card.pdf",
        "es/card/card.pdf",
    ]
    chooser = (
        zipfile.ZipFile(io.BytesIO((out / "es" / "offline.zip").read_bytes()))
        .read("index.html")
        .decode()
    )
    assert "ar/index.html" not in chooser  # no links out of the pack


def test_the_full_offline_zip_has_every_pdf(exported):
    out, _, _ = exported
    names = zip_names(out / "es" / "offline-full.zip")
    assert names[0] == "index.html"
    for name in ("es/door/letter.pdf", "es/door/a4.pdf", "es/pack-a4.pdf"):
        assert name in names
    assert "es/card/sheet-letter.pdf" in names and "es/door/print/index.html" in names
    phone = out / "es" / "offline.zip"
    assert phone.stat().st_size * 3 < (out / "es" / "offline-full.zip").stat().st_size


def test_offline_zip_is_downloadable_from_the_site(client):
    response = client.get("/es/offline.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "es/door/index.html" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    index = client.get("/es/").get_data(as_text=True)
    assert index.count("/es/offline.zip") == 1
    assert index.count("/es/offline-full.zip") == 1
    full = client.get("/es/offline-full.zip")
    assert "es/door/letter.pdf" in zipfile.ZipFile(io.BytesIO(full.data)).namelist()


def test_healthz_answers_two_bytes(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok"
    assert "no-store" in response.headers["Cache-Control"]


def test_export_command_reports_links(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["export", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "every internal link resolves" in result.output


def site_config(site: Path) -> dict:
    return {
        "CONTENT_DIR": str(site / "content"),
        "TRANSLATIONS_DIR": str(site / "translations"),
        "PUBLISH_THRESHOLD": 0,
        "PUBLIC_BASE_URL": "https://rights.example.org",
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_incremental_export_rewrites_only_what_changed(site, tmp_path, monkeypatch):
    from reader import exportplan
    from reader.redirects import REDIRECTS

    monkeypatch.setitem(REDIRECTS, "old-door", "door")
    # A change to the code rebuilds everything: keep the code as it is even if
    # someone edits the work tree meanwhile.
    monkeypatch.setattr(exportplan, "code_hash", lambda package: "this code")
    config, out = site_config(site), tmp_path / "out"
    export_site(config, out, jobs=2)
    moved = (out / "es" / "old-door" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../door/index.html"' in moved and "<script" not in moved
    kept = (out / "en" / "door" / "letter.pdf").stat().st_mtime_ns

    # One document's catalog: its pages and PDFs, the lists, packs and ZIPs.
    catalogs = site / "translations"
    edit(catalogs / "es/LC_MESSAGES/door.po", "No abra la puerta", "Nunca abra")
    report = export_site(config, out, jobs=1)
    es = ["door/index.html", "door/print/index.html", "door/letter.pdf"]
    es += ["door/a4.pdf", "index.html", "credits/index.html", "pack-letter.pdf"]
    es += ["pack-a4.pdf", "offline.zip", "offline-full.zip"]
    assert sorted(report.rebuilt) == sorted(f"es/{name}" for name in es)
    assert not report.deleted and not report.broken

    # The interface catalog: every page of that language, nothing else.
    edit(catalogs / "ar/LC_MESSAGES/messages.po", "اعرف حقوقك", "حقوقك")
    report = export_site(config, out, jobs=1)
    assert all(path.startswith("ar/") for path in report.rebuilt)
    assert {"ar/door/index.html", "ar/card/card.pdf", "ar/old-door/index.html"} <= set(
        report.rebuilt
    )

    # A document that is gone: its files go too.
    (site / "content" / "plain.md").unlink()
    report = export_site(config, out, jobs=2)
    assert "es/plain/index.html" in report.deleted
    assert "es/plain/index.html.gz" in report.deleted
    assert not (out / "es" / "plain").exists()
    assert (out / "en" / "door" / "letter.pdf").stat().st_mtime_ns == kept

    fresh = tmp_path / "fresh"
    export_site(config, fresh, jobs=2)
    assert digest(out) == digest(fresh)
