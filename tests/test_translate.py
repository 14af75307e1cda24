"""The translator workflow, run as translators run it: flask translate ..."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from helpers import parse

from reader.pofile import load_po, save_po


def run(runner, *args):
    return runner.invoke(args=["translate", *args], catch_exceptions=False)


def translate_all(site, locale: str, domain: str, text: str = "ES: {}") -> None:
    """Fill every untranslated entry of a catalog, as a translator would."""
    path = site / "translations" / locale / "LC_MESSAGES" / f"{domain}.po"
    catalog = load_po(path, locale)
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = text.format(message.id)
            message.flags.discard("fuzzy")
    save_po(path, catalog)


def edit(path, old: str, new: str) -> None:
    path.write_text(
        path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8"
    )


@pytest.fixture
def workflow(runner, site):
    """Extract and update the test site, as a fresh checkout would."""
    assert run(runner, "extract").exit_code == 0
    assert run(runner, "update").exit_code == 0
    return site


def status_of(runner, lang: str, doc: str) -> dict:
    rows = json.loads(run(runner, "status", "--format", "json", lang).output)
    return next(r for r in rows if r["document"] == doc)


def test_changed_paragraph_goes_fuzzy_stale_and_english(runner, client, workflow):
    site = workflow
    translate_all(site, "es", "door")
    result = run(
        runner, "review", "es", "door", "--by", "Ana Pérez", "--date", "2026-11-01"
    )
    assert result.exit_code == 0, result.output
    assert "Reviewed by a native speaker on" in parse(client.get("/es/door/")).plain
    assert status_of(runner, "es", "door")["review"] == "reviewed"

    edit(site / "content" / "door.md", "You have rights.", "You have strong rights.")
    assert run(runner, "extract").exit_code == 0
    assert run(runner, "update").exit_code == 0

    po = (site / "translations" / "es" / "LC_MESSAGES" / "door.po").read_text("utf-8")
    entry = po.split('msgid "You have strong rights."')[0].rsplit("\n\n", 1)[1]
    assert "#, fuzzy" in entry and '#| msgid "You have rights."' in entry
    assert 'msgstr "Usted tiene derechos."' in po  # the old translation is kept

    page = client.get("/es/door/").get_data(as_text=True)
    assert '<p lang="en" dir="ltr" class="untranslated">You have strong rights.' in page
    assert "Usted tiene derechos." not in page
    assert "Changed after a native speaker reviewed it" in page
    row = status_of(runner, "es", "door")
    assert row["fuzzy"] == 1 and row["translated"] == row["messages"] - 1
    assert row["percent"] < 100 and row["review"] == "review stale"


def test_a_review_kept_under_a_documents_old_slug_still_counts(
    monkeypatch, runner, client, workflow
):
    from reader.redirects import REDIRECTS

    site = workflow
    monkeypatch.setitem(REDIRECTS, "old-door", "door")
    translate_all(site, "es", "door")
    assert run(runner, "review", "es", "door", "--by", "Ana").exit_code == 0
    path = site / "translations" / "es" / "reviews.json"
    path.write_text(path.read_text("utf-8").replace('"door"', '"old-door"'), "utf-8")
    assert "Reviewed by a native speaker on" in parse(client.get("/es/door/")).plain
    # The next review written keeps the record under the new slug only.
    translate_all(site, "es", "card")
    assert run(runner, "review", "es", "card", "--by", "Ana").exit_code == 0
    assert sorted(json.loads(path.read_text("utf-8"))) == ["card", "door"]


def test_previous_text_survives_a_second_update_and_msgfmt(runner, workflow):
    site = workflow
    translate_all(site, "es", "door")
    long_old = (
        "You have rights at the door, on the street, in a car, at work and if "
        "you are arrested. These rights are for everyone in the United States."
    )
    long_new = long_old.replace("everyone", "every person")
    edit(site / "content" / "door.md", "You have rights.", long_old)
    run(runner, "extract")
    run(runner, "update")
    translate_all(site, "es", "door")
    edit(site / "content" / "door.md", long_old, long_new)
    for _ in range(2):  # Babel alone forgets #| on the second pass.
        run(runner, "extract")
        run(runner, "update")
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    assert "#| msgid" in po.read_text("utf-8")
    catalog = load_po(po, "es")
    assert catalog.get(long_new).fuzzy
    assert catalog.get(long_new).previous_id == [long_old]
    if shutil.which("msgfmt"):
        subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po)], check=True
        )


def test_update_twice_changes_nothing(runner, workflow):
    site = workflow
    before = {p: p.read_bytes() for p in (site / "translations").rglob("*.po")}
    assert "unchanged" in run(runner, "update").output
    assert before == {p: p.read_bytes() for p in (site / "translations").rglob("*.po")}


def test_syntax_error_is_named_and_the_site_keeps_serving(
    app, runner, client, workflow, caplog
):
    site = workflow
    assert "Usted tiene derechos." in parse(client.get("/es/door/")).plain
    assert run(runner, "compile").exit_code == 0
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    lines = po.read_text("utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if "Usted tiene" in line)
    lines[broken] = 'msgstr "Usted tiene derechos.'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")

    for command in ("check", "compile"):
        result = runner.invoke(args=["translate", command])
        assert result.exit_code != 0
        assert f"door.po:{broken + 1}" in result.output, result.output

    # The running app keeps its last good catalog and logs why; a new app
    # (a restart) serves the last compiled .mo.
    from reader import create_app

    fresh = create_app(dict(app.config)).test_client()
    for c in (client, fresh):
        for path in ("/es/", "/es/door/", "/es/card/", "/en/door/", "/"):
            assert c.get(path).status_code == 200, path
        assert "Usted tiene derechos." in parse(c.get("/es/door/")).plain
    assert any(f"door.po:{broken + 1}" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("domain", "msgid", "bad", "words"),
    [
        (
            "door",
            "Ask for a **warrant**.",
            "Pida una [orden](https://evil.example/).",
            "link targets",
        ),
        (
            "messages",
            "Translated: %(percent)s%%.",
            "Traducido: %(porcentaje)s%%.",
            "placeholders",
        ),
        ("door", "You have rights.", "Usted tiene <b>derechos</b>.", "raw HTML"),
        ("door", "Ask for a **warrant**.", "Pida una **orden.", "bold"),
        ("door", "You have rights.", " Usted tiene derechos.", "whitespace"),
        (
            "messages",
            "Translated: %(percent)s%%.",
            "Traducido: %(percent)s%.",
            "a lone '%'",
        ),
        (
            "door",
            "You have rights.",
            "Usted tiene \u202e0010-555\u202c derechos.",
            "U+202C, U+202E",
        ),
    ],
)
def test_check_names_broken_markdown_and_placeholders(
    runner, workflow, domain, msgid, bad, words
):
    site = workflow
    po = site / "translations" / "es" / "LC_MESSAGES" / f"{domain}.po"
    catalog = load_po(po, "es")
    catalog[msgid].string = bad
    catalog[msgid].flags.discard("fuzzy")
    save_po(po, catalog)
    result = runner.invoke(args=["translate", "check", "es"])
    assert result.exit_code != 0
    line = load_po(po, "es").get(msgid).lineno
    assert f"{domain}.po:{line}: error" in result.output and words in result.output


def test_check_lets_documents_use_a_percent_sign(runner, workflow):
    po = workflow / "translations" / "es" / "LC_MESSAGES" / "door.po"
    catalog = load_po(po, "es")
    catalog["You have rights."].string = "Usted tiene derechos al cien %."
    save_po(po, catalog)
    result = runner.invoke(args=["translate", "check", "es"])
    assert result.exit_code == 0, result.output


def test_check_passes_a_clean_catalog(runner, workflow):
    result = runner.invoke(args=["translate", "check", "es"])
    assert result.exit_code == 0, result.output


def test_link_target_kept_passes_and_dropped_fails(runner, site, workflow):
    edit(
        site / "content" / "plain.md",
        "Only English here.",
        "Only [English](/en/door/) here.",
    )
    run(runner, "extract")
    run(runner, "update")
    po = site / "translations" / "es" / "LC_MESSAGES" / "plain.po"
    catalog = load_po(po, "es")
    message = catalog["Only [English](/en/door/) here."]
    message.string = "Solo [inglés](/en/door/) aquí."
    save_po(po, catalog)
    assert runner.invoke(args=["translate", "check", "es"]).exit_code == 0
    message.string = "Solo inglés aquí."
    save_po(po, catalog)
    result = runner.invoke(args=["translate", "check", "es"])
    assert result.exit_code != 0 and "/en/door/" in result.output


def test_init_new_language_preview_then_publish(app, runner, client, workflow):
    site = workflow
    app.config["PUBLISH_THRESHOLD"] = 90
    result = run(runner, "init", "pt-BR")
    assert result.exit_code == 0
    po = site / "translations" / "pt_BR" / "LC_MESSAGES" / "messages.po"
    header = po.read_text("utf-8")
    assert "Language: pt_BR" in header and "Plural-Forms: nplurals=" in header
    assert "#, fuzzy" not in header.split("msgid")[0]

    def offered():
        return [
            a["href"] for a in parse(client.get("/")).find("a") if a.get("hreflang")
        ]

    assert "/pt-BR/" not in offered()
    assert client.get("/pt-BR/").status_code == 404
    preview = client.get("/pt-BR/?preview=1")
    assert (
        preview.status_code == 200 and "Preview for translators" in parse(preview).plain
    )
    assert parse(preview).find("a", href="/pt-BR/door/?preview=1")

    translate_all(site, "pt_BR", "messages", "PT: {}")
    for domain in ("door", "card", "plain"):
        translate_all(site, "pt_BR", domain, "PT: {}")
    assert run(runner, "compile").exit_code == 0
    assert (site / "translations" / "pt_BR" / "LC_MESSAGES" / "messages.mo").exists()
    assert "/pt-BR/" in offered()
    assert "PT: Know your rights" in parse(client.get("/pt-BR/")).plain


def test_threshold_counts_words_of_interface_and_documents(app, client, workflow):
    site = workflow
    app.config["PUBLISH_THRESHOLD"] = 90

    def offered():
        return [
            a["href"] for a in parse(client.get("/")).find("a") if a.get("hreflang")
        ]

    assert offered() == ["/en/"]  # neither test language is 90% done
    for domain in ("messages", "door", "card", "plain"):
        translate_all(site, "es", domain)
    assert offered() == ["/en/", "/es/"]
    app.config["PUBLISH_THRESHOLD"] = 0
    assert offered() == ["/en/", "/ar/", "/es/"]


def test_init_rejects_unknown_or_existing_language(runner, workflow):
    assert (
        "unknown language"
        in runner.invoke(args=["translate", "init", "xx-nope"]).output
    )
    assert "already exists" in runner.invoke(args=["translate", "init", "es"]).output


def test_review_refuses_incomplete_translation_and_needs_a_name(runner, workflow):
    result = runner.invoke(args=["translate", "review", "es", "door", "--by", "Ana"])
    assert result.exit_code != 0 and "untranslated or fuzzy" in result.output
    assert runner.invoke(args=["translate", "review", "es", "door"]).exit_code != 0


def test_credits_list_translators_from_headers_without_emails(client, site):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    po.write_text(
        "# Ana Pérez <ana@example.org>, 2026.\n" + po.read_text("utf-8"),
        encoding="utf-8",
    )
    page = parse(client.get("/es/credits/")).plain
    assert "Ana Pérez" in page and "ana@example.org" not in page


def test_a_language_once_offered_stays_offered_when_the_english_grows(
    app, site, workflow
):
    from reader import create_app, i18n

    app.config["PUBLISH_THRESHOLD"] = 60
    for domain in ("messages", "door", "card", "plain"):
        translate_all(site, "es", domain)
    assert "/es/" in offered(app.test_client())
    assert (site / "translations" / "es" / i18n.PUBLISHED_MARK).is_file()
    # Much new English: Spanish falls far below the threshold.
    new = "\n\n".join(
        f"New paragraph number {i} about your rights." for i in range(200)
    )
    door = site / "content" / "door.md"
    door.write_text(door.read_text("utf-8") + f"\n\n{new}\n", encoding="utf-8")
    restarted = create_app(dict(app.config)).test_client()
    with restarted.application.app_context():
        stats = i18n.language_stats("es")
    assert 100 * (stats.words - stats.words_left) < 60 * stats.words
    assert "/es/" in offered(restarted)
    page = restarted.get("/es/door/")
    assert page.status_code == 200
    assert parse(page).find("p", lang="en", class_="untranslated")
    # A language never offered still waits for the threshold.
    assert "/ar/" not in offered(restarted)
    assert restarted.get("/ar/").status_code == 404


def test_a_mark_under_its_old_name_keeps_the_language_offered(app, site, workflow):
    from reader import i18n

    app.config["PUBLISH_THRESHOLD"] = 90  # the test Spanish is far from it
    folder = site / "translations" / "es"
    (folder / "published.txt").write_text("Offered since 2026-01-01.\n", "utf-8")
    assert "/es/" in offered(app.test_client())
    # Renamed once seen, so Weblate's discovery no longer finds a text file.
    assert not (folder / "published.txt").exists()
    assert (folder / i18n.PUBLISHED_MARK).read_text("utf-8").startswith("Offered")
    assert "/es/" in offered(app.test_client())
    assert "/ar/" not in offered(app.test_client())


def offered(client) -> list[str]:
    """Return the language links of the chooser."""
    return [a["href"] for a in parse(client.get("/")).find("a") if a.get("hreflang")]
