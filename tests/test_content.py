"""Content documents: front matter, broken files, and the rest of the site."""

from __future__ import annotations

import logging

import pytest
from conftest import site_app
from helpers import parse

from reader.content import load_document
from reader.errors import ContentError


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("title: x\n", 1, "must start with front matter"),
        ("---\ntitle: x\n", 1, "not closed"),
        ("---\ntitle: [unclosed\nsummary: s\n---\n", 3, "not valid YAML"),
        ("---\ntitle: T\nsummary: S\nkind: poem\n---\n", 4, "'kind' is 'poem'"),
        (
            "---\ntitle: T\nsummary: S\nkind: guide\nsources: [a]\n---\n",
            2,
            "checked",
        ),
        ("---\ntitle: T\nkind: guide\n---\n", 2, "'summary'"),
    ],
)
def test_bad_front_matter_names_file_line_and_fix(tmp_path, text, line, words):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_document(path)
    assert info.value.path == path and info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_broken_document_is_logged_and_the_rest_serves(site, caplog):

    (site / "content" / "broken.md").write_text(
        "---\ntitle: [oops\n---\nBody\n", encoding="utf-8"
    )
    with caplog.at_level(logging.ERROR):
        app = site_app(site)
    assert any("broken.md:2" in r.getMessage() for r in caplog.records)
    client = app.test_client()
    assert client.get("/en/").status_code == 200
    assert client.get("/en/door/").status_code == 200
    assert client.get("/en/broken/").status_code == 404


def test_breaking_a_served_document_keeps_its_last_good_version(client, site, caplog):
    assert "Only English here." in parse(client.get("/en/plain/")).plain
    path = site / "content" / "plain.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: guide", "kind: ["),
        encoding="utf-8",
    )
    with caplog.at_level(logging.ERROR):
        response = client.get("/en/plain/")
    assert response.status_code == 200
    assert "Only English here." in parse(response).plain
    assert any("plain.md" in r.getMessage() for r in caplog.records)
