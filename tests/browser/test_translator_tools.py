"""A translator's tools in a real browser, with JavaScript off: a plural entry,
a fuzzy entry with its diff and "Still correct", a memory match, a comment."""

from __future__ import annotations

import pytest

from reader.contrib import db as dbmod
from reader.contrib import users
from reader.pofile import load_po, save_po

from .support import PHONE, goto, private_app, serve

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
PLURAL = "%(num)s translation saved."
SAID = "Get legal help"  # translated in many documents: the memory has it


@pytest.fixture
def site(tmp_path):
    """A private copy of the repository with work left for a translator."""
    app = private_app(
        tmp_path,
        TRANSLATOR_DB=str(tmp_path / "translators.sqlite3"),
        SECRET_KEY="browser-tests",
    )
    es = tmp_path / "translations" / "es" / "LC_MESSAGES"
    # A plural with no translation yet.
    messages = load_po(es / "messages.po", "es")
    plural = messages.get(PLURAL)
    plural.string = ("",) * messages.num_plurals
    save_po(es / "messages.po", messages)
    # A paragraph whose English changed since it was translated, and a
    # heading the other documents already translate.
    doc = load_po(es / "at-work.po", "es")
    changed = next(m for m in doc if m.id and m.string and m.id.startswith("If "))
    changed.flags.add("fuzzy")
    changed.previous_id = [changed.id.replace("If ", "When ", 1)]
    doc.get(SAID).string = ""
    save_po(es / "at-work.po", doc)
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    tina = users.create_user(db, "tina", "Tina")
    users.grant(db, tina, "translator", "es")
    users.set_password(db, tina, PASSWORD)
    db.close()
    with serve(app) as url:
        yield url, changed.id


def test_a_translator_walks_plural_fuzzy_memory_and_comment(site, tab):
    url, fuzzy_id = site
    page = tab("es", viewport=PHONE, java_script_enabled=False)
    # Each step renders a whole document's editor: give a busy machine time.
    page.set_default_timeout(60_000)
    goto(page, f"{url}/translate/login")
    page.fill("#username", "tina")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/translate/")

    # A plural: one labelled box for each of Spanish's three forms (CLDR's
    # one, many: "un millón de", other).
    goto(page, f"{url}/translate/es/messages/")
    block = page.locator("article.block", has_text=PLURAL).first
    boxes = block.locator("fieldset.forms textarea")
    assert boxes.count() == 3
    labels = block.locator("fieldset.forms label").all_inner_texts()
    assert labels[0].endswith(" 1") and "1000000" in labels[1]
    boxes.nth(0).fill("%(num)s traducción guardada.")
    boxes.nth(1).fill("%(num)s de traducciones guardadas.")
    boxes.nth(2).fill("%(num)s traducciones guardadas.")
    anchor = block.get_attribute("id")
    block.locator("form:has(fieldset.forms) button[type=submit]").first.click()
    page.wait_for_url(f"**/translate/es/messages/**#{anchor}")
    assert page.locator(".flash-ok").count() == 1
    waiting = page.locator(f"#{anchor} .suggestion").inner_text()
    assert "%(num)s traducción guardada.\n%(num)s de traducciones" in waiting

    # A fuzzy paragraph: what changed in the English, the old translation in
    # the box, and one click to say it still holds.
    goto(page, f"{url}/translate/es/at-work/")
    block = page.locator("article.state-fuzzy", has_text=fuzzy_id[:60]).first
    assert block.locator(".diff del").inner_text() == "When"
    assert block.locator(".diff ins").inner_text() == "If"
    assert block.locator("textarea").first.input_value()
    anchor = block.get_attribute("id")
    block.locator("form.still-correct button").click()
    page.wait_for_url(f"**#{anchor}")
    assert page.locator(f"#{anchor} .suggestion").count() == 1

    # A memory match from the other documents, suggested in one click.
    block = page.locator("article.block", has_text=SAID).first
    match = block.locator(".memory li").first
    assert "100%" in match.inner_text()
    translation = match.locator("span[lang=es]").first.inner_text()
    match.locator("button").click()
    page.wait_for_url("**/translate/es/at-work/**")
    block = page.locator("article.block", has_text=SAID).first
    assert translation in block.locator(".suggestion").inner_text()

    # A comment for the other translators and reviewers of Spanish.
    note = "¿Usamos «ayuda legal» o «asesoría legal» en todas las guías?"
    block.locator("details summary").first.click()
    block.locator("form[action$='/comment'] textarea").fill(note)
    block.locator("form[action$='/comment'] button").click()
    page.wait_for_url("**/translate/es/at-work/**")
    block = page.locator("article.block", has_text=SAID).first
    assert note in block.inner_text()
