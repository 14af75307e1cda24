"""The editor's plural forms and a reviewer's direct save."""

from __future__ import annotations

import re

import test_contrib
from helpers import parse
from test_contrib import csrf_of, login

from reader.contrib import db as dbmod
from reader.pofile import load_po

# The translator web's fixtures: its app, and its translators and reviewers.
app = test_contrib.app
people = test_contrib.people

SAVED = ("%(num)s translation saved.", "%(num)s translations saved.")


def block_of(html: str, english: str) -> str:
    """Return the editor's article whose English is ``english``."""
    at = html.index(f'<p class="source" lang="en" dir="ltr">{english}</p>')
    start = html.rindex("<article", 0, at)
    return html[start : html.index("</article>", start)]


def labels(block: str) -> list[str]:
    return re.findall(r'<label for="t\d+-\d+">([^<]+)</label>', block)


def post(client, lang, domain, action, msgid, **fields):
    token = csrf_of(client.get("/translate/"))
    return client.post(
        f"/translate/{lang}/{domain}/{action}",
        data={"csrf": token, "msgid": msgid, **fields},
    )


def rows(app, sql, *args):
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    try:
        return [dict(r) for r in db.execute(sql, args)]
    finally:
        db.close()


def test_a_plural_has_one_labelled_box_per_form_of_the_language(app, people):
    es = login(app.test_client(), "tina").get("/translate/es/messages/?show=all")
    block = block_of(es.get_data(as_text=True), SAVED[0])
    assert SAVED[1] in block  # the English plural is shown too
    assert labels(block) == ["One: for 1", "Other: for 0, 2, 3, 4, …"]
    assert 'name="form-0"' in block and 'name="form-1"' in block
    form = block[block.index('<fieldset class="forms"') :].split("</form>", 1)[0]
    assert 'name="text"' not in form

    ar = login(app.test_client(), "ali").get("/translate/ar/messages/?show=all")
    block = block_of(ar.get_data(as_text=True), SAVED[0])
    # Arabic has six forms, named from its plural rule (CLDR categories).
    assert [label.split(":")[0] for label in labels(block)] == [
        "Zero", "One", "Two", "Few", "Many", "Other"
    ]  # fmt: skip
    assert labels(block)[3] == "Few: for 3, 4, 5, 6, …"


def test_a_plural_suggestion_keeps_every_form_through_review(app, site, people):
    tina = login(app.test_client(), "tina")
    forms = {"form-0": "%(num)s traducción guardada.",
             "form-1": "%(num)s traducciones guardadas."}  # fmt: skip
    response = post(tina, "es", "messages", "suggest", SAVED[0], **forms)
    assert response.status_code == 302
    page = tina.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you" in page
    # Each form is shown to the reviewer, one per line.
    assert "%(num)s traducción guardada.\n%(num)s traducciones guardadas." in page

    [row] = rows(app, "SELECT id FROM suggestions WHERE status = 'pending'")
    rosa = login(app.test_client(), "rosa")
    token = csrf_of(rosa.get("/translate/"))
    rosa.post(f"/translate/suggestions/{row['id']}/accept", data={"csrf": token})
    catalog = load_po(site / "translations/es/LC_MESSAGES/messages.po", "es")
    assert catalog.get(SAVED[0]).string == tuple(forms.values())
    html = tina.get("/translate/es/messages/?show=all").get_data(as_text=True)
    block = block_of(html, SAVED[0])
    assert "state-done" in block
    assert ">%(num)s traducciones guardadas.</textarea>" in block


def test_a_plural_needs_every_form_and_its_placeholders(app, site, people):
    tina = login(app.test_client(), "tina")
    one = "%(num)s traducción guardada."
    empty = post(tina, "es", "messages", "suggest", SAVED[0], **{"form-0": one})
    assert (
        "Write a translation first." in parse(tina.get(empty.headers["Location"])).plain
    )
    forms = {"form-0": one, "form-1": "Traducciones."}
    lost = post(tina, "es", "messages", "suggest", SAVED[0], **forms)
    assert "placeholders" in parse(tina.get(lost.headers["Location"])).plain
    assert rows(app, "SELECT id FROM suggestions") == []


def test_a_reviewer_saves_directly_and_the_history_keeps_it(app, site, people):
    rosa = login(app.test_client(), "rosa")
    html = rosa.get("/translate/es/door/").get_data(as_text=True)
    block = block_of(html, "Stay calm.")
    # A reviewer's form saves; there is no suggestion to accept afterwards.
    assert 'action="/translate/es/door/save"' in block
    assert re.search(r'<button type="submit">(<span[^>]*>)?Save<', block)
    response = post(rosa, "es", "door", "save", "Stay calm.",
                    text="Mantenga la calma.", at="b-0123456789")  # fmt: skip
    assert response.headers["Location"].endswith("#b-0123456789")
    assert (
        "Saved: readers see it now."
        in parse(rosa.get(response.headers["Location"])).plain
    )
    catalog = load_po(site / "translations/es/LC_MESSAGES/door.po", "es")
    assert catalog.get("Stay calm.").string == "Mantenga la calma."
    [row] = rows(app, "SELECT s.status, s.author_id, s.reviewer_id FROM suggestions s")
    assert row == {"status": "accepted", "author_id": people["rosa"],
                   "reviewer_id": people["rosa"]}  # fmt: skip
    assert rows(app, "SELECT action FROM history WHERE action = 'save'")
    # Nothing waits in the editor for a reviewer to accept.
    assert "Suggested by" not in rosa.get("/translate/es/door/?show=all").get_data(
        as_text=True
    )


def test_only_a_reviewer_saves_directly(app, site, people):
    tina = login(app.test_client(), "tina")
    html = tina.get("/translate/es/door/").get_data(as_text=True)
    assert "/translate/es/door/save" not in html
    response = post(tina, "es", "door", "save", "Stay calm.", text="Calma.")
    assert response.status_code == 403
    # A reviewer of another language neither.
    remy = login(app.test_client(), "remy")
    assert (
        post(remy, "es", "door", "save", "Stay calm.", text="Calma.").status_code == 403
    )
    catalog = load_po(site / "translations/es/LC_MESSAGES/door.po", "es")
    assert catalog.get("Stay calm.").string != "Calma."


def test_an_uploaded_plural_is_taken_with_every_form(app, site, people):
    po = site / "translations/es/LC_MESSAGES/messages.po"
    text = po.read_text("utf-8")
    entry = f'msgid "{SAVED[0]}"\nmsgid_plural "{SAVED[1]}"\nmsgstr[0] ""\nmsgstr[1] ""'
    assert entry in text
    text = text.replace(
        entry,
        f'msgid "{SAVED[0]}"\nmsgid_plural "{SAVED[1]}"\n'
        'msgstr[0] "%(num)s guardada."\nmsgstr[1] "%(num)s guardadas."',
    )
    tina = login(app.test_client(), "tina")
    token = csrf_of(tina.get("/translate/"))
    from io import BytesIO

    response = tina.post(
        "/translate/es/messages/upload",
        data={"csrf": token, "po": (BytesIO(text.encode()), "messages.po")},
        content_type="multipart/form-data",
    )
    assert "1 suggestion waits" in parse(tina.get(response.headers["Location"])).plain
    [row] = rows(app, "SELECT msgid, text FROM suggestions")
    assert row["msgid"] == SAVED[0]
    assert "%(num)s guardadas." in row["text"]


def test_a_save_never_overwrites_a_change_made_since_the_page_was_opened(
    app, site, people
):
    rosa = login(app.test_client(), "rosa")
    html = rosa.get("/translate/es/door/").get_data(as_text=True)
    block = block_of(html, "Stay calm.")
    version = re.search(r'name="version" value="([0-9a-f]+)"', block).group(1)
    # Another reviewer saves the same block first.
    other = login(app.test_client(), "rosa")
    post(other, "es", "door", "save", "Stay calm.", text="Calma.")
    late = post(
        rosa, "es", "door", "save", "Stay calm.", text="Tranquilo.", version=version
    )
    assert (
        "Someone changed this translation"
        in parse(rosa.get(late.headers["Location"])).plain
    )
    catalog = load_po(site / "translations/es/LC_MESSAGES/door.po", "es")
    assert catalog.get("Stay calm.").string == "Calma."
    # With the page reloaded, the save goes through.
    html = rosa.get("/translate/es/door/?show=all").get_data(as_text=True)
    block = block_of(html, "Stay calm.")
    version = re.search(r'name="version" value="([0-9a-f]+)"', block).group(1)
    post(rosa, "es", "door", "save", "Stay calm.", text="Tranquilo.", version=version)
    catalog = load_po(site / "translations/es/LC_MESSAGES/door.po", "es")
    assert catalog.get("Stay calm.").string == "Tranquilo."


def test_one_english_word_with_two_meanings_is_two_blocks(app, site, people):
    rosa = login(app.test_client(), "rosa")
    html = rosa.get("/translate/es/messages/?show=all").get_data(as_text=True)
    blocks = [b for b in html.split("<article")[1:] if ">Sign in</p>" in b]
    assert len(blocks) == 2
    [titled] = [b for b in blocks if "page title" in b]
    assert 'name="context" value="page title"' in titled
    post(rosa, "es", "messages", "save", "Sign in", context="page title",
         text="Acceso")  # fmt: skip
    post(rosa, "es", "messages", "save", "Sign in", text="Entrar")
    catalog = load_po(site / "translations/es/LC_MESSAGES/messages.po", "es")
    assert catalog.get("Sign in", "page title").string == "Acceso"
    assert catalog.get("Sign in").string == "Entrar"
    page = app.test_client().get("/translate/login", headers={"Accept-Language": "es"})
    html = page.get_data(as_text=True)
    assert "<h1>Acceso</h1>" in html
    assert '<button type="submit">Entrar</button>' in html
