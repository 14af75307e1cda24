"""Print sizes and times per language: guide, card, sheet, pack and pictures.

    .venv/bin/python bench/prints.py [--no-packs] [LANG ...]

Renders each print once in a fresh app (no cache) and prints a Markdown table
for docs/benchmarks.md. Times are wall clock on a shared machine: compare
rows of one run, not runs.
"""

from __future__ import annotations

import argparse
import time

from reader import create_app

LANGS = ["en", "es", "pt-BR", "fr", "ht", "vi", "tl", "ru", "ar", "fa", "ko",
         "zh-Hans", "zh-Hant"]  # fmt: skip


def measure(client, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, path
    return elapsed, len(response.get_data())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("langs", nargs="*", default=LANGS)
    parser.add_argument("--no-packs", action="store_true")
    args = parser.parse_args()
    # No PDF folder: every print is rendered here, not read from disk.
    app = create_app(
        {
            "TESTING": True,
            "PUBLIC_BASE_URL": "https://rights.example.org",
            "PDF_CACHE_DIR": "",
        }
    )
    client = app.test_client()
    kinds = [
        ("guide", "/{}/at-your-door/letter.pdf"),
        ("card", "/{}/rights-card/card.pdf"),
        ("sheet", "/{}/rights-card/sheet-a4.pdf"),
        ("front png", "/{}/rights-card/card-front.png"),
        ("back png", "/{}/rights-card/card-back.png"),
    ]
    if not args.no_packs:
        kinds.append(("pack", "/{}/pack-letter.pdf"))
    print("| lang | " + " | ".join(f"{k} s / KB" for k, _ in kinds) + " |")
    print("| --- |" + " ---: |" * len(kinds))
    for lang in args.langs:
        cells = []
        for _, path in kinds:
            seconds, size = measure(client, path.format(lang))
            cells.append(f"{seconds:.2f} / {size // 1024}")
        print(f"| {lang} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
