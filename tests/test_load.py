"""Load and faults on a real server on loopback: bounded, no timing asserted."""

from __future__ import annotations

import os
import re
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import site_app
from werkzeug.serving import make_server

EXPECTED = {  # path -> (html lang, text only that language's page has)
    "/es/door/": ("es", "En la puerta"),
    "/ar/door/": ("ar", "عند الباب"),
    "/en/door/": ("en", "At the door"),
    "/es/": ("es", "Conozca sus derechos"),
    "/ar/": ("ar", "اعرف حقوقك"),
    "/es/card/": ("es", "Lleve esta tarjeta."),
}


@pytest.fixture
def live(site):
    """Serve the test site on a free loopback port with a threaded server."""
    # A real server: errors become 500s, and the front cache is on.
    app = site_app(site, TESTING=False, PUBLISH_CHECK_SECONDS=2.0)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""


def test_concurrent_mixed_languages_never_cross(live):
    paths = list(EXPECTED) * 40  # 240 requests, 8 at a time
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda p: (p, *fetch(live + p)), paths))
    for path, status, body in results:
        lang, words = EXPECTED[path]
        assert status == 200, path
        assert re.search(rf'<html lang="{lang}" ', body), path
        assert words in body, path


def test_files_replaced_while_requests_are_in_flight(live, site):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    doc = site / "content" / "door.md"
    original_po, original_doc = po.read_text("utf-8"), doc.read_text("utf-8")
    stop = threading.Event()
    statuses: list[int] = []

    def hammer():
        while not stop.is_set():
            for path in ("/es/door/", "/es/", "/ar/door/"):
                statuses.append(fetch(live + path)[0])

    workers = [threading.Thread(target=hammer) for _ in range(4)]
    for w in workers:
        w.start()
    try:
        for i in range(30):
            # In letters: a translation that adds a number is shown in English.
            new_po = original_po.replace("Usted tiene derechos.", f"Versión {'x' * i}.")
            if i % 2:  # atomically, as editors and our tools write
                tmp = po.with_suffix(".tmp")
                tmp.write_text(new_po, encoding="utf-8")
                os.replace(tmp, po)
            else:  # in place, as a careless editor might
                po.write_text(new_po, encoding="utf-8")
            doc.write_text(
                original_doc.replace("Stay calm.", f"Stay calm ({i})."), "utf-8"
            )
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=30)
    assert statuses and all(s == 200 for s in statuses), set(statuses)
    time.sleep(1.1)  # FRONT_CHECK_SECONDS: how soon a saved file must show
    status, body = fetch(live + "/es/door/")
    assert (
        status == 200 and f"Versión {'x' * 29}." in body and "Stay calm (29)." in body
    )
