"""Whole journeys in a real browser: a translator on a phone, an export on file://."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_translations

from reader.contrib import db as dbmod
from reader.contrib import users
from reader.export import export_site

from .support import AXE, PHONE, goto, private_app, serve
from .test_a11y import TAGS, run_axe

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"


@pytest.fixture
def site(tmp_path):
    """A private copy of the repository's content and catalogs, and an app on it."""
    app = private_app(
        tmp_path,
        TRANSLATOR_DB=str(tmp_path / "translators.sqlite3"),
        SECRET_KEY="browser-tests",
    )
    with serve(app) as url:
        yield app, url


def test_invited_translator_on_a_phone_reviewer_accepts_reader_sees(site, tab):
    app, url = site
    out = (
        app.test_cli_runner()
        .invoke(args=["users", "invite", "maria", "--name", "Maria", "--lang", "es"])
        .output
    )
    invite_path = "/translate/invite/" + out.strip().rsplit("/translate/invite/", 1)[1]
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    rosa = users.create_user(db, "rosa", "Rosa")
    users.grant(db, rosa, "reviewer", "es")
    users.set_password(db, rosa, PASSWORD)
    db.close()
    msgid = "Do not run or fight."
    new_text = "No corra ni pelee, por favor."

    # The invited translator, on a small phone with JavaScript off.
    phone = tab("es", viewport=PHONE, java_script_enabled=False)
    goto(phone, url + invite_path)
    phone.fill("#password", PASSWORD)
    phone.fill("#again", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{url}/translate/")
    goto(phone, f"{url}/translate/es/rights-card/?show=all")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{width} px wide on a {PHONE['width']} px phone"
    block = phone.locator("article.block", has_text=msgid).first
    form = block.locator("form[action$='/suggest']").last  # not the comment's
    form.locator("textarea").fill(new_text)
    form.locator("button[type=submit]").last.click()
    phone.wait_for_url(f"{url}/translate/es/rights-card/**")
    assert phone.locator(".flash-ok").count() == 1

    # The reviewer signs in on a desktop, the page passes axe, and accepts.
    desk = tab("es", bypass_csp=True)
    goto(desk, f"{url}/translate/login")
    desk.fill("#username", "rosa")
    desk.fill("#password", PASSWORD)
    desk.click("main button[type=submit]")
    desk.wait_for_url(f"{url}/translate/")
    goto(desk, f"{url}/translate/es/rights-card/")
    desk.add_script_tag(path=str(AXE))
    result = run_axe(desk, {"runOnly": TAGS})
    assert result["violations"] == [], result["violations"]
    suggestion = desk.locator(".suggestion", has_text=new_text)
    suggestion.locator("form").first.locator("button").click()  # accept
    desk.wait_for_url(f"{url}/translate/es/rights-card/**")

    # A reader sees it on the next request, and the credits name Maria.
    reader = tab("es")
    goto(reader, f"{url}/es/rights-card/")
    assert new_text in reader.locator("article").inner_text()
    goto(reader, f"{url}/es/credits/")
    assert "Maria" in reader.locator("main").inner_text()


def test_static_export_navigates_from_file_urls(tab, tmp_path):
    data = Path(__file__).resolve().parent.parent / "data"
    # A copy: serving a language records that it is offered, in its folder.
    shutil.copytree(data / "content", tmp_path / "content")
    copy_translations(tmp_path / "translations")
    out = tmp_path / "site"
    report = export_site(
        {
            "CONTENT_DIR": str(tmp_path / "content"),
            "TRANSLATIONS_DIR": str(tmp_path / "translations"),
            "PUBLISH_THRESHOLD": 0,
        },
        out,
    )
    assert not report.broken
    page = tab("es", viewport=PHONE)
    page.goto((out / "index.html").as_uri())
    page.locator('.languages a[hreflang="es"]').click()
    page.wait_for_url("**/es/index.html")
    # The inline stylesheet applies from the folder too.
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    page.locator('.documents a[href*="door"]').click()
    page.wait_for_url("**/es/door/index.html")
    assert page.locator("h1").inner_text() == "En la puerta"
    page.locator(".switcher summary").click()
    page.locator('.switcher a[hreflang="ar"]').click()
    page.wait_for_url("**/ar/door/index.html")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator(".actions a").click()
    page.wait_for_url("**/ar/door/print/index.html")
    pdf = page.locator(".downloads a").first.get_attribute("href")
    assert (out / "ar" / "door" / "print" / pdf).resolve().is_file()
