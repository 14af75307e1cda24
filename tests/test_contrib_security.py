"""The translator web under attack: stolen cookies, races, timing, leaks,
hostile redirects, huge bodies, made-up hosts and unsafe translations."""

from __future__ import annotations

import io
import re
import threading
from urllib.parse import urlsplit

import pytest
import test_contrib
from test_contrib import (
    PASSWORD,
    csrf_of,
    login,
    pending_ids,
    suggest,
    upload,
)
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from reader.catalogs import parse_po
from reader.contrib import db as dbmod
from reader.contrib import security, suggestions, users
from reader.pofile import edit_po
from reader.translate.workflow import Project

EDITOR = "/translate/es/door/"
# The same fixtures: a test site, extracted and updated, and its people.
app, people = test_contrib.app, test_contrib.people


def copy_of(client, app):
    """Return a second client holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


# 1. Sign-ins can be ended.


def test_a_copied_cookie_is_signed_out_by_logout(app, people):
    tina = login(app.test_client(), "tina")
    thief = copy_of(tina, app)
    assert thief.get(EDITOR).status_code == 200
    tina.post("/translate/logout", data={"csrf": csrf_of(tina.get("/translate/"))})
    response = thief.get(EDITOR)
    assert response.status_code == 302 and "/translate/login" in response.location
    assert login(app.test_client(), "tina").get(EDITOR).status_code == 200


def new_password(app, user_id):
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    users.set_password(db, user_id, "a brand new password")
    db.close()


@pytest.mark.parametrize(
    "end",
    [
        lambda app, people: app.test_cli_runner().invoke(
            args=["users", "reinvite", "tina"]
        ),
        lambda app, people: app.test_cli_runner().invoke(
            args=["users", "revoke", "tina", "translator", "ar"]
        ),
        lambda app, people: new_password(app, people["tina"]),
    ],
    ids=["reinvite", "revoke", "new password"],
)
def test_a_copied_cookie_dies_with_a_reset_or_revoke(app, people, end):
    tina = login(app.test_client(), "tina")
    thief = copy_of(tina, app)
    end(app, people)
    for client in (tina, thief):
        assert client.get(EDITOR).status_code == 302


def test_a_reset_also_forgets_the_old_password(app, people):
    app.test_cli_runner().invoke(args=["users", "reinvite", "tina"])
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    assert users.authenticate(db, "tina", PASSWORD) is None
    db.close()


# 2. Accept and reject race: exactly one wins.


def test_accept_and_reject_at_once_leave_one_true_decision(app, site, people):
    path = app.config["TRANSLATOR_DB"]
    db = dbmod.connect(path)
    rosa = users.get_user(db, people["rosa"])
    project = Project.from_app(app)
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    rounds = 20
    for n in range(rounds):
        text = f"Mantenga la calma, vez {n}."
        sid = db.execute(
            "INSERT INTO suggestions (lang, domain, msgid, text, author_id) "
            "VALUES ('es', 'door', 'Stay calm.', ?, ?)",
            (text, people["tina"]),
        ).lastrowid
        barrier = threading.Barrier(2)
        outcome: dict[bool, str] = {}

        def decide(accept: bool, sid=sid, barrier=barrier, outcome=outcome):
            conn = dbmod.connect(path)
            with app.test_request_context():
                barrier.wait(timeout=30)
                try:
                    suggestions.decide(conn, project, rosa, sid, accept)
                    outcome[accept] = "won"
                except suggestions.SuggestionError:
                    outcome[accept] = "lost"
            conn.close()

        threads = [threading.Thread(target=decide, args=(a,)) for a in (True, False)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcome.values()) == ["lost", "won"], n
        status = db.execute(
            "SELECT status FROM suggestions WHERE id = ?", (sid,)
        ).fetchone()[0]
        assert status == ("accepted" if outcome[True] == "won" else "rejected")
        live = parse_po(po.read_bytes(), "door.po").get("Stay calm.").string == text
        assert live == (status == "accepted"), n
    decisions = db.execute(
        "SELECT detail, COUNT(*) FROM history WHERE action IN ('accept', 'reject') "
        "GROUP BY detail"
    ).fetchall()
    assert len(decisions) == rounds and all(row[1] == 1 for row in decisions)
    db.close()


# 3. Login costs the same for every name.


def test_login_hashes_exactly_once_whoever_the_name_is(app, people, monkeypatch):
    calls = []
    real = users.check_password_hash

    def counting(hashed: str, password: str) -> bool:
        calls.append(hashed)
        return real(hashed, password)

    monkeypatch.setattr(users, "check_password_hash", counting)
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    users.create_user(db, "nopass")
    for name, password, ok in [
        ("nobody-here", "whatever it is", False),
        ("nopass", "whatever it is", False),
        ("tina", "wrong password", False),
        ("tina", PASSWORD, True),
    ]:
        calls.clear()
        assert (users.authenticate(db, name, password) is not None) == ok
        assert len(calls) == 1, name
    db.close()


# 4. .po downloads: translators of the language only, without addresses.


def test_po_download_needs_a_translator_of_the_language(app, people):
    anon = app.test_client().get("/translate/es/door.po")
    assert anon.status_code == 302 and "/translate/login" in anon.location
    tina = login(app.test_client(), "tina")
    assert tina.get("/translate/es/door.po").status_code == 200
    assert tina.get("/translate/ar/door.po").status_code == 403
    amal = login(app.test_client(), "amal")
    assert amal.get("/translate/ar/door.po").status_code == 200
    assert amal.get("/translate/es/door.po").status_code == 403


def test_po_download_leaves_out_email_addresses(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"

    def add_people(catalog):
        catalog.header_comment = (
            "# Spanish translation.\n"
            "# Tina Tester <tina@example.org>, 2024.\n"
            "# rosa.r+po@mail.example.net, 2025."
        )
        catalog.last_translator = "Tina Tester <tina@example.org>"
        catalog.language_team = "Spanish <es-team@example.org>"

    edit_po(po, "es", add_people)
    before = po.read_bytes()
    data = login(app.test_client(), "tina").get("/translate/es/door.po").data
    text = data.decode("utf-8")
    for address in ("tina@example.org", "rosa.r+po@mail.example.net", "es-team@"):
        assert address not in text
    assert "# Tina Tester, 2024." in text
    assert '"Last-Translator: Tina Tester\\n"' in text
    assert '"Language-Team: Spanish\\n"' in text
    catalog = parse_po(data, "door.po", "es")
    assert catalog.get("At the door").string == "En la puerta"
    assert po.read_bytes() == before  # the file on disk keeps them


# 5. The login's next parameter only leads to our own pages.

HOSTILE_NEXT = [
    "\r\nSet-Cookie: pwned=1",
    "/translate/\r\nSet-Cookie: pwned=1",
    "/translate/es/door/\nLocation: https://evil.example/",
    "/translate/\x00",
    "/translate/\t/x",
    "/translate/\x7f",
    "/translate/\u2028",
    "/translate/\u202e",
    "//evil.example/translate/",
    "///evil.example/translate/",
    "/\\evil.example/translate/",
    "\\\\evil.example",
    "/translate/..//evil.example",
    "/translate/\\..\\evil.example",
    "https://evil.example/translate/",
    "http:/translate/",
    "javascript:alert(1)",
    " /translate/",
    "",
]


@pytest.mark.parametrize("value", HOSTILE_NEXT)
def test_login_next_is_always_a_local_page(app, people, value):
    client = app.test_client()
    token = csrf_of(client.get("/translate/login"))
    response = client.post(
        "/translate/login",
        query_string={"next": value},
        data={"csrf": token, "username": "tina", "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc
    assert location.startswith("/translate/") and "\\" not in location
    assert "//" not in location and re.fullmatch(r"[\x21-\x7e]+", location)


def test_login_next_keeps_a_local_page(app, people):
    client = app.test_client()
    token = csrf_of(client.get("/translate/login"))
    response = client.post(
        "/translate/login",
        query_string={"next": "/translate/es/door/?show=all"},
        data={"csrf": token, "username": "tina", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/translate/es/door/?show=all"


def test_a_failed_decision_never_follows_the_referer(app, people):
    rosa = login(app.test_client(), "rosa")
    token = csrf_of(rosa.get("/translate/"))
    evil = {"Referer": "https://evil.example/translate/"}
    missing = rosa.post(
        "/translate/suggestions/99/accept", data={"csrf": token}, headers=evil
    )
    assert missing.status_code == 302 and missing.location == "/translate/"
    suggest(login(app.test_client(), "tina"), "es", "door", "Stay calm.", "Calma.")
    [sid] = pending_ids(app)
    for _ in range(2):  # the second time, someone already decided
        again = rosa.post(
            f"/translate/suggestions/{sid}/reject", data={"csrf": token}, headers=evil
        )
        assert again.status_code == 302 and again.location.startswith(EDITOR)


def test_odd_tokens_and_ids_are_refused_not_a_crash(app, people):
    anon = app.test_client()
    anon.get("/translate/login")
    form = {"csrf": "\x80é", "username": "tina", "password": PASSWORD}
    assert anon.post("/translate/login", data=form).status_code == 400
    rosa = login(app.test_client(), "rosa")
    token = csrf_of(rosa.get("/translate/"))
    huge = rosa.post(f"/translate/suggestions/{2**63}/accept", data={"csrf": token})
    assert huge.status_code == 404


# 6. Request bodies: nobody's form is read before its size and sender are known.


class Body(io.BytesIO):
    """A request body that remembers whether anything read it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return super().read(*args)

    def readinto(self, *args):
        self.reads += 1
        return super().readinto(*args)

    def readline(self, *args):
        self.reads += 1
        return super().readline(*args)


@pytest.mark.parametrize(
    "path",
    [
        "/translate/es/door/suggest",
        "/translate/suggestions/1/accept",
        "/translate/es/door/review",
        "/translate/es/door/upload",
        "/translate/logout",
    ],
)
def test_a_strangers_big_post_is_refused_unread(app, people, path):
    client = app.test_client()
    token = csrf_of(client.get("/translate/login"))
    body = Body(f"csrf={token}&text=".encode() + b"x" * (1 << 20))
    response = client.post(
        path, input_stream=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/translate/login" in response.location
    assert body.reads == 0


def test_oversize_bodies_answer_413_on_every_route(app, people):
    anon = app.test_client()
    token = csrf_of(anon.get("/translate/login"))
    padding = "x" * (security.SMALL_FORM_BYTES + 1)
    assert (
        anon.post(
            "/translate/login", data={"csrf": token, "username": padding}
        ).status_code
        == 413
    )
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    invite = users.invite(db, users.create_user(db, "nora"))
    db.close()
    assert (
        anon.post(
            f"/translate/invite/{invite}", data={"csrf": token, "password": padding}
        ).status_code
        == 413
    )
    rosa = login(app.test_client(), "rosa")
    token = csrf_of(rosa.get("/translate/"))
    big = "x" * (security.FORM_BYTES + 1)
    for path in (
        "/translate/es/door/suggest",
        "/translate/suggestions/1/accept",
        "/translate/es/door/review",
    ):
        response = rosa.post(path, data={"csrf": token, "msgid": "x", "text": big})
        assert response.status_code == 413, path
    huge = security.body_limit(app, "contrib.upload") + 1
    assert post_file(rosa, token, b"x" * huge).status_code == 413
    # Just over the upload limit, within the margin: explained, not refused.
    page = post_file(rosa, token, b"#" * (app.config["MAX_UPLOAD_BYTES"] + 1))
    assert page.status_code == 200 and "too large" in page.get_data(as_text=True)


def post_file(client, token: str, data: bytes):
    """Upload ``data`` as door.po, the multipart body built in memory."""
    # The test client would spool a big body to a temporary file it never closes.
    boundary, body = encode_multipart(
        {"csrf": token, "po": FileStorage(io.BytesIO(data), "door.po")}
    )
    return client.post(
        "/translate/es/door/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow_redirects=True,
    )


def test_the_longest_suggestion_fits_the_form_limit(app, people):
    text = "\U0001f600" * suggestions.MAX_LENGTH  # 4 bytes each in UTF-8
    msgid = "Stay calm."
    response = suggest(login(app.test_client(), "tina"), "es", "door", msgid, text)
    assert response.status_code == 302 and len(pending_ids(app)) == 1


# 7. Invite links never point at a made-up host.


@pytest.mark.parametrize("command", [["invite", "nora", "--lang", "es"], ["reinvite"]])
def test_invite_without_public_base_url_prints_the_path_and_what_to_set(
    app, people, command
):
    app.config["PUBLIC_BASE_URL"] = None
    if command == ["reinvite"]:
        command = ["reinvite", "tina"]
    result = app.test_cli_runner().invoke(args=["users", *command])
    assert result.exit_code == 0, result.output
    assert "http" not in result.stdout.replace("https://your.site/", "")
    path = re.search(r"^(/translate/invite/\S+)$", result.stdout, re.M).group(1)
    assert "READER_PUBLIC_BASE_URL is unset" in result.output
    assert (
        f"READER_PUBLIC_BASE_URL=https://your.site/ flask --app reader users "
        f"reinvite {command[1]}" in result.output
    )
    assert app.test_client().get(path).status_code == 200


@pytest.mark.parametrize(
    "base", ["https://translate.example.org/", "https://example.org/reader/"]
)
def test_invite_link_is_on_the_public_base_url(app, base):
    app.config["PUBLIC_BASE_URL"] = base
    result = app.test_cli_runner().invoke(
        args=["users", "invite", "nora", "--lang", "es"]
    )
    assert re.search(
        rf"^{re.escape(base)}translate/invite/[\w-]+$", result.output, re.M
    ), result.output
    assert "unset" not in result.output


# 8. Translations that would break a page or hide their direction are refused.


def flashed(client) -> str:
    return client.get(EDITOR + "?show=all").get_data(as_text=True)


def test_an_interface_suggestion_must_survive_formatting(app, people):
    tina = login(app.test_client(), "tina")
    response = suggest(tina, "es", "messages", "Sign in", "Entre al cincuenta % más")
    assert response.status_code == 302 and pending_ids(app) == []
    assert "Not saved" in flashed(tina) and "%" in flashed(tina)
    # A document is never %-formatted: a percent sign is just text there.
    assert suggest(tina, "es", "door", "Stay calm.", "Calma al cincuenta % más.")
    assert len(pending_ids(app)) == 1


@pytest.mark.parametrize(
    "domain, msgid", [("door", "Stay calm."), ("messages", "Sign in")]
)
def test_a_suggestion_with_a_bidi_override_is_refused(app, people, domain, msgid):
    tina = login(app.test_client(), "tina")
    assert suggest(tina, "es", domain, msgid, "Calma \u202e.amlac").status_code == 302
    assert pending_ids(app) == []
    assert "Not saved" in flashed(tina)


@pytest.mark.parametrize(
    "where",
    [b"", b"#: content/door.md:1\n"],
    ids=["plain", "claims to be from a document"],
)
def test_an_interface_upload_must_survive_formatting(app, site, people, where):
    po = site / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    before = po.read_bytes()
    page = upload(
        login(app.test_client(), "rosa"),
        "es",
        "messages",
        where + b'msgid "Sign in"\nmsgstr "Entre al cincuenta % m\xc3\xa1s"\n',
        "messages.po",
    )
    assert "Nothing was saved" in page.get_data(as_text=True)
    assert po.read_bytes() == before


def test_a_document_upload_may_hold_a_percent_sign(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    upload(
        login(app.test_client(), "rosa"),
        "es",
        "door",
        b'msgid "Stay calm."\nmsgstr "Calma al cincuenta % m\xc3\xa1s."\n',
    )
    assert 'msgstr "Calma al cincuenta % más."' in po.read_text("utf-8")


def test_accepting_checks_formatting_again(app, site, people):
    po = site / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    before = po.read_bytes()
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    db.execute(
        "INSERT INTO suggestions (lang, domain, msgid, text, author_id) "
        "VALUES ('es', 'messages', 'Sign in', 'Entre al cincuenta % más', ?)",
        (people["tina"],),
    )
    db.close()
    [sid] = pending_ids(app)
    rosa = login(app.test_client(), "rosa")
    rosa.post(
        f"/translate/suggestions/{sid}/accept",
        data={"csrf": csrf_of(rosa.get("/translate/"))},
    )
    assert po.read_bytes() == before and pending_ids(app) == [sid]
