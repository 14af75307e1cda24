"""Save for offline: what a language is saved as, the worker, the manifest, and
pages that offer it only where it can work."""

from __future__ import annotations

import re

import pytest
from conftest import site_app
from helpers import Elements, parse


def listed(client, lang: str) -> dict:
    response = client.get(f"/{lang}/offline.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_a_language_is_saved_as_its_pages_and_the_files_they_load(client, lang):
    saved = listed(client, lang)
    urls = saved["urls"]
    assert len(urls) == len(set(urls))
    for page in ("", "door/", "card/", "plain/", "card/officer/", "credits/"):
        assert f"/{lang}/{page}" in urls
    assert any(re.fullmatch(r"/static/offline\.js\?v=\w+", u) for u in urls)
    # Only this site's own pages of this language, and no print, PDF or ZIP.
    for url in urls:
        assert url.startswith((f"/{lang}/", "/static/")), url
        assert not re.search(r"translate|print|\.pdf|\.zip|//", url), url
    # The size a reader is shown is what these URLs send, decoded.
    sizes = []
    for url in urls:
        with client.get(url) as response:  # closes a static file
            assert response.status_code == 200, url
            sizes.append(len(response.get_data()))
    assert saved["bytes"] == sum(sizes)


def test_the_list_changes_when_a_page_changes(site, client):
    before = client.get("/es/offline.json")
    assert (
        client.get(
            "/es/offline.json", headers={"If-None-Match": before.headers["ETag"]}
        ).status_code
        == 304
    )
    with (site / "content" / "door.md").open("a", encoding="utf-8") as f:
        f.write("\nOne more paragraph.\n")
    after = client.get("/es/offline.json").get_json()
    assert after["version"] != before.get_json()["version"]
    assert after["bytes"] > before.get_json()["bytes"]


def test_only_published_languages_are_offered_for_saving(site):
    client = site_app(site, PUBLISH_THRESHOLD=101).test_client()
    assert client.get("/es/offline.json").status_code == 404
    assert client.get("/es/offline.json?preview=1").status_code == 404
    assert client.get("/es/manifest.webmanifest?preview=1").status_code == 404
    assert client.get("/xx/offline.json").status_code == 404
    assert not parse(client.get("/es/?preview=1")).find("div", id="save-offline")


def test_the_worker_is_served_from_the_root_and_checked_for_updates(client):
    with client.get("/sw.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert response.headers["Cache-Control"] == "no-cache"
        assert "caches.open" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_home_screen_name_and_icon_give_nothing_away(client, lang):
    response = client.get(f"/{lang}/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["name"] == manifest["short_name"] == "Reader"
    assert not re.search(r"immigra|rights|migra", str(manifest), re.I)
    assert manifest["start_url"] == f"/{lang}/"
    assert manifest["dir"] == ("rtl" if lang == "ar" else "ltr")
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as got:
            assert got.status_code == 200 and got.mimetype == icon["type"], icon
    assert {i["type"] for i in manifest["icons"]} == {"image/svg+xml", "image/png"}


def test_the_save_button_is_hidden_until_a_script_can_save(client):
    page = parse(client.get("/es/"))
    (box,) = page.find("div", id="save-offline")
    assert "hidden" in box
    assert box["data-list"] == "/es/offline.json" and box["data-worker"] == "/sw.js"
    (note,) = page.find("p", id="saved-copy")
    assert "hidden" in note and note["data-saved-at"] == ""
    (script,) = page.find("script")
    assert re.fullmatch(r"/static/offline\.js\?v=\w+", script["src"])
    assert "defer" in script
    assert page.find("link", rel="manifest", href="/es/manifest.webmanifest")


@pytest.mark.parametrize(
    "config", [{"OFFLINE": True}, {"FREEZER_RELATIVE_URLS": True}], ids=str
)
def test_copies_without_a_server_offer_no_saving(site, config):
    # A ZIP or an export opened from file:// can run no service worker.
    client = site_app(site, **config).test_client()
    for path in ("/es/", "/es/door/"):
        page = Elements(client.get(path).get_data(as_text=True))
        assert not page.find("div", id="save-offline"), path
        assert not page.find("p", id="saved-copy"), path
        assert not page.find("script") and not page.find("link", rel="manifest")


@pytest.mark.parametrize("path", ["/es/", "/sw.js", "/es/offline.json"])
def test_the_policy_lets_scripts_reach_only_this_site(client, path):
    with client.get(path) as response:
        csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    for name in ("connect-src", "manifest-src", "worker-src", "script-src"):
        assert directives[name] == "'self'", name
