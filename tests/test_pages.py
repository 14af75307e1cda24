"""Page cache: invalidated by file changes, validators, and what it saves."""

from __future__ import annotations

import os
import shutil
import time

import brotli
import pytest
from conftest import site_app
from helpers import parse


def touch_write(path, text: str) -> None:
    """Write a file and make sure its mtime moves even on coarse clocks."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_catalog_change_shows_on_next_request(client, site):
    assert "Usted tiene derechos." in parse(client.get("/es/door/")).plain
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    touch_write(
        po,
        po.read_text(encoding="utf-8").replace(
            "Usted tiene derechos.", "Usted tiene muchos derechos."
        ),
    )
    assert "Usted tiene muchos derechos." in parse(client.get("/es/door/")).plain


def test_interface_catalog_change_shows_on_next_request(client, site):
    assert "Conozca sus derechos" in parse(client.get("/es/")).plain
    po = site / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    touch_write(
        po,
        po.read_text(encoding="utf-8").replace(
            "Conozca sus derechos", "Sepa sus derechos"
        ),
    )
    assert "Sepa sus derechos" in parse(client.get("/es/")).plain


def test_document_change_shows_on_next_request(client, site):
    doc = site / "content" / "door.md"
    assert "Only English here." in parse(client.get("/en/plain/")).plain
    touch_write(
        site / "content" / "plain.md",
        (site / "content" / "plain.md")
        .read_text(encoding="utf-8")
        .replace("Only English here.", "Still only English."),
    )
    assert "Still only English." in parse(client.get("/en/plain/")).plain
    # A changed English paragraph falls back to English: its old translation is gone.
    touch_write(
        doc,
        doc.read_text(encoding="utf-8").replace(
            "You have rights.", "You have many rights."
        ),
    )
    page = parse(client.get("/es/door/"))
    assert "You have many rights." in page.plain
    assert "Usted tiene derechos." not in page.plain


def test_new_document_appears_without_restart(client, site):
    (site / "content" / "new.md").write_text(
        (site / "content" / "plain.md")
        .read_text(encoding="utf-8")
        .replace("Not translated", "Brand new"),
        encoding="utf-8",
    )
    assert "Brand new" in parse(client.get("/en/")).plain
    assert client.get("/en/new/").status_code == 200


def test_cache_serves_repeat_requests(app, client):
    cache = app.extensions["reader.pages"]
    client.get("/es/door/")
    misses = cache.misses
    first = client.get("/es/door/")
    assert cache.misses == misses and cache.hits >= 1
    assert first.get_data() == client.get("/es/door/").get_data()


def test_etag_and_last_modified_answer_conditional_requests(client):
    first = client.get("/es/door/")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get("/es/door/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_etag_changes_when_translation_changes(client, site):
    etag = client.get("/es/door/").headers["ETag"]
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    time.sleep(0.01)
    touch_write(
        po, po.read_text(encoding="utf-8").replace("En la puerta", "A la puerta")
    )
    assert client.get("/es/door/", headers={"If-None-Match": etag}).status_code == 200


def test_static_files_are_versioned_and_long_lived(client):
    page = parse(client.get("/translate/login"))
    css = page.find("link", rel="stylesheet")[0]["href"]
    assert "?v=" in css
    with client.get(css) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]


@pytest.fixture
def front_app(site):
    """An app whose front cache is on (it is off when PUBLISH_CHECK_SECONDS is 0),
    checking the files of a page on every hit (FRONT_CHECK_SECONDS 0)."""
    return site_app(site, PUBLISH_CHECK_SECONDS=60, FRONT_CHECK_SECONDS=0)


def test_front_cache_answers_repeats_and_sees_changes_at_once(front_app, site):
    client = front_app.test_client()
    front = front_app.extensions["reader.front"]
    first = client.get("/es/door/")
    second = client.get("/es/door/")
    assert front.hits == 1
    assert second.get_data() == first.get_data()
    for header in ("Content-Security-Policy", "ETag", "Cache-Control"):
        assert second.headers[header] == first.headers[header]
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    touch_write(po, po.read_text("utf-8").replace("En la puerta", "Ante la puerta"))
    assert "Ante la puerta" in parse(client.get("/es/door/")).plain
    doc = site / "content" / "door.md"
    touch_write(doc, doc.read_text("utf-8").replace("Stay calm.", "Stay very calm."))
    assert "Stay very calm." in parse(client.get("/es/door/")).plain
    assert front.hits == 1


def test_front_cache_leaves_conditional_query_and_varying_requests_to_flask(front_app):
    client = front_app.test_client()
    front = front_app.extensions["reader.front"]
    etag = client.get("/es/door/").headers["ETag"]
    assert client.get("/es/door/", headers={"If-None-Match": etag}).status_code == 304
    client.get("/es/door/?x=1")
    client.get("/", headers={"Accept-Language": "ar"})
    chooser = client.get("/", headers={"Accept-Language": "es"})
    assert parse(chooser).find("a", hreflang="es")[0]["href"] == "/es/"
    assert [a["href"] for a in parse(chooser).find("a") if a.get("hreflang")][
        0
    ] == "/es/"
    client.get("/es/nope/")
    assert client.get("/es/nope/").status_code == 404
    assert front.hits == 0


def test_new_document_shows_on_the_list_despite_the_front_cache(front_app, site):
    client = front_app.test_client()
    client.get("/en/")
    client.get("/en/")
    (site / "content" / "new.md").write_text(
        (site / "content" / "plain.md")
        .read_text("utf-8")
        .replace("Not translated", "Brand new"),
        encoding="utf-8",
    )
    assert "Brand new" in parse(client.get("/en/")).plain


def test_pages_are_compressed_once_and_secrets_never(client):
    first = client.get("/es/door/", headers={"Accept-Encoding": "br"})
    again = client.get("/es/door/", headers={"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == "br"
    assert first.get_data() == again.get_data()  # the bytes made once
    assert "En la puerta" in brotli.decompress(first.get_data()).decode()
    # The translator web carries a CSRF token: never compressed (BREACH).
    login = client.get("/translate/login", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in login.headers
    assert b"csrf" in login.get_data().lower()


def test_front_cache_shows_a_saved_translation_within_the_check_interval(site):
    front_app = site_app(site, PUBLISH_CHECK_SECONDS=60, FRONT_CHECK_SECONDS=0.5)
    client = front_app.test_client()
    client.get("/es/door/")
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    touch_write(po, po.read_text("utf-8").replace("En la puerta", "Ante la puerta"))
    saved = time.monotonic()
    page = parse(client.get("/es/door/")).plain
    if time.monotonic() - saved < 0.5:  # no stat yet: the page as it was
        assert "En la puerta" in page
    time.sleep(0.6)
    assert "Ante la puerta" in parse(client.get("/es/door/")).plain


@pytest.mark.parametrize("coding", ["br, gzip", "gzip", None])
def test_front_cache_hit_is_the_first_response_exactly(front_app, coding):
    client = front_app.test_client()
    front = front_app.extensions["reader.front"]
    headers = {"Accept-Encoding": coding} if coding else {}
    first = client.get("/es/door/", headers=headers)
    second = client.get("/es/door/", headers=headers)
    assert front.hits == 1
    assert second.status == first.status == "200 OK"
    assert second.headers.to_wsgi_list() == first.headers.to_wsgi_list()
    assert second.get_data() == first.get_data()
    # The server dates each response: a kept Date would be stale, and twice.
    assert "Date" not in first.headers
    assert "'sha256-" in first.headers["Content-Security-Policy"]


def chooser_links(response) -> list[str]:
    return [a["href"] for a in parse(response).find("a") if a.get("hreflang")]


def test_chooser_is_kept_once_per_negotiated_language(front_app):
    client = front_app.test_client()
    front = front_app.extensions["reader.front"]
    spellings = ["es-MX,es;q=0.9", "es", "es-ES, fr;q=0.5", "ES-us;q=1"]
    pages = [client.get("/", headers={"Accept-Language": h}) for h in spellings]
    again = [client.get("/", headers={"Accept-Language": h}) for h in spellings]
    entries = [k for k in front.entries if k[1] == "/"]
    assert len(entries) == 1  # one page for every way of asking for Spanish
    # Each spelling goes through Flask once (to learn what it means), then not.
    assert front.hits == 4
    assert len({r.get_data() for r in pages + again}) == 1
    assert chooser_links(pages[0])[0] == "/es/"
    for response in pages + again:
        assert response.headers["Vary"] == "Accept-Encoding, Accept-Language"
    arabic = client.get("/", headers={"Accept-Language": "ar"})
    assert chooser_links(arabic)[0] == "/ar/"
    assert arabic.get_data() != pages[0].get_data()
    assert client.get("/", headers={"Accept-Language": "ar"}).get_data() == (
        arabic.get_data()
    )
    english = client.get("/")  # no header: English first
    assert chooser_links(english)[0] == "/en/"


def test_chooser_offers_a_newly_published_language_within_the_interval(site):
    front_app = site_app(site, PUBLISH_CHECK_SECONDS=0.5)
    client = front_app.test_client()
    french = {"Accept-Language": "fr"}
    for _ in range(2):
        assert "/fr/" not in chooser_links(client.get("/", headers=french))
    folder = site / "translations" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copyfile(
        site / "translations" / "es" / "LC_MESSAGES" / "messages.po",
        folder / "messages.po",
    )
    time.sleep(0.6)
    assert chooser_links(client.get("/", headers=french))[0] == "/fr/"
    assert "/fr/" in chooser_links(client.get("/", headers={"Accept-Language": "es"}))
