"""The print kit: PDFs in every script, wallet cards, sheets, QR codes, branding."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from helpers import PRINT_BASE, fetch_once, parse

from reader.printing.cards import CARD_W, EDGE, SPACING, sheet
from reader.printing.pdf import _fetcher

MM = 72 / 25.4
BASE = PRINT_BASE
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils is not installed"
)


def tool(*args: str, data: bytes | None = None) -> str:
    return subprocess.run(
        args, input=data, capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")


def pdf_text(pdf: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return " ".join(tool("pdftotext", *pages, "-", "-", data=pdf).split())


def pdf_fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    lines = tool("pdffonts", str(path)).splitlines()[2:]
    return [line.split() for line in lines]


@pytest.fixture(scope="module")
def pdfs(print_client):
    """Fetch each PDF once (generation is the slow part)."""
    return fetch_once(print_client)


@needs_poppler
@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/es/at-your-door/letter.pdf", "No abra la puerta"),
        ("/ar/at-your-door/a4.pdf", "عند باب بيتك"),
        ("/zh-Hans/at-your-door/letter.pdf", "不要开门"),
        ("/zh-Hant/at-your-door/a4.pdf", "不要開門"),
    ],
)
def test_guide_pdfs_carry_translated_text_with_fonts_embedded(
    pdfs, tmp_path, path, words
):
    pdf = pdfs(path)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    # pdftotext marks right-to-left runs with direction controls; drop them.
    assert words in re.sub("[\u200e\u200f\u202a-\u202e]", "", text)
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts and all("yes" == f[-5] for f in fonts), fonts  # emb column


@needs_poppler
@pytest.mark.parametrize(
    ("lang", "family"),
    [
        ("ar", "Naskh-Arabic"),
        ("zh-Hans", "CJK-SC"),
        ("zh-Hant", "CJK-TC"),
        ("ko", "CJK-KR"),
        ("vi", "Noto-Sans"),
    ],
)
def test_each_script_gets_its_own_noto_face(pdfs, tmp_path, lang, family):
    fonts = pdf_fonts(pdfs(f"/{lang}/rights-card/card.pdf"), tmp_path)
    assert any(family in f[0] for f in fonts), fonts


@needs_poppler
def test_single_card_is_id1_size_two_sided(pdfs, tmp_path):
    path = tmp_path / "card.pdf"
    path.write_bytes(pdfs("/es/rights-card/card.pdf"))
    info = tool("pdfinfo", str(path))
    assert "Pages:           2" in info
    width, height = map(
        float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    )
    assert abs(width - 85.6 * MM) < 0.1 and abs(height - 54 * MM) < 0.1
    front, back = (pdf_text(path.read_bytes(), page=n) for n in (1, 2))
    assert "No abra la puerta" in front  # the holder's side, in Spanish
    assert "I am using my 5th Amendment right to remain silent" in back  # English


def words_at(pdf: bytes, word: str, page: int) -> list[tuple[float, float]]:
    """Return where ``word`` starts on ``page`` (points from the top left)."""
    bbox = tool(
        "pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-", data=pdf
    )
    return sorted(
        (round(float(x), 1), round(float(y), 1))
        for x, y in re.findall(
            rf'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>{word}</word>', bbox
        )
    )


@needs_poppler
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_card_sheet_backs_land_behind_fronts_for_long_edge_duplex(pdfs, paper):
    pdf = pdfs(f"/es/rights-card/sheet-{paper}.pdf")
    layout = sheet(paper)
    fronts = words_at(pdf, "Su", 1)  # "Su lado: qué hacer", top left of each front
    backs = words_at(pdf, "To", 2)  # "To the officer", top left of each back
    assert len(fronts) == len(backs) == len(layout.fronts) >= 8
    width = layout.width * MM
    # Turned over its long edge, a point at x on the front lies at width - x on
    # the back; each card's text starts the same distance inside its card.
    expected = sorted(
        (round(width - x - CARD_W * MM + 2 * (x - fx * MM), 1), y)
        for (x, y), (fx, _) in zip(fronts, sorted(layout.fronts), strict=True)
    )
    assert [b[0] for b in backs] == pytest.approx([e[0] for e in expected], abs=0.5)
    assert [b[1] for b in backs] == pytest.approx([f[1] for f in fronts], abs=1.0)


def test_sheet_layout_mirrors_and_fits_the_paper():
    for paper in ("letter", "a4"):
        s = sheet(paper)
        for (fx, fy), (bx, by) in zip(s.fronts, s.backs, strict=True):
            assert by == fy and bx == pytest.approx(s.width - fx - CARD_W)
            assert EDGE <= fx <= s.width - CARD_W - EDGE
            assert EDGE <= fy <= s.height - 54 - EDGE
    assert len(sheet("a4").fronts) == 10 and len(sheet("letter").fronts) == 8
    # With gaps, the cards stand apart by the spacing, on both sides.
    spaced = sheet("letter", gaps=True)
    (x0, y0), (x1, _) = spaced.fronts[:2]
    assert round(x1 - x0 - CARD_W, 2) == SPACING and not spaced.marks


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools is not installed")
def test_qr_code_opens_the_same_page_online(pdfs, tmp_path):
    path = tmp_path / "card.pdf"
    path.write_bytes(pdfs("/ar/rights-card/card.pdf"))
    tool(
        "pdftoppm",
        "-r",
        "300",
        "-png",
        "-f",
        "2",
        "-l",
        "2",
        str(path),
        str(tmp_path / "back"),
    )
    png = next(tmp_path.glob("back*.png"))  # the QR code is on the back
    assert tool("zbarimg", "-q", "--raw", str(png)).strip() == f"{BASE}/ar/rights-card/"


@needs_poppler
def test_bilingual_guide_has_both_languages_block_by_block(print_client, pdfs):
    page = print_client.get("/es/at-your-door/print/?with=en")
    html = page.get_data(as_text=True)
    rows = html.split('<div class="row">')[1:]
    assert len(rows) > 10
    assert '<div class="col" lang="en" dir="ltr">' in rows[1]
    assert "No abra la puerta" in html and "Do not open the door" in html
    text = pdf_text(pdfs("/es/at-your-door/letter.pdf?with=en"))
    assert "No abra la puerta" in text and "Do not open the door" in text


@needs_poppler
def test_branding_is_printed_escaped(print_client):
    query = "?org=Centro+Legal+%26+Co&contact=L%C3%ADnea+r%C3%A1pida%3A+%2B1+555-0100"
    text = pdf_text(print_client.get("/es/rights-card/card.pdf" + query).get_data())
    assert "Centro Legal & Co" in text and "Línea rápida: +1 555-0100" in text
    view = print_client.get("/es/rights-card/print/" + query).get_data(as_text=True)
    assert "Centro Legal &amp; Co" in view


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("org=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "may only use letters"),
        ("contact=" + "9" * 81, "too long"),
        ("org=" + "W" * 61, "too long"),
        ("org=a%22onmouseover%3D%22x", "may only use letters"),
        ("contact=%7B%7B7*7%7D%7D", "may only use letters"),
    ],
)
def test_hostile_or_oversized_branding_is_refused_clearly(print_client, query, words):
    for path in (
        "/en/rights-card/print/",
        "/en/rights-card/card.pdf",
        "/en/rights-card/sheet-a4.pdf",
        "/en/pack-letter.pdf",
    ):
        response = print_client.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert response.mimetype == "text/html"
        page = parse(response).plain
        assert words in page
        assert "<script>alert" not in response.get_data(as_text=True)


def test_pdf_is_regenerated_when_its_catalog_changes(client, site):
    first = client.get("/es/door/letter.pdf").get_data()
    assert client.get("/es/door/letter.pdf").get_data() == first  # cached
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    po.write_text(
        po.read_text("utf-8").replace("En la puerta", "Ante la puerta"), "utf-8"
    )
    second = client.get("/es/door/letter.pdf").get_data()
    assert second != first
    if shutil.which("pdftotext"):
        assert "Ante la puerta" in pdf_text(second)


def test_print_view_links_pdfs_and_keeps_the_form_values(client):
    page = parse(client.get("/es/card/print/?org=Centro&paper=a4"))
    hrefs = [a["href"] for a in page.find("a")]
    assert "/es/card/a4.pdf?org=Centro" in hrefs
    assert "/es/card/card.pdf?org=Centro" in hrefs
    assert "/es/card/sheet-a4.pdf?org=Centro" in hrefs
    assert page.find("input", name="org", value="Centro")
    assert "Centro" in page.plain  # shown in the printable preview


def test_document_page_links_to_its_print_view(client):
    assert parse(client.get("/es/door/")).find("a", href="/es/door/print/")


def test_prints_load_nothing_from_other_hosts(app, client, site):
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    po.write_text(
        po.read_text("utf-8").replace(
            'msgstr "Usted tiene derechos."',
            'msgstr "Usted tiene derechos. ![x](http://127.0.0.1:9/track.png)"',
        ),
        "utf-8",
    )
    fetcher = _fetcher(Path(app.static_folder))
    for url in (
        "http://127.0.0.1:9/track.png",
        "file:///etc/passwd",
        "http://reader.invalid/static/../../pyproject.toml",
    ):
        with pytest.raises(ValueError, match="static files only"):
            fetcher.fetch(url)
    assert client.get("/es/door/letter.pdf").status_code == 200


@needs_poppler
def test_print_pack_from_the_command_line(app, tmp_path):
    out = tmp_path / "pack.pdf"
    result = app.test_cli_runner().invoke(
        args=["print", "pack", "es", "-o", str(out), "--org", "Centro"]
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert "En la puerta" in text and "Mantenga la calma" in text
    assert "Centro" in text
    bad = app.test_cli_runner().invoke(
        args=["print", "pack", "es", "-o", str(out), "--org", "<b>"]
    )
    assert bad.exit_code != 0 and "--org" in bad.output


@needs_poppler
def test_every_printed_page_says_how_far_to_trust_it(pdfs):
    pdf = pdfs("/es/at-your-door/letter.pdf")
    pages = int(re.search(r"1 ?/ ?(\d+)", pdf_text(pdf, page=1)).group(1))
    assert pages >= 3
    for n in range(1, pages + 1):
        text = pdf_text(pdf, page=n)
        assert "Borrador de traducción sin revisar." in text, n
        assert "Ningún abogado ha revisado este texto." in text, n
        # Counted left to right in any script (not "5 / 1").
        assert f"{n}/{pages}" in text.replace(" ", ""), n
    back = pdf_text(pdfs("/es/rights-card/card.pdf"), page=2)
    assert "Borrador de traducción sin revisar." in back
    english = pdf_text(pdfs("/en/at-your-door/a4.pdf"), page=1)
    assert "Not reviewed by a lawyer." in english
    assert "Unreviewed draft translation" not in english


def test_print_view_names_english_blocks_and_offers_the_bilingual_print(client):
    page = client.get("/es/door/print/?org=Centro")
    html = page.get_data(as_text=True)
    assert 'id="print-warning"' in html
    warning = html.split('id="print-warning"')[1].split("</div>")[0]
    assert "Keep the door closed." in warning and "(" in warning
    assert "/es/door/print/?org=Centro&amp;with=en" in warning
    bilingual = client.get("/es/door/print/?with=en").get_data(as_text=True)
    assert 'id="print-warning"' not in bilingual


def test_print_command_warns_before_printing_english_blocks(app, tmp_path):
    out = tmp_path / "door.pdf"
    result = app.test_cli_runner().invoke(
        args=["print", "guide", "es", "door", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "block(s) of this print are in English" in result.stderr
    assert "door: " in result.stderr and "--with en" in result.stderr
    too_long = app.test_cli_runner().invoke(
        args=["print", "card", "es", "card", "-o", str(out), "--contact", "9" * 81]
    )
    assert too_long.exit_code != 0 and "--contact" in too_long.output
    assert "at most 80 characters" in too_long.output


@pytest.mark.parametrize("lang", ["es", "ar", "zh-Hant"])
def test_card_pictures_are_1080_wide_and_small(print_client, lang):
    from PIL import Image

    view = print_client.get(f"/{lang}/rights-card/print/").get_data(as_text=True)
    for side in ("front", "back"):
        src = f"/{lang}/rights-card/card-{side}.png"
        assert f'src="{src}"' in view  # shown, with alt text, on the print view
        response = print_client.get(src)
        assert response.status_code == 200 and response.mimetype == "image/png"
        data = response.get_data()
        assert len(data) < 150 * 1024, (side, len(data))
        image = Image.open(io.BytesIO(data))
        assert image.width == 1080 and 600 < image.height < 700
    assert view.count('alt="') >= 2


@needs_poppler
def test_family_plan_rows_leave_room_to_write(pdfs):
    bbox = tool("pdftotext", "-bbox", "-", "-", data=pdfs("/es/family-plan/letter.pdf"))
    tops = [
        float(y)
        for y, word in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)</word>', bbox)
        if word in ("Contacto", "Segundo", "Persona", "Dónde", "Abogado", "Mi")
    ]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False) if 0 < b - a < 80]
    # About 10 mm a row: room for handwriting.
    assert steps and min(steps) >= 9.5 * MM, [round(s / MM, 1) for s in steps]


def shared_folder_apps(site, folder, count=2):
    """Clients of apps over one site sharing one PDF folder, like a server's
    workers; each response is read and closed, as a server does."""
    from conftest import site_app

    def client(app):
        def get(path, **kwargs):
            response = app.test_client().get(path, **kwargs)
            response.get_data()
            response.close()
            return response

        return get

    return [client(site_app(site, PDF_CACHE_DIR=str(folder))) for _ in range(count)]


def test_a_pdf_is_rendered_once_for_every_worker_and_sent_from_disk(
    site, tmp_path, monkeypatch
):
    from reader.printing import pdf

    renders = []

    def counted(html):
        renders.append(1)
        return real(html)

    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", counted)
    folder = tmp_path / "pdf-cache"
    one, two = shared_folder_apps(site, folder)
    first = one("/es/door/letter.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    body = first.get_data()
    assert body.startswith(b"%PDF") and len(renders) == 1
    (stored,) = folder.glob("*.pdf")
    assert stored.read_bytes() == body
    # The other worker sends the same file, and renders nothing.
    again = two("/es/door/letter.pdf")
    assert again.get_data() == body and len(renders) == 1
    assert again.headers["Content-Length"] == str(len(body))
    assert again.get_etag()[0] == stored.stem
    # A PDF viewer's requests for a part, and a browser's revalidation.
    part = two("/es/door/letter.pdf", headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and part.get_data() == b"%PDF"
    etag = again.headers["ETag"]
    assert (
        two("/es/door/letter.pdf", headers={"If-None-Match": etag}).status_code == 304
    )
    # A saved translation makes another PDF, rendered once more.
    po = site / "translations" / "es" / "LC_MESSAGES" / "door.po"
    po.write_text(
        po.read_text("utf-8").replace("En la puerta", "Ante la puerta"), "utf-8"
    )
    changed = one("/es/door/letter.pdf").get_data()
    assert changed != body and len(renders) == 2
    assert two("/es/door/letter.pdf").get_data() == changed
    assert len(renders) == 2 and len(list(folder.glob("*.pdf"))) == 2


def test_organizers_pdfs_never_reach_the_shared_folder(site, tmp_path):
    folder = tmp_path / "pdf-cache"
    (get,) = shared_folder_apps(site, folder, 1)
    for path in ("/es/door/letter.pdf", "/es/card/card.pdf", "/es/card/sheet-a4.pdf"):
        assert get(f"{path}?org=Casa-7731&contact=555-0199").status_code == 200
    assert not list(folder.glob("*.pdf"))
    assert get("/es/card/card.pdf").status_code == 200
    (stored,) = folder.glob("*.pdf")
    assert b"Casa-7731" not in stored.read_bytes()


def test_a_folder_that_cannot_be_written_leaves_pdfs_in_memory(site, tmp_path, caplog):
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the folder should be", "utf-8")
    (get,) = shared_folder_apps(site, folder, 1)
    response = get("/es/door/letter.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")
    assert f"PDF_CACHE_DIR {folder} cannot be used" in caplog.text
    assert get("/es/door/a4.pdf").status_code == 200


def test_the_shared_folder_keeps_to_its_size_and_to_its_code(app, tmp_path):
    from reader.printing.pdf import PdfCache

    folder = tmp_path / "pdf-cache"
    cache = PdfCache(1 << 20, folder, folder_bytes=2500, salt="code 1")
    with app.app_context():
        for n in range(4):
            cache.shared(("pdf", n), lambda n=n: bytes([n]) * 1000).close()
            time.sleep(0.01)  # distinct times: the oldest goes first
        kept = sorted(p.read_bytes()[:1] for p in folder.glob("*.pdf"))
        assert kept == [b"\x02", b"\x03"]  # the newest two, 2000 bytes
        # Other code makes other PDFs of the same key.
        other = PdfCache(1 << 20, folder, folder_bytes=1 << 20, salt="code 2")
        with other.shared(("pdf", 3), lambda: b"new" * 10) as f:
            assert f.read() == b"new" * 10
        with cache.shared(("pdf", 3), lambda: b"never built") as f:
            assert f.read() == bytes([3]) * 1000
