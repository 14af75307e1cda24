"""The translator web: roles, CSRF, sessions, concurrent accepts, uploads, XSS."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading

import pytest
from conftest import site_app
from helpers import parse

from reader.contrib import db as dbmod
from reader.contrib import users

PASSWORD = "correct horse battery"


@pytest.fixture
def app(site, tmp_path, extracted):
    """An app over the test site, extracted and updated like a real checkout."""
    shutil.rmtree(site / "translations")
    shutil.copytree(extracted, site / "translations")
    return site_app(
        site, TRANSLATOR_DB=str(tmp_path / "db" / "t.sqlite3"), SECRET_KEY="test"
    )


@pytest.fixture
def people(app):
    """Create translators (es, ar) and reviewers (es, fr, ar); return their ids."""
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    made = {}
    for name, role, lang in [
        ("tina", "translator", "es"),
        ("rosa", "reviewer", "es"),
        ("remy", "reviewer", "fr"),
        ("ali", "translator", "ar"),
        ("amal", "reviewer", "ar"),
    ]:
        user_id = users.create_user(db, name, name.title())
        users.grant(db, user_id, role, lang)
        users.set_password(db, user_id, PASSWORD)
        made[name] = user_id
    db.close()
    return made


def csrf_of(page) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True)).group(
        1
    )


def login(client, name: str):
    token = csrf_of(client.get("/translate/login"))
    response = client.post(
        "/translate/login", data={"csrf": token, "username": name, "password": PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def suggest(client, lang, domain, msgid, text):
    token = csrf_of(client.get("/translate/"))
    return client.post(
        f"/translate/{lang}/{domain}/suggest",
        data={"csrf": token, "msgid": msgid, "text": text},
    )


def pending_ids(app) -> list[int]:
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    ids = [
        r[0] for r in db.execute("SELECT id FROM suggestions WHERE status='pending'")
    ]
    db.close()
    return ids


def decide(client, suggestion_id, decision="accept"):
    token = csrf_of(client.get("/translate/"))
    return client.post(
        f"/translate/suggestions/{suggestion_id}/{decision}", data={"csrf": token}
    )


def test_dashboard_shows_the_same_numbers_as_status(client, runner, people):
    page = parse(client.get("/translate/"))
    import json

    rows = json.loads(
        runner.invoke(args=["translate", "status", "--format", "json", "es"]).output
    )
    door = next(r for r in rows if r["document"] == "door")
    assert f"{door['percent']}% done" in page.plain
    assert page.find("a", href="/translate/es/door/")


def test_only_reviewers_of_the_language_accept(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = po.read_bytes()
    tina = login(app.test_client(), "tina")
    assert (
        suggest(tina, "es", "door", "Stay calm.", "Mantenga la calma.").status_code
        == 302
    )
    [sid] = pending_ids(app)
    assert decide(tina, sid).status_code == 403  # a translator
    assert decide(login(app.test_client(), "remy"), sid).status_code == 403  # fr only
    assert po.read_bytes() == before and pending_ids(app) == [sid]
    assert decide(login(app.test_client(), "rosa"), sid).status_code == 302
    assert 'msgstr "Mantenga la calma."' in po.read_text("utf-8")


def test_a_translator_works_only_in_their_languages(app, people):
    tina = login(app.test_client(), "tina")
    assert tina.get("/translate/ar/door/").status_code == 403
    assert suggest(
        login(app.test_client(), "ali"), "es", "door", "Stay calm.", "x"
    ).status_code in (400, 403)


def test_signed_out_nothing_can_be_written(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = po.read_bytes()
    client = app.test_client()
    client.get("/translate/login")  # a session with a CSRF token, but no user
    token = csrf_of(client.get("/translate/login"))
    for path in (
        "/translate/es/door/suggest",
        "/translate/suggestions/1/accept",
        "/translate/es/door/review",
        "/translate/es/door/upload",
    ):
        response = client.post(
            path, data={"csrf": token, "msgid": "Stay calm.", "text": "x"}
        )
        assert response.status_code == 302 and "/translate/login" in response.location
    assert client.get("/translate/es/door/").status_code == 302
    assert po.read_bytes() == before and pending_ids(app) == []


def test_forms_without_csrf_token_are_refused(app, site, people):
    tina = login(app.test_client(), "tina")
    response = tina.post(
        "/translate/es/door/suggest", data={"msgid": "Stay calm.", "text": "Calma."}
    )
    assert response.status_code == 400
    response = tina.post(
        "/translate/es/door/suggest",
        data={"csrf": "forged", "msgid": "Stay calm.", "text": "Calma."},
    )
    assert response.status_code == 400
    assert pending_ids(app) == []
    anon = app.test_client()
    assert (
        anon.post(
            "/translate/login", data={"username": "tina", "password": PASSWORD}
        ).status_code
        == 400
    )


def test_twenty_concurrent_accepts_lose_nothing(app, site, people, runner):
    runner.invoke(args=["translate", "extract"])
    runner.invoke(args=["translate", "update"])
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    # 20 pending suggestions for 20 different messages (add them to the doc).
    doc = site / "content" / "door.md"
    doc.write_text(
        doc.read_text("utf-8")
        + "".join(f"\nLine number {i} here.\n" for i in range(20)),
        "utf-8",
    )
    runner.invoke(args=["translate", "extract"])
    runner.invoke(args=["translate", "update"])
    tina = login(app.test_client(), "tina")
    for i in range(20):
        assert (
            suggest(
                tina, "es", "door", f"Line number {i} here.", f"Línea número {i} aquí."
            ).status_code
            == 302
        )
    ids = pending_ids(app)
    assert len(ids) == 20
    reviewers = [login(app.test_client(), "rosa") for _ in ids]
    tokens = [csrf_of(c.get("/translate/")) for c in reviewers]
    statuses = []
    barrier = threading.Barrier(len(ids))

    def accept(client, token, sid):
        barrier.wait(timeout=30)
        statuses.append(
            client.post(
                f"/translate/suggestions/{sid}/accept", data={"csrf": token}
            ).status_code
        )

    threads = [
        threading.Thread(target=accept, args=args)
        for args in zip(reviewers, tokens, ids, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [302] * 20
    text = po.read_text("utf-8")
    for i in range(20):
        assert f'msgstr "Línea número {i} aquí."' in text
    assert "Tina, " in text  # credited in the header
    if shutil.which("msgfmt"):
        subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po)], check=True
        )
    assert not list(po.parent.glob("*.tmp"))


def upload(client, lang, domain, data: bytes, name="door.po"):
    import io

    token = csrf_of(client.get(f"/translate/{lang}/{domain}/?show=all"))
    return client.post(
        f"/translate/{lang}/{domain}/upload",
        data={"csrf": token, "po": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'msgid "Stay calm."\nmsgstr "Calma\n', "door.po:2"),
        (b"\xff\xfe not a po file", "not UTF-8"),
        (b'msgid "Ask for a **warrant**."\nmsgstr "Pida <b>orden</b>."\n', "raw HTML"),
        (b'msgid "Nothing like this"\nmsgstr "Nada"\n', "no new or changed"),
    ],
)
def test_malformed_upload_is_explained_and_writes_nothing(
    app, site, people, data, words
):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = po.read_bytes()
    page = upload(login(app.test_client(), "rosa"), "es", "door", data)
    assert "Nothing was saved" in page.get_data(as_text=True)
    assert words in page.get_data(as_text=True)
    assert po.read_bytes() == before and pending_ids(app) == []


def test_upload_applies_for_reviewers_and_suggests_for_translators(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    good = b'msgid "Stay calm."\nmsgstr "Mantenga la calma."\n'
    upload(login(app.test_client(), "tina"), "es", "door", good)
    assert len(pending_ids(app)) == 1 and "Mantenga la calma" not in po.read_text(
        "utf-8"
    )
    upload(login(app.test_client(), "rosa"), "es", "door", good)
    assert 'msgstr "Mantenga la calma."' in po.read_text("utf-8")


def test_download_the_current_po(app, people):
    response = login(app.test_client(), "tina").get("/translate/es/door.po")
    assert response.status_code == 200
    assert b'msgstr "En la puerta"' in response.data


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
    ],
)
def test_hostile_suggestions_are_refused(app, people, payload):
    response = suggest(
        login(app.test_client(), "tina"), "es", "door", "Stay calm.", payload
    )
    assert response.status_code == 302 and pending_ids(app) == []


def test_stored_xss_is_inert_where_shown_and_never_accepted(app, site, people):
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    db.execute(
        "INSERT INTO suggestions (lang, domain, msgid, text, author_id) "
        "VALUES ('es', 'door', 'Stay calm.', ?, ?)",
        (payload, people["tina"]),
    )
    db.close()
    rosa = login(app.test_client(), "rosa")
    html = rosa.get("/translate/es/door/").get_data(as_text=True)
    assert "&lt;img src=x onerror=" in html and "<img" not in html
    assert "<script>alert" not in html
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = po.read_bytes()
    [sid] = pending_ids(app)
    decide(rosa, sid)
    assert po.read_bytes() == before


def test_invited_translator_suggests_and_reader_shows_accepted(app, site):
    app.config["PUBLIC_BASE_URL"] = "https://translate.example.org/"
    runner = app.test_cli_runner()
    out = runner.invoke(
        args=["users", "invite", "nora", "--name", "Nora Q.", "--lang", "es"]
    ).output
    link = re.search(r"https?://\S+/translate/invite/\S+", out).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    runner.invoke(args=["users", "invite", "rev", "--role", "reviewer", "--lang", "es"])
    nora = app.test_client()
    token = csrf_of(nora.get("/" + path))
    assert (
        nora.post(
            "/" + path, data={"csrf": token, "password": PASSWORD, "again": PASSWORD}
        ).status_code
        == 302
    )
    assert nora.get("/" + path).status_code == 404  # the link works once
    assert (
        suggest(nora, "es", "door", "Stay calm.", "Mantenga la calma.").status_code
        == 302
    )
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    rev_id = users.find_user_id(db, "rev")
    users.set_password(db, rev_id, PASSWORD)
    db.close()
    reader = app.test_client()
    assert "Mantenga la calma." not in parse(reader.get("/es/door/")).plain
    [sid] = pending_ids(app)
    assert decide(login(app.test_client(), "rev"), sid).status_code == 302
    assert "Mantenga la calma." in parse(reader.get("/es/door/")).plain
    assert "Nora Q." in parse(reader.get("/es/credits/")).plain


def test_login_attempts_are_limited(app, people):
    client = app.test_client()
    for _ in range(users.MAX_FAILURES):
        token = csrf_of(client.get("/translate/login"))
        assert (
            client.post(
                "/translate/login",
                data={"csrf": token, "username": "tina", "password": "wrong"},
            ).status_code
            == 401
        )
    token = csrf_of(client.get("/translate/login"))
    response = client.post(
        "/translate/login",
        data={"csrf": token, "username": "tina", "password": PASSWORD},
    )
    assert response.status_code == 429


def test_session_cookie_flags_and_no_cookie_for_readers(app, people):
    client = app.test_client()
    cookie = client.get("/translate/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client().get("/translate/login", base_url="https://example.org")
    assert "Secure" in secure.headers["Set-Cookie"]
    login(client, "tina")
    assert "Set-Cookie" not in client.get("/es/door/").headers
    assert "no-store" in client.get("/translate/").headers["Cache-Control"]


def test_migrations_bring_an_old_database_up_to_date(tmp_path):
    path = tmp_path / "old.sqlite3"
    import sqlite3

    sqlite3.connect(path).close()  # version 0, no tables
    db = dbmod.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(dbmod.MIGRATIONS)
    assert db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0] == 0
    db.close()
    dbmod.connect(path).close()  # again: nothing to do, no error


def test_users_cli_grant_revoke_list(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "invite", "kim", "--lang", "ko"])
    assert "kim: translator:ko" in runner.invoke(args=["users", "list"]).output
    runner.invoke(args=["users", "grant", "kim", "reviewer", "ko"])
    runner.invoke(args=["users", "revoke", "kim", "translator", "ko"])
    assert "kim: reviewer:ko" in runner.invoke(args=["users", "list"]).output
    bad = runner.invoke(args=["users", "grant", "nobody", "reviewer", "ko"])
    assert bad.exit_code != 0 and "no user" in bad.output


def silence(client, lang, domain, msgid, checks):
    token = csrf_of(client.get("/translate/"))
    return client.post(
        f"/translate/{lang}/{domain}/silence",
        data={"csrf": token, "msgid": msgid, "check": checks},
    )


def test_only_a_reviewer_silences_a_check(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = po.read_bytes()
    tina = login(app.test_client(), "tina")
    assert silence(tina, "es", "door", "Stay calm.", ["numbers"]).status_code == 403
    remy = login(app.test_client(), "remy")  # a reviewer, of French only
    assert silence(remy, "es", "door", "Stay calm.", ["numbers"]).status_code == 403
    assert po.read_bytes() == before
    # A translator sees no form for it.
    assert "Checks silenced for this text" not in tina.get(
        "/translate/es/door/?show=all"
    ).get_data(as_text=True)
    rosa = login(app.test_client(), "rosa")
    assert "Checks silenced for this text" in rosa.get(
        "/translate/es/door/?show=all"
    ).get_data(as_text=True)
    assert silence(rosa, "es", "door", "Stay calm.", ["numbers"]).status_code == 302
    assert "ignore-numbers" in po.read_text("utf-8")
    # Now a translator may suggest a text whose numbers differ, for this one.
    assert (
        suggest(tina, "es", "door", "Stay calm.", "Calma: 1 minuto.").status_code == 302
    )
    assert len(pending_ids(app)) == 1
    # Elsewhere, a changed number is refused.
    suggest(tina, "es", "door", "You have rights.", "Tiene 3 derechos.")
    assert len(pending_ids(app)) == 1
    assert silence(rosa, "es", "door", "Stay calm.", []).status_code == 302
    assert "ignore-numbers" not in po.read_text("utf-8")


def test_flags_in_an_uploaded_file_are_ignored(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    flagged = b'#, ignore-numbers\nmsgid "Stay calm."\nmsgstr "Calma: 1 minuto."\n'
    page = upload(login(app.test_client(), "rosa"), "es", "door", flagged)
    assert "numbers differ from the English" in page.get_data(as_text=True)
    assert "Calma: 1 minuto." not in po.read_text("utf-8")
    assert "ignore-numbers" not in po.read_text("utf-8")


def test_the_editor_shows_what_changed_since_the_translation(app, site, people):
    page = login(app.test_client(), "tina").get("/translate/es/door/?show=all")
    html = page.get_data(as_text=True)
    assert "<del>shut.</del> <ins>closed.</ins>" in html


def test_the_editor_offers_what_other_documents_already_say(app, site, people):
    # The card translates "Stay calm."; the door has it too, not translated yet.
    door = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = door.read_bytes()
    client = login(app.test_client(), "tina")
    page = client.get("/translate/es/door/").get_data(as_text=True)
    block = page[page.index("Stay calm.") :]
    block = block[: block.index("</article>")]
    assert "Already translated in other documents:" in block
    assert "Mantenga la calma." in block and "100% the same English, in Card" in block
    assert "Suggest 1 match" in page  # the one action for every exact match
    token = csrf_of(client.get("/translate/"))
    response = client.post("/translate/es/door/fill", data={"csrf": token})
    assert response.status_code == 302
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    rows = db.execute(
        "SELECT msgid, text FROM suggestions WHERE status='pending' AND domain='door'"
    ).fetchall()
    db.close()
    assert [tuple(r) for r in rows] == [("Stay calm.", "Mantenga la calma.")]
    # Offered, never applied: the catalog is as it was until a reviewer accepts.
    assert door.read_bytes() == before
    again = client.get("/translate/es/door/").get_data(as_text=True)
    assert "Suggest 1 match" not in again  # it waits for a reviewer now


def article_of(html: str, text: str) -> str:
    """Return the editor's block that holds ``text``."""
    start = html.rindex("<article", 0, html.index(text))
    return html[start : html.index("</article>", start)]


def test_a_fuzzy_block_comes_filled_with_one_click_still_correct(app, people):
    client = login(app.test_client(), "tina")
    html = client.get("/translate/es/door/").get_data(as_text=True)
    block = article_of(html, "<del>shut.</del>")
    old = re.search(
        r'name="text" value="([^"]+)">\s*<button[^>]*>[^/]*Still correct', block
    )
    assert old, block
    # The box holds the old translation, to correct rather than retype.
    assert f">{old.group(1)}</textarea>" in block
    anchor = re.search(r'<article [^>]*id="(b-[0-9a-f]{10})"', block).group(1)
    token = csrf_of(client.get("/translate/"))
    msgid = re.search(r'name="msgid" value="([^"]+)"', block).group(1)
    response = client.post(
        "/translate/es/door/suggest",
        data={"csrf": token, "msgid": msgid, "text": old.group(1), "at": anchor},
    )
    # Back to the same block, not the top of the page.
    assert response.headers["Location"].endswith(f"#{anchor}")


def test_save_and_next_moves_to_the_following_block(app, people):
    client = login(app.test_client(), "tina")
    html = client.get("/translate/es/door/?show=all").get_data(as_text=True)
    anchors = re.findall(r'<article [^>]*id="(b-[0-9a-f]{10})"', html)
    first = html[html.index(f'id="{anchors[0]}"') :]
    msgid = re.search(r'name="msgid" value="([^"]+)"', first).group(1)
    assert f'name="next" value="{anchors[1]}"' in first.split("</article>")[0]
    token = csrf_of(client.get("/translate/"))
    response = client.post(
        "/translate/es/door/suggest",
        data={"csrf": token, "msgid": msgid, "text": "Algo nuevo.", "show": "all",
              "at": anchors[0], "next": anchors[1], "go": "next"},
    )  # fmt: skip
    assert response.headers["Location"].endswith(f"#{anchors[1]}")
    # A forged anchor is dropped, never written into the Location header.
    forged = "x\r\nSet-Cookie: a"
    response = client.post(
        "/translate/es/door/suggest",
        data={"csrf": token, "msgid": msgid, "text": "Otra.", "at": forged},
    )
    assert "#" not in response.headers["Location"]
