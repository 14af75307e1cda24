"""Comments per block, and the history of a block and of a language."""

from __future__ import annotations

import re

import pytest
import test_contrib
from helpers import parse
from test_contrib import PASSWORD, csrf_of, login

from reader.contrib import comments, users
from reader.contrib import db as dbmod

MSGID = "Stay calm."
ANCHOR = comments.anchor(MSGID)


# The translator web's app over the test site (its own people are below).
app = test_contrib.app


@pytest.fixture
def people(app):
    """Two translators and a reviewer of Spanish, a translator of Arabic, an admin."""
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    for name, role, lang in [
        ("tina", "translator", "es"),
        ("teo", "translator", "es"),
        ("rosa", "reviewer", "es"),
        ("ali", "translator", "ar"),
        ("adam", None, None),
    ]:
        user_id = users.create_user(db, name, name.title(), is_admin=role is None)
        if role:
            users.grant(db, user_id, role, lang)
        users.set_password(db, user_id, PASSWORD)
    db.close()


def post(client, path, **data):
    token = csrf_of(client.get("/translate/"))
    return client.post(path, data={"csrf": token, **data})


def comment(client, text, lang="es", msgid=MSGID):
    return post(
        client,
        f"/translate/{lang}/door/comment",
        msgid=msgid,
        text=text,
        show="all",
        at=ANCHOR,
    )


def article(html: str, anchor: str = ANCHOR) -> str:
    """Return the editor's block with ``anchor``."""
    start = html.index('<article class="block state-')
    start = html.index(f'id="{anchor}"', start)
    return html[start : html.index("</article>", start)]


def query(app, sql, *params):
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def test_translators_of_the_language_see_a_comment_others_cannot(app, people):
    tina = login(app.test_client(), "tina")
    response = comment(tina, "¿Usted o tú aquí?\nEl resto del documento usa «usted».")
    assert response.status_code == 302
    assert response.location.endswith(f"?show=all#{ANCHOR}")  # back to the block
    assert "Comment posted." in tina.get(response.location).get_data(as_text=True)

    teo = login(app.test_client(), "teo")
    block = article(teo.get("/translate/es/door/?show=all").get_data(as_text=True))
    assert "¿Usted o tú aquí?" in block and "Comment by Tina:" in block
    assert "1 comment" in block.split("</p>")[0]  # in the block's header line
    assert 'dir="auto"' in block
    assert f'href="/translate/es/door/history/{ANCHOR}"' in block
    # The browser stops at the length the server takes, before anything is lost.
    assert re.search(
        rf'<textarea id="c\d+" name="text" [^>]*maxlength="{comments.MAX_LENGTH}"',
        block,
    )
    html = teo.get("/translate/es/door/?show=all").get_data(as_text=True)
    other = article(html, comments.anchor("You have rights."))
    assert "Tina" not in other and " comment" not in other.split("</p>")[0]

    ali = login(app.test_client(), "ali")  # translates Arabic only
    assert comment(ali, "Hola").status_code == 403
    assert ali.get("/translate/es/history").status_code == 403
    assert ali.get(f"/translate/es/door/history/{ANCHOR}").status_code == 403
    assert len(query(app, "SELECT * FROM comments")) == 1
    # The admin may read a language's history without a role in it.
    adam = login(app.test_client(), "adam")
    assert "¿Usted o tú aquí?" in adam.get("/translate/es/history").get_data(
        as_text=True
    )


def test_empty_long_and_forged_comments_are_refused(app, people):
    tina = login(app.test_client(), "tina")
    response = comment(tina, "  \n ")
    assert response.location.endswith(f"#{ANCHOR}")
    assert "Write a comment first." in tina.get(response.location).get_data(
        as_text=True
    )
    response = comment(tina, "x" * (comments.MAX_LENGTH + 1))
    assert "A comment has at most 2000 characters." in tina.get(
        response.location
    ).get_data(as_text=True)
    response = comment(tina, "Sobre otro texto", msgid="Not in the document.")
    assert "not in the document any more" in tina.get(response.location).get_data(
        as_text=True
    )
    no_token = tina.post(
        "/translate/es/door/comment", data={"msgid": MSGID, "text": "Hola"}
    )
    assert no_token.status_code == 400
    assert query(app, "SELECT * FROM comments") == []
    assert comment(tina, "x" * comments.MAX_LENGTH).status_code == 302
    assert len(query(app, "SELECT * FROM comments")) == 1


def at(app, table, row_id, column, when):
    """Date a row as if it happened ``when``: requests in one test share a second."""
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    db.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (when, row_id))
    db.close()


def a_day_of_work(app):
    """Tina suggests, Rosa accepts, Teo comments, Tina suggests again and Rosa
    rejects, each an hour apart; Rosa then saves another block directly."""
    tina = login(app.test_client(), "tina")
    rosa = login(app.test_client(), "rosa")
    teo = login(app.test_client(), "teo")
    post(tina, "/translate/es/door/suggest", msgid=MSGID, text="Mantenga la calma.")
    [(first,)] = query(app, "SELECT id FROM suggestions")
    assert post(rosa, f"/translate/suggestions/{first}/accept").status_code == 302
    at(app, "suggestions", first, "created_at", "2025-03-01 09:00:00")
    at(app, "suggestions", first, "decided_at", "2025-03-01 10:00:00")
    comment(teo, "¿No sería mejor «Conserve la calma»?")
    at(app, "comments", 1, "created_at", "2025-03-01 11:00:00")
    post(tina, "/translate/es/door/suggest", msgid=MSGID, text="Conserve la calma.")
    second = first + 1
    assert post(rosa, f"/translate/suggestions/{second}/reject").status_code == 302
    at(app, "suggestions", second, "created_at", "2025-03-01 12:00:00")
    at(app, "suggestions", second, "decided_at", "2025-03-01 13:00:00")
    # A reviewer's direct save: a suggestion its author accepted.
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    db.execute(
        "INSERT INTO suggestions (lang, domain, msgid, text, author_id, status, "
        "reviewer_id, created_at, decided_at) VALUES ('es', 'door', ?, ?, ?, "
        "'accepted', ?, '2025-03-01 14:00:00', '2025-03-01 14:00:00')",
        ("You have rights.", "Tiene derechos.", *[users.find_user_id(db, "rosa")] * 2),
    )
    db.close()
    comment(login(app.test_client(), "ali"), "Not mine", lang="ar")
    return tina


def test_the_block_history_lists_suggestions_decisions_and_comments(app, people):
    tina = a_day_of_work(app)
    page = tina.get(f"/translate/es/door/history/{ANCHOR}")
    assert page.status_code == 200
    text = parse(page).plain
    assert "Stay calm." in text
    newest_first = [
        "Suggested by Tina: Conserve la calma. Rejected by Rosa on",
        "Comment by Teo: ¿No sería mejor «Conserve la calma»?",
        "Suggested by Tina: Mantenga la calma. Accepted by Rosa on",
    ]
    positions = [text.find(part) for part in newest_first]
    assert -1 not in positions and positions == sorted(positions), text
    assert "Tiene derechos." not in text  # another block
    html = page.get_data(as_text=True)
    assert '<p class="said" lang="es" dir="ltr">Mantenga la calma.</p>' in html
    assert '<p class="said" dir="auto">¿No sería' in html


def test_the_language_history_lists_events_and_links_to_their_blocks(app, people):
    tina = a_day_of_work(app)
    page = tina.get("/translate/es/history")
    assert page.status_code == 200
    text = parse(page).plain
    newest_first = [
        "Saved directly by Rosa: Tiene derechos.",
        "Rosa rejected the suggestion by Tina: Conserve la calma.",
        "Suggested by Tina: Conserve la calma.",
        "Comment by Teo:",
        "Rosa accepted the suggestion by Tina: Mantenga la calma.",
        "Suggested by Tina: Mantenga la calma.",
    ]
    positions = [text.find(part) for part in newest_first]
    assert -1 not in positions and positions == sorted(positions), text
    assert "Not mine" not in text  # a comment in Arabic
    assert "accepted the suggestion by Rosa" not in text  # saved, not accepted
    assert "grant" not in text  # accounts are no document's history
    links = {a["href"] for a in parse(page).find("a")}
    assert f"/translate/es/door/?show=all#{ANCHOR}" in links
    assert f"/translate/es/door/history/{ANCHOR}" in links
    assert (
        "/translate/es/door/?show=all#" + comments.anchor("You have rights.") in links
    )
    # The editor links to it, and the page works under another spelling.
    editor = tina.get("/translate/es/door/").get_data(as_text=True)
    assert 'href="/translate/es/history"' in editor
    assert tina.get("/translate/ES/history").status_code == 301
    assert tina.get("/translate/xx/history").status_code == 404


def test_logged_actions_of_the_language_are_in_its_history(app, people):
    rosa = login(app.test_client(), "rosa")
    response = post(rosa, "/translate/es/door/silence", msgid=MSGID, check="numbers")
    assert response.status_code == 302
    page = parse(rosa.get("/translate/es/history"))
    assert "Rosa: changed the silenced checks (numbers)" in page.plain
    # It links to the block it was about, and that block's history shows it.
    links = {a["href"] for a in page.find("a")}
    assert f"/translate/es/door/?show=all#{ANCHOR}" in links
    assert f"/translate/es/door/history/{ANCHOR}" in links
    block = parse(rosa.get(f"/translate/es/door/history/{ANCHOR}")).plain
    assert "Rosa: changed the silenced checks (numbers)" in block
    other = comments.anchor("You have rights.")
    assert (
        "silenced" not in parse(rosa.get(f"/translate/es/door/history/{other}")).plain
    )


def test_an_unknown_block_has_no_history(app, people):
    tina = login(app.test_client(), "tina")
    assert tina.get("/translate/es/door/history/b-0000000000").status_code == 404
    assert tina.get("/translate/es/door/history/stay-calm").status_code == 404
    assert tina.get("/translate/es/nodoc/history/" + ANCHOR).status_code == 404
    assert tina.get(f"/translate/es/door/history/{ANCHOR}").status_code == 200


def test_a_block_with_a_context_shows_its_english_and_context(app, people):
    from reader.catalogs import CONTEXT
    from reader.contrib import views

    with app.test_request_context():
        keys = [k for k in views.msgids("messages") if CONTEXT in k]
    if not keys:
        pytest.skip("the interface has no message with a context yet")
    context, _, english = keys[0].partition(CONTEXT)
    tina = login(app.test_client(), "tina")
    page = tina.get(f"/translate/es/messages/history/{comments.anchor(keys[0])}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert CONTEXT not in html
    assert f'<p class="source" lang="en" dir="ltr">{english}</p>' in html
    assert f"Context: {context}" in parse(page).plain
