"""Regenerate screenshots of representative pages for people to look at.

    python -m tests.browser.screenshots [OUTDIR]     (default: screenshots/)

Serves the repository's content on a loopback port, opens each page in
Debian's Chromium at phone (360 x 640) and desktop (1280 x 800) widths, and
on the phone in dark mode and with 200% text, and writes whole-page PNGs
named ``<lang>-<page>-<mode>.png``. Every kind of PDF
is rendered too, with poppler's pdftoppm as an organizer would look at it, in
``pdf/<lang>-<print>-<page>.png`` (a pack: its first and last two pages).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from .support import (
    DESKTOP,
    PHONE,
    goto,
    large_text,
    launch,
    missing_tools,
    new_page,
    reader_app,
    serve,
)
from .support import Page as Kind

# (language, page, open the language switcher first). Adding a shot is adding
# a line; /es/rights-card/ stands in for a print view until there is one.
SHOTS = [
    ("es", Kind("chooser", "/"), False),
    ("es", Kind("documents", "/{lang}/"), False),
    ("es", Kind("document", "/{lang}/at-your-door/"), False),
    ("es", Kind("switcher", "/{lang}/at-your-door/"), True),
    ("es", Kind("rights-card", "/{lang}/rights-card/"), False),
    ("es", Kind("print-view", "/{lang}/rights-card/print/"), False),
    ("ar", Kind("bilingual-print-view", "/{lang}/at-your-door/print/?with=en"), False),
    ("zh-Hant", Kind("print-view", "/{lang}/at-your-door/print/"), False),
    ("es", Kind("translator-dashboard", "/translate/"), False),
    ("ar", Kind("documents", "/{lang}/"), False),
    ("ar", Kind("document", "/{lang}/at-your-door/"), False),
    ("ar", Kind("switcher", "/{lang}/at-your-door/"), True),
    ("ar", Kind("rights-card", "/{lang}/rights-card/"), False),
    ("ar", Kind("officer-view", "/{lang}/rights-card/officer/"), False),
    ("fa", Kind("not-found", "/{lang}/no-such-page/", 404), False),
    ("zh-Hant", Kind("documents", "/{lang}/"), False),
    ("zh-Hant", Kind("document", "/{lang}/at-your-door/"), False),
]
# How each page is looked at: phone and desktop widths, the phone's dark
# mode, and a phone with its text set to 200%.
MODES = {
    "phone": {"viewport": PHONE},
    "desktop": {"viewport": DESKTOP},
    "phone-dark": {"viewport": PHONE, "color_scheme": "dark"},
    "phone-text-200": {"viewport": PHONE, "text": 2.0},
}
# Every kind of PDF, with the organizer's lines filled in.
PRINT_LANGS = ["es", "ar", "zh-Hant", "ko"]
BRANDING = "org=Centro+Legal+Comunitario&contact=L%C3%ADnea%3A+%2B1+555-0100"
PRINTS = {
    "guide-letter": "/{lang}/at-your-door/letter.pdf",
    "bilingual-a4": "/{lang}/at-your-door/a4.pdf?with=en",
    "family-plan-letter": "/{lang}/family-plan/letter.pdf",
    "card": "/{lang}/rights-card/card.pdf",
    "sheet-letter": "/{lang}/rights-card/sheet-letter.pdf",
    "sheet-a4-gaps": "/{lang}/rights-card/sheet-a4.pdf?gaps=1",
    "pack-letter": "/{lang}/pack-letter.pdf",
}


def take(outdir: Path) -> tuple[list[Path], list[str]]:
    """Write every screenshot into ``outdir``; return the files and the failures."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    outdir.mkdir(parents=True, exist_ok=True)
    written, failed = [], []
    with serve(reader_app()) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for lang, kind, switcher in SHOTS:
                path = kind.path.format(lang=lang)
                for mode, options in MODES.items():
                    target = outdir / f"{lang}-{kind}-{mode}.png"
                    options = dict(options)
                    text = options.pop("text", None)
                    page = new_page(browser, lang, **options)
                    try:
                        if text:
                            large_text(page, text)
                        goto(page, base + path, kind.status)
                        if switcher:
                            page.locator(".switcher summary").click()
                        page.screenshot(path=target, full_page=True)
                        written.append(target)
                    except (AssertionError, PlaywrightError) as e:
                        failed.append(f"{target.name}: {e}")
                    finally:
                        page.context.close()
        finally:
            browser.close()
    return written, failed


def render_prints(outdir: Path, dpi: int = 100) -> list[Path]:
    """Render every kind of PDF in PRINT_LANGS to PNG with pdftoppm."""
    from reader import create_app

    app = create_app({"TESTING": True, "PUBLIC_BASE_URL": "https://rights.example.org"})
    client = app.test_client()
    folder = outdir / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in PRINT_LANGS:
        for name, path in PRINTS.items():
            url = path.format(lang=lang)
            url += ("&" if "?" in url else "?") + BRANDING
            pdf = client.get(url).get_data()
            with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
                file.write(pdf)
                file.flush()
                info = subprocess.run(
                    ["pdfinfo", file.name], capture_output=True, text=True, check=True
                ).stdout
                pages = int(info.split("Pages:")[1].split()[0])
                wanted = range(1, pages + 1)
                if name.startswith("pack"):
                    wanted = sorted({1, 2, pages - 1, pages})
                for n in wanted:
                    stem = folder / f"{lang}-{name}-{n}"
                    subprocess.run(
                        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile",
                         "-f", str(n), "-l", str(n), file.name, str(stem)],
                        check=True,
                    )  # fmt: skip
                    written.append(stem.with_suffix(".png"))
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, check the tools, take the screenshots."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.browser.screenshots", description=__doc__.split("\n")[0]
    )
    parser.add_argument("outdir", nargs="?", default="screenshots", type=Path)
    args = parser.parse_args(argv)
    missing = [tool for tool in missing_tools() if "axe-core" not in tool]
    if missing:
        print("screenshots need " + "; ".join(missing), file=sys.stderr)
        return 1
    written, failed = take(args.outdir)
    written += render_prints(args.outdir)
    for target in written:
        print(target)
    for failure in failed:
        print(f"failed: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
