"""The translator dashboard, and the translator web's words in the interface
language: my languages first, pending counts, plural forms, check messages
and block kinds."""

from __future__ import annotations

import gettext
import io
import re

import pytest
import test_contrib
from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

from reader import meaning
from reader.catalogs import format_problem
from reader.contrib import db as dbmod
from reader.contrib import users
from reader.contrib.labels import block_label
from reader.segment import PHRASE_COMMENT
from reader.translate import checks

PASSWORD = "correct horse battery"
# The English of a check message, and a Spanish translation of it.
BOLD = (
    "bold (**) markers are unbalanced or missing: put them around the words "
    "that match the English"
)
BOLD_ES = (
    "faltan marcadores de negrita (**) o no van en pareja: póngalos como en el inglés"
)
PLACEHOLDERS = (
    "placeholders differ (missing: %(missing)s; added: %(added)s): copy each "
    "placeholder exactly, untranslated"
)
PLACEHOLDERS_ES = (
    "los marcadores de posición no coinciden (faltan: %(missing)s; sobran: "
    "%(added)s): cópielos tal cual, sin traducir"
)
PENDING = "%(num)s suggestion pending"


# The translator web's app over the test site (its own people are below).
app = test_contrib.app


@pytest.fixture
def people(app):
    """Translators of es and ar, a reviewer of es, an admin with no language."""
    db = dbmod.connect(app.config["TRANSLATOR_DB"])
    for name, role, lang, admin in [
        ("tina", "translator", "es", False),
        ("rosa", "reviewer", "es", False),
        ("ali", "translator", "ar", False),
        ("boss", None, None, True),
    ]:
        user_id = users.create_user(db, name, name.title(), is_admin=admin)
        if role:
            users.grant(db, user_id, role, lang)
        users.set_password(db, user_id, PASSWORD)
    db.close()


def login(app, name: str, accept: str = "en"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
    page = client.get("/translate/login").get_data(as_text=True)
    response = client.post(
        "/translate/login",
        data={"csrf": csrf(page), "username": name, "password": PASSWORD},
    )
    assert response.status_code == 302
    return client


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def suggest(client, lang, domain, msgid, text):
    """Suggest a translation; return the editor page it leads back to."""
    token = csrf(client.get(f"/translate/{lang}/{domain}/").get_data(as_text=True))
    return client.post(
        f"/translate/{lang}/{domain}/suggest",
        data={"csrf": token, "msgid": msgid, "text": text},
        follow_redirects=True,
    ).get_data(as_text=True)


def translate(site, locale: str, entries: dict) -> None:
    """Translate interface messages in the test site, as a translator would.

    A key is a msgid or (msgctxt, msgid); a plural's value is a tuple of forms.
    """
    path = site / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    for key, string in entries.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        message = catalog.get(msgid, context)
        assert message is not None, f"{msgid!r} is not in the interface template"
        message.string = string
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog)


def plural_index(site, locale: str):
    """Return the plural rule of a test site's interface catalog."""
    path = site / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    return catalog.num_plurals, gettext.c2py(catalog.plural_expr)


def languages_shown(html: str) -> list[tuple[str, str, bool]]:
    """Return each language on the dashboard: how shown, and whether its
    documents show (a section always does; details only when open)."""
    return [
        (m["how"], m["lang"], m["how"] == "section" or " open" in m["rest"])
        for m in re.finditer(
            r'<(?P<how>section|details) class="lang-progress[^"]*" '
            r'data-lang="(?P<lang>[^"]+)"(?P<rest>[^>]*)>',
            html,
        )
    ]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def part(html: str, lang: str) -> str:
    """Return the text of one language's part of the dashboard."""
    start = html.index(f'data-lang="{lang}"')
    end = html.find('class="lang-progress', start)
    return text(html[start : end if end != -1 else len(html)])


def row(html: str, lang: str, domain: str) -> str:
    """Return the text of one document's row on the dashboard."""
    found = re.search(rf'<li><a href="/translate/{lang}/{domain}/".*?</li>', html, re.S)
    return text(found.group(0))


# -- The dashboard -----------------------------------------------------------


def test_my_language_comes_first_and_open_the_others_folded(app, people):
    # Without roles the languages keep their own order: ar, then es.
    assert [lang for _, lang, _ in languages_shown(anonymous(app))] == ["ar", "es"]
    tina = login(app, "tina").get("/translate/").get_data(as_text=True)
    assert languages_shown(tina) == [("section", "es", True), ("details", "ar", False)]
    # Every document of my language is listed with its own link and bar.
    assert 'href="/translate/es/door/"' in tina
    assert re.search(r'<meter [^>]*value="\d+"', tina)
    ali = login(app, "ali").get("/translate/").get_data(as_text=True)
    assert languages_shown(ali) == [("section", "ar", True), ("details", "es", False)]
    # A reviewer's language is theirs too.
    rosa = login(app, "rosa").get("/translate/").get_data(as_text=True)
    assert languages_shown(rosa)[0] == ("section", "es", True)


def anonymous(app) -> str:
    return app.test_client().get("/translate/").get_data(as_text=True)


def test_strangers_and_admins_without_a_language_see_every_language_folded(app, people):
    for html in (anonymous(app), login(app, "boss").get("/translate/").get_data(True)):
        shown = languages_shown(html)
        assert shown and all(how == "details" and not o for how, _, o in shown)
        assert "Other languages" not in html


def test_pending_suggestions_are_counted_per_document_and_language(app, people):
    tina = login(app, "tina")
    html = tina.get("/translate/").get_data(as_text=True)
    assert "0 suggestions pending" in part(html, "es")
    assert "pending" not in row(html, "es", "door")

    suggest(tina, "es", "door", "Stay calm.", "Mantenga la calma.")
    html = tina.get("/translate/").get_data(as_text=True)
    assert "1 suggestion pending" in row(html, "es", "door")
    assert "1 suggestion pending" in part(html, "es").split("At the door")[0]
    assert "pending" not in row(html, "es", "card")
    assert "pending" not in part(html, "ar")  # folded, and nothing waits

    suggest(tina, "es", "door", "You have rights.", "Usted tiene derechos.")
    html = tina.get("/translate/").get_data(as_text=True)
    assert "2 suggestions pending" in row(html, "es", "door")
    # Anyone sees the count in the folded language's summary.
    assert "2 suggestions pending" in part(anonymous(app), "es")


def test_counts_take_the_plural_form_of_the_interface_language(app, site, people):
    count, form = plural_index(site, "ar")
    assert count == 6  # Arabic: zero, one, two, few, many, other
    # Each form named, in words: digits would be numbers the English lacks.
    names = ("صفر", "واحد", "اثنان", "قليل", "كثير", "آخر")
    forms = tuple(f"%(num)s اقتراح ({name})" for name in names)
    missing = tuple(f"%(num)s ناقص ({name})" for name in names)
    translate(
        site,
        "ar",
        {
            PENDING: forms,
            "%(num)s missing": missing,
        },
    )
    ali = login(app, "ali", accept="ar")
    for n, (msgid, text_) in enumerate(
        [("Stay calm.", "ابق هادئا."), ("You have rights.", "لديك حقوق.")], start=1
    ):
        suggest(ali, "ar", "door", msgid, text_)
        html = ali.get("/translate/").get_data(as_text=True)
        assert forms[form(n)].replace("%(num)s", str(n)) in row(html, "ar", "door")
        assert form(n) != form(n - 1)  # 1 and 2 take different forms in Arabic
    # The editor, in the language it works on, counts the same way.
    editor = ali.get("/translate/ar/door/").get_data(as_text=True)
    left = int(re.search(r"(\d+) ناقص \(", editor).group(1))
    assert missing[form(left)].replace("%(num)s", str(left)) in editor


def test_english_counts_say_one_in_the_singular(app, people):
    tina = login(app, "tina")
    suggest(tina, "es", "door", "Stay calm.", "Mantenga la calma.")
    html = tina.get("/translate/").get_data(as_text=True)
    assert "1 suggestion pending" in row(html, "es", "door")
    assert "1 suggestions" not in html


# -- Check messages and block kinds in the interface language ----------------


def test_a_refused_suggestion_says_why_in_the_interface_language(app, site, people):
    translate(
        site, "es", {BOLD: BOLD_ES, PLACEHOLDERS: PLACEHOLDERS_ES, "none": "ninguno"}
    )
    tina = login(app, "tina")
    page = text(
        suggest(tina, "es", "door", "Ask for a **warrant**.", "Pida una orden.")
    )
    assert BOLD_ES in page and BOLD not in page
    # A check message with values, one of them translated on its own.
    page = text(suggest(tina, "es", "messages", "Signed in as %(name)s.", "Conectado."))
    assert (
        "los marcadores de posición no coinciden (faltan: %(name)s; sobran: ninguno)"
        in page
    )
    assert "placeholders differ" not in page


def test_an_upload_s_problems_are_in_the_interface_language(app, site, people):
    translate(site, "es", {BOLD: BOLD_ES})
    rosa = login(app, "rosa")
    token = csrf(rosa.get("/translate/es/door/").get_data(as_text=True))
    page = rosa.post(
        "/translate/es/door/upload",
        data={
            "csrf": token,
            "po": (
                io.BytesIO(
                    b'msgid "Ask for a **warrant**."\nmsgstr "Pida una orden."\n'
                ),
                "door.po",
            ),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"door.po:1: {BOLD_ES}" in text(page)


def test_check_messages_stay_english_for_the_command_line():
    with pytest.raises(checks.CheckError) as caught:
        checks.emphasis(None, Message("Ask for a **warrant**.", "Pida una orden."))
    assert str(caught.value) == BOLD
    with pytest.raises(checks.CheckError) as caught:
        checks.placeholders(None, Message("Hi %(name)s.", "Hola."))
    assert str(caught.value) == PLACEHOLDERS % {"missing": "%(name)s", "added": "none"}
    spanish = {PLACEHOLDERS: PLACEHOLDERS_ES, "none": "ninguno"}
    assert caught.value.text.render(lambda s: spanish.get(s, s)) == (
        PLACEHOLDERS_ES % {"missing": "%(name)s", "added": "ninguno"}
    )


@pytest.mark.parametrize(
    ("checker", "source", "string", "english"),
    [
        (checks.formatting, "Free", "100% gratis", format_problem),
        (checks.formatting, "Hi %(name)s", "Hola %(nombre)s", format_problem),
        (checks.bidi_controls, "Call 555", "Llame \u202e555", meaning.bidi_problem),
    ],
)
def test_translatable_check_messages_say_what_the_lower_layers_say(
    checker, source, string, english
):
    # These messages are rebuilt from reports of catalogs.py and meaning.py: if
    # those change, this fails rather than the web falling back to English.
    with pytest.raises(checks.CheckError) as caught:
        checker(None, Message(source, string))
    assert str(caught.value) == english(source, string)


def test_a_number_report_is_translated_part_by_part():
    with pytest.raises(checks.CheckError) as caught:
        checks.numbers(None, Message("Drive 100 miles.", "Conduzca 10 millas."))
    problem = meaning.number_problem("Drive 100 miles.", "Conduzca 10 millas.")
    assert f"({problem})" in str(caught.value)
    spanish = {
        "missing %(missing)s; added %(added)s": "faltan %(missing)s; sobran %(added)s"
    }
    assert "(faltan 100; sobran 10)" in caught.value.text.render(
        lambda s: spanish.get(s, s)
    )


def test_block_kinds_are_labelled_in_the_interface_language(app, site, people):
    translate(
        site,
        "es",
        {
            ("block kind", "paragraph"): "párrafo",
            ("block kind", "list item"): "elemento de lista",
            PHRASE_COMMENT: "frase: palabras en inglés que el lector dice en voz alta.",
        },
    )
    page = text(login(app, "tina").get("/translate/es/door/?show=all").get_data(True))
    assert "párrafo ·" in page and "elemento de lista ·" in page
    assert "frase: palabras en inglés" in page and PHRASE_COMMENT not in page
    assert "paragraph ·" not in page
    # A comment that is not a known kind is shown as it is.
    assert block_label("a note from the author") == "a note from the author"
