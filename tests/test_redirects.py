"""A renamed document's old address keeps working, page by page."""

from __future__ import annotations

import pytest

from reader import ROOT
from reader.redirects import REDIRECTS, carry


def test_every_old_slug_names_a_document_that_moved():
    slugs = {p.stem for p in (ROOT / "content").glob("*.md")}
    assert REDIRECTS and set(REDIRECTS.values()) <= slugs
    assert not set(REDIRECTS) & slugs  # a document back under its old name wins


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/es/in-a-car/", "/es/traffic-stop/"),
        ("/es/in-a-car/?from=qr&x=1", "/es/traffic-stop/?from=qr&x=1"),
        ("/zh-Hant/in-a-car/print/", "/zh-Hant/traffic-stop/print/"),
        ("/en/in-a-car/letter.pdf", "/en/traffic-stop/letter.pdf"),
        ("/ar/in-a-car/sheet-a4.pdf", "/ar/traffic-stop/sheet-a4.pdf"),
    ],
)
def test_the_old_address_of_a_page_moves_permanently_to_the_new_one(
    real_client, path, target
):
    response = real_client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == target


def test_the_new_address_answers(real_client):
    assert real_client.get("/es/traffic-stop/").status_code == 200
    assert real_client.get("/es/traffic-stop/print/").status_code == 200


def test_an_unknown_slug_is_still_not_found(real_client):
    assert real_client.get("/es/in-a-bus/").status_code == 404
    assert real_client.get("/es/in-a-bus/print/").status_code == 404


def test_records_under_an_old_slug_count_for_the_new_one():
    old = {"reviewer": "Ana", "date": "2026-01-01"}
    new = {"reviewer": "Rosa", "date": "2026-12-01"}
    assert carry({"in-a-car": old, "at-work": new}) == {
        "traffic-stop": old,
        "at-work": new,
    }
    # A record already under the new slug is the later one: it wins.
    assert carry({"in-a-car": old, "traffic-stop": new}) == {"traffic-stop": new}
