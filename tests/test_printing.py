"""The print kit: PDFs in every script, wallet cards, sheets, QR codes, branding."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import parse

from reader import create_app
from reader.printing.cards import CARD_W, sheet
from reader.printing.pdf import _fetcher

MM = 72 / 25.4
BASE = "https://rights.example.org"
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
def print_client():
    return create_app({"TESTING": True, "PUBLIC_BASE_URL": BASE}).test_client()


@pytest.fixture(scope="module")
def pdfs(print_client):
    """Fetch each PDF once for the module (generation is the slow part)."""
    cache = {}

    def get(path: str) -> bytes:
        if path not in cache:
            response = print_client.get(path)
            assert response.status_code == 200, path
            assert response.mimetype == "application/pdf"
            cache[path] = response.get_data()
        return cache[path]

    return get


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


@needs_poppler
@pytest.mark.parametrize("lang", ["es", "ar", "fa", "zh-Hant"])
def test_the_holder_side_fits_above_the_qr_code(pdfs, lang):
    # The text box clips at 2.5 + 37.5 mm; the QR code starts 41 mm down.
    # Last round a card's last line was cut in half there, silently.
    bbox = tool("pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-",
                data=pdfs(f"/{lang}/rights-card/card.pdf"))  # fmt: skip
    bottoms = [float(y) for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', bbox)]
    assert bottoms and max(bottoms) <= 40 * MM, (lang, max(bottoms) / MM)


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
            assert 10 <= fx <= s.width - CARD_W - 10 and 10 <= fy <= s.height - 54 - 10
    assert len(sheet("a4").fronts) == 10 and len(sheet("letter").fronts) == 8


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
        "1",
        "-l",
        "1",
        str(path),
        str(tmp_path / "front"),
    )
    png = next(tmp_path.glob("front*.png"))
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
        ("contact=" + "9" * 101, "too long"),
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
