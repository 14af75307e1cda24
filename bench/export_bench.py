"""The export half of issue 19: one process against every core, in one run,
then an incremental export after one catalog changes, against a full one.

The export reads a copy of content/ and translations/, so that the catalog
it changes is not the repository's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from report import goal, say

from reader.export import export_site

# Issue 19: about 0.26 s per file before the parallel export.
BEFORE_PER_FILE = 0.26
CHANGED = "translations/es/LC_MESSAGES/at-your-door.po"


def tree(folder: Path) -> dict[str, str]:
    """Return every file of an export with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def timed(config: dict, out: Path, jobs: int | None):
    start = time.perf_counter()
    report = export_site(config, out, jobs)
    return report, time.perf_counter() - start


def export(root: Path, out: Path, settings: dict) -> None:
    """Measure full and incremental exports; leave a full export in ``out``."""
    say("## Static export")
    say()
    work = Path(tempfile.mkdtemp(prefix="reader-export-bench-"))
    try:
        for name in ("content", "translations"):
            shutil.copytree(root / name, work / name)
        config = {
            **settings,
            "CONTENT_DIR": str(work / "content"),
            "TRANSLATIONS_DIR": str(work / "translations"),
        }
        one, one_s = timed(config, work / "one", 1)
        jobs = os.cpu_count() or 1
        every, every_s = timed(config, out, jobs)
        outputs = every.files + len(every.zips)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        say(
            f"{every.files} pages, PDFs and static files plus {len(every.zips)} "
            f"offline ZIPs ({sum(1 for p in out.rglob('*') if p.is_file())} files "
            f"with the .gz and .br beside each text file), {size / 1e6:.0f} MB; "
            f"broken links: {len(every.broken)}."
        )
        say(
            f"- One process: {one_s:.1f} s. {jobs} processes: {every_s:.1f} s, "
            f"{one_s / every_s:.2f}x faster, {every_s / outputs:.3f} s per output "
            f"file ({one_s / outputs:.3f} s in one process)."
        )
        peak = max(every.peak_kb.values()) / 1024
        say(
            "- Peak memory per process (MB): "
            + ", ".join(f"{kb / 1024:.0f}" for kb in sorted(every.peak_kb.values()))
            + f"; one process alone: {max(one.peak_kb.values()) / 1024:.0f}. "
            "Of which the process's own (anonymous) memory, the most seen at the "
            "end of a task (the rest is font files mapped from disk, shared by "
            "every process): "
            + ", ".join(f"{kb / 1024:.0f}" for kb in sorted(every.own_kb.values()))
            + "."
        )
        own = max(every.own_kb.values()) / 1024
        same = tree(work / "one") == tree(out)
        goal(
            "parallel export on 2 cores",
            f"{one_s / every_s:.2f}x",
            one_s / every_s >= 1.8,
        )
        per_file = every_s / outputs
        goal(
            "time per output file at most 40% of 0.26 s",
            f"{per_file:.3f} s ({per_file / BEFORE_PER_FILE:.0%})",
            per_file <= 0.4 * BEFORE_PER_FILE,
        )
        goal("peak memory per process under 400 MB", f"{peak:.0f} MB", peak < 400)
        goal(
            "a process's own memory under 400 MB",
            f"{own:.0f} MB",
            own < 400,
        )
        goal("one process and every core give the same bytes", str(same), same)

        catalog = work / CHANGED
        catalog.write_text(
            catalog.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "¡', 2),
            encoding="utf-8",
        )
        again, again_s = timed(config, out, jobs)
        fresh, _ = timed(config, work / "fresh", jobs)
        equal = tree(out) == tree(work / "fresh")
        say(
            f"- Incremental, after a change to `{CHANGED}`: {again_s:.1f} s, "
            f"{len(again.rebuilt)} files made again "
            f"({', '.join(sorted(again.rebuilt))}), {len(again.deleted)} deleted; "
            f"the same bytes as a full export: {equal}."
        )
        goal(
            "incremental export after one catalog change",
            f"{again_s:.1f} s",
            again_s <= 5,
        )
        goal("incremental export equals a full export", str(equal), equal)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say()
