"""Translation memory: exact and close matches from a language's other catalogs."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from reader.pofile import load_po, save_po
from reader.translate.memory import Memory

DISCLAIMER = "This is general information, not legal advice."


def catalog(pairs: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Catalog:
    cat = Catalog(locale="es")
    for msgid, msgstr in pairs.items():
        cat.add(msgid, msgstr, flags=["fuzzy"] if msgid in fuzzy else [])
    return cat


def test_exact_and_close_matches_say_how_close_and_where_from():
    memory = Memory.from_catalogs(
        [
            ("at-work", catalog({DISCLAIMER: "Esto es información general."})),
            (
                "traffic-stop",
                catalog({"Stay calm and keep your hands on the wheel.": "Calma."}),
            ),
        ]
    )
    exact = memory.matches(DISCLAIMER)
    assert [(m.domain, m.similarity, m.exact) for m in exact] == [
        ("at-work", 100, True)
    ]
    close = memory.matches("This is general information, not legal advice!!")
    # Punctuation aside the same, but not the same English: never "exact".
    assert close[0].similarity == 99 and not close[0].exact
    edited = memory.matches("Stay calm and keep both hands on the wheel.")
    assert edited[0].domain == "traffic-stop" and 85 <= edited[0].similarity < 100
    assert memory.matches("Ask for a lawyer.") == []


def test_fuzzy_and_untranslated_entries_are_not_memory():
    memory = Memory.from_catalogs(
        [("door", catalog({DISCLAIMER: "Vieja.", "Other": ""}, fuzzy=(DISCLAIMER,)))]
    )
    assert memory.items == []


def test_the_document_being_edited_does_not_suggest_itself():
    memory = Memory.from_catalogs(
        [
            ("door", catalog({DISCLAIMER: "Puerta."})),
            ("car", catalog({DISCLAIMER: "Auto."})),
        ]
    )
    assert [m.domain for m in memory.matches(DISCLAIMER, skip="door")] == ["car"]
    # The same translation from two catalogs is offered once.
    twice = Memory.from_catalogs(
        [("a", catalog({DISCLAIMER: "Igual."})), ("b", catalog({DISCLAIMER: "Igual."}))]
    )
    assert len(twice.matches(DISCLAIMER)) == 1


def test_fill_lists_exact_matches_and_writes_only_when_asked(runner, site):
    # "Stay calm." is translated in the card, and new in the door, untranslated.
    door = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    cat = load_po(door)
    cat.add("Stay calm.", "")
    save_po(door, cat)
    before = door.read_bytes()
    listed = runner.invoke(args=["translate", "fill", "es", "door"])
    assert listed.exit_code == 0, listed.output
    assert "'Stay calm.' <- card: 'Mantenga la calma.'" in listed.output
    assert "--apply" in listed.output and door.read_bytes() == before
    applied = runner.invoke(args=["translate", "fill", "es", "door", "--apply"])
    assert applied.exit_code == 0 and "filled 1 message(s)" in applied.output
    filled = next(m for m in load_po(door) if m.id == "Stay calm.")
    assert filled.string == "Mantenga la calma." and not filled.fuzzy


def test_fill_names_a_missing_catalog(runner):
    result = runner.invoke(args=["translate", "fill", "es", "nothing-here"])
    assert result.exit_code != 0 and "nothing-here.po does not exist" in result.output
