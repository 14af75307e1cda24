"""Count glossary-check findings on the frozen catalogs, before and after.

"Before" is the check as it was until issue 14 (the English term found, the
glossary translation not a substring of the translation); "after" is
``flask translate check``'s glossary check. Run from the checkout::

    .venv/bin/python bench/glossary_noise.py
"""

from __future__ import annotations

import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_catalog_checks import FROZEN, glossary_errors, naive_warnings  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(FROZEN) as tar:
        tar.extractall(tmp, filter="data")
        before, after = naive_warnings(Path(tmp)), glossary_errors(Path(tmp))
    print(f"{FROZEN.name}: {before} glossary warnings before, {len(after)} after")
    for finding in after:
        print(f"  {finding}")


if __name__ == "__main__":
    main()
