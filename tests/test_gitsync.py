"""Changes go back to the repository: commits with the right author, pushes
queued, retried after a restart, and files changed outside the app left alone."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from conftest import site_app
from helpers import parse
from test_contrib import PASSWORD, csrf_of, decide, login, suggest, upload

from reader.contrib import db as dbmod
from reader.contrib import gitsync, users

NOREPLY = "users.noreply.invalid"


def run(cwd, *args: str) -> str:
    """Run git as a person at the keyboard would (their own identity)."""
    return subprocess.run(
        ["git", "-c", "user.name=Maintainer", "-c", "user.email=m@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(autouse=True)
def plain_git(tmp_path, monkeypatch):
    """Keep this machine's git configuration out of the tests."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def make_app(site, tmp_path, **config):
    return site_app(
        site,
        TRANSLATOR_DB=str(tmp_path / "db" / "t.sqlite3"),
        SECRET_KEY="test",
        TRANSLATIONS_GIT_REMOTE=str(tmp_path / "remote.git"),
        **config,
    )


def catalogs(app):
    """Extract and update the catalogs, as in a real checkout."""
    runner = app.test_cli_runner()
    for step in ("extract", "update"):
        assert runner.invoke(args=["translate", step]).exit_code == 0
    return app


def add_people(app) -> None:
    """Create tina, translator of es, and rosa, its reviewer."""
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    for name, role in [("tina", "translator"), ("rosa", "reviewer")]:
        user_id = users.create_user(db, name, name.title())
        users.grant(db, user_id, role, "es")
        users.set_password(db, user_id, PASSWORD)
    db.close()


@pytest.fixture
def remote(tmp_path):
    """A bare repository the work tree pushes to."""
    run(tmp_path, "init", "--quiet", "--bare", "-b", "main", "remote.git")
    return tmp_path / "remote.git"


@pytest.fixture
def app(site, tmp_path):
    """An app over a site whose translations are committed in a work tree."""
    app = catalogs(make_app(site, tmp_path))
    run(site, "init", "--quiet", "-b", "main")
    (site / ".gitignore").write_text("db/\nremote.git/\n.*.lock\n")
    run(site, "add", "content", "translations", ".gitignore")
    run(site, "commit", "--quiet", "-m", "Catalogs")
    add_people(app)
    return app


def log(cwd, *args: str) -> list[str]:
    """Return each commit as git log shows its author and message, newest first."""
    out = run(cwd, "log", "--format=%an <%ae>%n%B%x00", *args)
    return [c.strip() for c in out.split("\0") if c.strip()]


def accept(app, text="Mantenga la calma."):
    """Let tina suggest a translation and rosa accept it; return rosa's client."""
    tina = login(app.test_client(), "tina")
    assert suggest(tina, "es", "door", "Stay calm.", text).status_code == 302
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    [sid] = [r[0] for r in db.execute("SELECT id FROM suggestions")]
    db.close()
    rosa = login(app.test_client(), "rosa")
    assert decide(rosa, sid).status_code == 302
    return rosa


def queue(app) -> gitsync.Queue:
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    try:
        return gitsync.waiting(db)
    finally:
        db.close()


def drain(app, **kwargs) -> tuple[int, str | None]:
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    try:
        return gitsync.drain(db, gitsync.Settings.from_app(app), **kwargs)
    finally:
        db.close()


def test_an_accepted_suggestion_is_committed_as_its_translator(app, site, remote):
    accept(app)
    newest, *older = log(site)
    assert newest.splitlines() == [
        f"Tina <tina@{NOREPLY}>",
        "Translate door into es: 1 string",
        "",
        f"Reviewed-by: Rosa <rosa@{NOREPLY}>",
    ]
    assert len(older) == 1
    committer = run(site, "log", "-1", "--format=%cn <%ce>")
    assert committer.strip() == f"Rights Reader <noreply@{NOREPLY}>"
    # Only the catalog the app wrote; nothing is left uncommitted.
    changed = run(site, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["translations/es/LC_MESSAGES/door.po"]
    assert run(site, "status", "--porcelain", "--", "translations/es/LC_MESSAGES") == ""
    assert "Mantenga la calma." in run(site, "show", "HEAD:" + changed[0])


def test_a_reviewers_own_upload_is_committed_under_their_published_address(
    app, site, remote
):
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    users.set_public_email(db, users.find_user_id(db, "rosa"), "rosa@example.org")
    db.close()
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    text = po.read_text("utf-8").replace(
        'msgid "Stay calm."\nmsgstr ""', 'msgid "Stay calm."\nmsgstr "Calma."'
    )
    assert "Calma." in text
    page = upload(login(app.test_client(), "rosa"), "es", "door", text.encode())
    assert "1 translation saved." in parse(page).plain
    [newest, _] = log(site)
    assert newest.splitlines() == [
        "Rosa <rosa@example.org>",
        "Translate door into es: 1 string",
    ]
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    assert db.execute(
        "SELECT COUNT(*) FROM history WHERE action = 'upload applied'"
    ).fetchone()[0]
    db.close()


def test_the_address_is_set_from_the_command_line(app, site, remote):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "address", "tina", "tina@example.org"])
    assert result.exit_code == 0, result.output
    accept(app)
    assert log(site)[0].startswith("Tina <tina@example.org>\n")
    result = runner.invoke(args=["users", "address", "tina"])
    assert f"tina@{NOREPLY}" in result.output
    assert runner.invoke(args=["users", "address", "tina", "no address"]).exit_code


def test_a_file_changed_outside_the_app_is_neither_overwritten_nor_committed(
    app, site, remote
):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    edited = (
        po.read_text("utf-8")
        + '\n#, fuzzy\nmsgid "Edited on the server"\nmsgstr "Editado"\n'
    )
    po.write_text(edited, "utf-8")
    head = run(site, "rev-parse", "HEAD")
    tina = login(app.test_client(), "tina")
    suggest(tina, "es", "door", "Stay calm.", "Mantenga la calma.")
    rosa = login(app.test_client(), "rosa")
    assert decide(rosa, 1).status_code == 302
    notice = parse(rosa.get("/translate/es/door/")).plain
    assert "changed on the server outside this site" in notice
    assert "translations/es/LC_MESSAGES/door.po" in notice
    assert po.read_text("utf-8") == edited
    assert run(site, "rev-parse", "HEAD") == head
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    assert db.execute("SELECT status FROM suggestions").fetchone()[0] == "pending"
    db.close()


def test_a_commit_that_fails_puts_the_file_back(app, site, remote):
    hook = site / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'refused by a hook' >&2\nexit 1\n")
    hook.chmod(0o755)
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = po.read_bytes()
    notice = parse(accept(app).get("/translate/es/door/"))
    assert "refused by a hook" in notice.plain
    assert po.read_bytes() == before
    assert run(site, "status", "--porcelain", "--", "translations/es/LC_MESSAGES") == ""
    assert queue(app).count == 0


def test_a_failed_push_is_retried_after_a_restart(app, site, tmp_path):
    accept(app)  # the remote does not exist yet: the push must fail
    assert drain(app) == (0, queue(app).error)
    waiting = queue(app)
    assert waiting.count == 1 and "remote.git" in waiting.error
    page = parse(login(app.test_client(), "rosa").get("/translate/"))
    assert "1 change waits to be pushed to the repository." in page.plain
    assert waiting.error in page.plain
    tina_page = parse(login(app.test_client(), "tina").get("/translate/"))
    assert "waits to be pushed" not in tina_page.plain

    # A new process over the same database and work tree; the remote is back.
    run(tmp_path, "init", "--quiet", "--bare", "-b", "main", "remote.git")
    again = make_app(site, tmp_path)
    runner = again.test_cli_runner()
    result = runner.invoke(args=["translations", "push"])
    assert "0 commit(s) pushed, 1 waiting" in result.output  # backing off
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=gitsync.backoff(1) + 1)
    assert drain(again, now=later) == (1, None)
    assert queue(again).count == 0
    pushed = log(tmp_path / "remote.git", "main")
    assert pushed[0].startswith(f"Tina <tina@{NOREPLY}>\nTranslate door into es")
    assert run(site, "rev-parse", "HEAD") == run(
        tmp_path / "remote.git", "rev-parse", "main"
    )


def test_the_command_retries_at_once_when_asked(app, site, tmp_path):
    accept(app)
    drain(app)
    run(tmp_path, "init", "--quiet", "--bare", "-b", "main", "remote.git")
    result = app.test_cli_runner().invoke(args=["translations", "push", "--now"])
    assert result.exit_code == 0, result.output
    assert "1 commit(s) pushed, 0 waiting" in result.output
    assert len(log(tmp_path / "remote.git", "main")) == 2


def test_the_push_thread_pushes_outside_the_request(app, site, remote):
    accept(app)
    assert queue(app).count == 1  # tests start no thread by themselves
    job = gitsync.worker(app)
    job.wake()
    job_thread = job.thread
    job_thread.join(timeout=30)
    assert not job_thread.is_alive() and job.thread is None
    assert queue(app).count == 0
    assert len(log(remote, "main")) == 2


def test_one_worker_claims_a_push(app, site, remote):
    accept(app)
    now = dt.datetime.now(dt.UTC)
    first = dbmod.connect(app.config["TRANSLATOR_DB"])
    second = dbmod.connect(app.config["TRANSLATOR_DB"])
    assert len(gitsync.claim(first, now)) == 1
    assert gitsync.claim(second, now) == []
    assert gitsync.claim(second, now + dt.timedelta(seconds=600)) != []  # lease over
    first.close()
    second.close()


def test_git_can_be_turned_off(site, tmp_path, remote):
    app = catalogs(make_app(site, tmp_path, TRANSLATIONS_GIT="off"))
    run(site, "init", "--quiet", "-b", "main")
    add_people(app)
    accept(app)
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    assert "Mantenga la calma." in po.read_text("utf-8")
    assert run(site, "rev-list", "--all") == ""


def test_on_outside_a_work_tree_refuses_to_write(site, tmp_path):
    app = catalogs(make_app(site, tmp_path, TRANSLATIONS_GIT="on"))
    add_people(app)
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    before = po.read_bytes()
    page = parse(accept(app).get("/translate/es/door/"))
    assert "not in git" in page.plain
    assert po.read_bytes() == before


def test_a_reviewers_direct_save_is_committed_as_them_with_no_private_address(
    app, site, remote
):
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    rosa_id = users.find_user_id(db, "rosa")
    db.execute("UPDATE users SET display_name = 'Rosa Ruiz' WHERE id = ?", (rosa_id,))
    db.close()
    rosa = login(app.test_client(), "rosa")
    token = csrf_of(rosa.get("/translate/"))
    response = rosa.post(
        "/translate/es/door/save",
        data={"csrf": token, "msgid": "Stay calm.", "text": "Mantenga la calma."},
    )
    assert response.status_code == 302
    newest, *_ = log(site)
    assert newest.splitlines() == [
        f"Rosa Ruiz <rosa@{NOREPLY}>",
        "Translate door into es: 1 string",
    ]
    assert "Mantenga la calma." in run(
        site, "show", "HEAD:translations/es/LC_MESSAGES/door.po"
    )
    assert queue(app).count == 1


def test_a_user_name_that_is_an_address_is_never_published(app, site, remote):
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    rosa_id = users.find_user_id(db, "rosa")
    db.execute(
        "UPDATE users SET username = 'rosa.ruiz@mail.example' WHERE id = ?", (rosa_id,)
    )
    db.close()
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    text = po.read_text("utf-8").replace(
        'msgid "Stay calm."\nmsgstr ""', 'msgid "Stay calm."\nmsgstr "Calma."'
    )
    client = app.test_client()
    token = csrf_of(client.get("/translate/login"))
    client.post(
        "/translate/login",
        data={
            "csrf": token,
            "username": "rosa.ruiz@mail.example",
            "password": PASSWORD,
        },
    )
    upload(client, "es", "door", text.encode())
    newest, *_ = log(site)
    assert newest.splitlines()[0] == f"Rosa <user-{rosa_id}@{NOREPLY}>"
    assert "mail.example" not in run(site, "log", "--format=%an %ae %cn %ce %B")


def test_a_recorded_review_is_committed_as_its_reviewer(app, site, remote):
    from reader.pofile import load_po

    catalog = load_po(site / "translations/es/LC_MESSAGES/card.po", "es")
    [missing] = [m.id for m in catalog if m.id and not m.string]
    rosa = login(app.test_client(), "rosa")
    token = csrf_of(rosa.get("/translate/"))
    rosa.post(
        "/translate/es/card/save",
        data={"csrf": token, "msgid": missing, "text": "Tarjeta de derechos"},
    )
    response = rosa.post("/translate/es/card/review", data={"csrf": token})
    assert "Review recorded." in parse(rosa.get(response.headers["Location"])).plain
    newest, *_ = log(site)
    assert newest.splitlines() == [
        f"Rosa <rosa@{NOREPLY}>",
        "Record a native speaker's review of card in es",
    ]
    changed = run(site, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["translations/es/reviews.json"]
    assert '"reviewer": "Rosa"' in run(site, "show", "HEAD:" + changed[0])
    assert run(site, "status", "--porcelain", "--", changed[0]) == ""
