"""Sources, phrases, the officer view and legal reviews, on the test site."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import parse

from reader.content import load_document
from reader.errors import ContentError


def run(runner, *args):
    return runner.invoke(args=["translate", *args], catch_exceptions=False)


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- source records and markers ------------------------------------------------


@pytest.mark.parametrize(
    ("sources", "words"),
    [
        ('  - "Public library guidance"\n', "must be a record with the fields"),
        ("  - id: a\n    org: O\n    title: T\n    read: 2026-01-01\n", "has no url"),
        (
            "  - id: a\n    org: O\n    title: T\n    url: ilrc.org\n"
            "    read: 2026-01-01\n",
            "url must start with https://",
        ),
        (
            "  - id: no-claim\n    org: O\n    title: T\n    url: https://x.org/\n"
            "    read: 2026-01-01\n",
            "must be unique",
        ),
        (
            "  - id: a\n    org: O\n    title: T\n    url: https://x.org/\n"
            "    read: last week\n",
            "read must be a date",
        ),
    ],
)
def test_a_source_that_is_not_a_full_record_is_refused(tmp_path, sources, words):
    path = tmp_path / "guide.md"
    path.write_text(
        "---\ntitle: T\nsummary: S\nkind: guide\nchecked: 2026-01-01\n"
        f"sources:\n{sources}---\nText. [^a]\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        load_document(path)
    assert info.value.line == 6  # the 'sources' field
    assert words in info.value.message


def test_markers_become_numbered_links_and_never_reach_translators(
    client, runner, site
):
    assert run(runner, "extract").exit_code == 0
    html = client.get("/en/door/").get_data(as_text=True)
    assert '<a href="#source-1">1</a>' in html
    assert '<li id="source-1">' in html
    assert "[^" not in html
    pot = (site / "translations" / "door.pot").read_text("utf-8")
    assert "[^" not in pot and "https://" not in pot


def test_check_fails_on_a_block_without_a_source(runner, site):
    assert run(runner, "extract").exit_code == 0
    edit(site / "content" / "door.md", "- Stay calm. [^no-claim]", "- Stay calm.")
    edit(site / "content" / "door.md", "closed. [^ilrc]", "closed. [^aclu]")
    result = runner.invoke(args=["translate", "check"])
    assert result.exit_code != 0
    assert "door.md:27: error: 'Stay calm.': no source marker" in result.output
    assert "door.md:23: error: 'Keep the door closed.': [^aclu] names no source" in (
        result.output
    )


def test_check_warns_when_a_source_check_is_six_months_old(runner, site):
    assert run(runner, "extract").exit_code == 0
    door = site / "content" / "door.md"
    old = dt.date.today() - dt.timedelta(days=200)
    edit(door, "checked: 2026-01-15", f"checked: {old.isoformat()}")
    recent = dt.date.today() - dt.timedelta(days=30)
    card = site / "content" / "card.md"
    edit(card, "checked: 2026-01-15", f"checked: {recent.isoformat()}")
    output = run(runner, "check").output
    assert f"'door': its English was last checked against its sources on {old}" in (
        output
    )
    assert "'card': its English" not in output


# -- phrases ----------------------------------------------------------------


def test_a_phrase_shows_its_english_then_its_meaning(client):
    html = client.get("/es/door/").get_data(as_text=True)
    assert '<p class="say" lang="en" dir="ltr">I do not consent to a search.' in html
    assert '<p class="meaning">No doy permiso para un registro.</p>' in html
    # A phrase whose meaning is missing still shows its English, and says so.
    missing = html.split("Am I free to leave?", 1)[1].split("</div>", 1)[0]
    assert "untranslated-note" in missing


def test_in_english_a_phrase_shows_once_with_no_meaning(client):
    html = client.get("/en/door/").get_data(as_text=True)
    assert html.count("I do not consent to a search.") == 1
    assert 'class="meaning"' not in html


def test_the_say_this_box_comes_first_in_right_to_left_too(client):
    html = client.get("/ar/door/").get_data(as_text=True)
    main = html.split("<main", 1)[1]
    box = main.index('class="section-say-this"')
    assert box < main.index('class="status"') < main.index('class="body"')
    assert '<p class="say" lang="en" dir="ltr">I do not consent to a search.' in main
    assert "لا أوافق على التفتيش." in main


def test_phrases_are_extracted_as_meanings_to_write(runner, site):
    assert run(runner, "extract").exit_code == 0
    pot = (site / "translations" / "door.pot").read_text("utf-8")
    entry = pot.split('msgid "Am I free to leave?"', 1)[0].rsplit("\n\n", 1)[1]
    assert "#. phrase: English words the reader says out loud" in entry
    assert "write what it means" in entry


# -- the officer view --------------------------------------------------------


def test_the_card_links_to_a_full_screen_officer_view(client):
    page = parse(client.get("/es/card/"))
    assert page.find("a", href="/es/card/officer/")
    officer = client.get("/es/card/officer/")
    html = officer.get_data(as_text=True)
    assert officer.status_code == 200
    assert '<div class="officer-text" lang="en" dir="ltr">' in html
    assert "I will remain silent." in html
    assert "<sup" not in html  # no source numbers to puzzle an officer
    back = parse(officer).find("a", href="/es/card/")
    assert back, "one step back to the reader's language"
    assert client.get("/es/door/officer/").status_code == 404


# -- the index ---------------------------------------------------------------


def test_the_index_lists_the_card_first_and_sets_the_statement_apart(client, site):
    (site / "content" / "statement.md").write_text(
        "---\ntitle: A statement\nsummary: Ours.\nkind: statement\norder: 0\n"
        "source: Someone, 2020\n---\nWe say this.\n",
        encoding="utf-8",
    )
    html = client.get("/en/").get_data(as_text=True)
    guides, _, statements = html.partition('class="statements"')
    assert guides.index("/en/card/") < guides.index("/en/door/")
    assert "/en/statement/" not in guides and "/en/statement/" in statements
    assert "It is not a guide to your rights." in statements


# -- legal review ------------------------------------------------------------


def test_a_legal_review_is_recorded_shown_and_goes_stale(runner, client, site):
    page = parse(client.get("/en/door/")).plain
    assert "No lawyer has reviewed this guide yet." in page
    result = run(
        runner, "legal-review", "door", "--by", "A. Lawyer", "--date", "2026-11-30"
    )
    assert "reviewed by the lawyer A. Lawyer on 2026-11-30" in result.output
    page = parse(client.get("/en/door/")).plain
    assert "Reviewed by a lawyer, A. Lawyer, on November 30, 2026." in page
    index = parse(client.get("/en/")).plain
    assert "No lawyer has reviewed these guides yet." not in index
    # Re-wrapping lines is no change; a changed sentence is.
    edit(
        site / "content" / "door.md", "Keep the door\nclosed.", "Keep the door closed."
    )
    assert "Reviewed by a lawyer" in parse(client.get("/en/door/")).plain
    edit(site / "content" / "door.md", "Keep the door closed.", "Keep it shut.")
    page = parse(client.get("/en/door/")).plain
    assert "Changed after a lawyer reviewed it on November 30, 2026." in page


def test_a_legal_review_needs_a_name_and_a_real_document(runner):
    result = runner.invoke(args=["translate", "legal-review", "nope", "--by", "X"])
    assert result.exit_code != 0 and "there is no document 'nope'" in result.output
    result = runner.invoke(args=["translate", "legal-review", "door", "--by", " "])
    assert result.exit_code != 0 and "give the lawyer's name" in result.output
