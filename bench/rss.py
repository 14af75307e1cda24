"""Bounded memory under load: each gunicorn worker's RSS, warm, then loaded.

One warm-up pass requests every reader page, print view, PDF and card
picture, each twice at once so that both workers make it (a PDF is rendered
once, by one of them, into the PDF folder they share); then wrk requests
them in turn for BENCH_RSS_SECONDS (default 600, the issue's 10 minutes).
The goal: each worker's RSS at the end within 10% of what it was after the
warm-up.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError

from load import fetch, gunicorn, rss_kb, stop, workers, wrk
from report import goal, say

SECONDS = float(os.environ.get("BENCH_RSS_SECONDS", "600"))
# RSS is sampled this often during the run, to show whether it still grows.
SAMPLE_SECONDS = 30
LIMIT = 0.10


def span(seconds: float) -> str:
    """Say how long a run was: "10-minute", "30-second"."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g}-minute"
    return f"{seconds:g}-second"


def every_url(settings: dict) -> list[str]:
    """Return the path of every page, print view, PDF and picture the reader
    serves in its published languages."""
    from flask import url_for

    from reader import create_app
    from reader.export import pages
    from reader.i18n import reader_languages

    app = create_app({"TESTING": True, **settings})
    with app.test_request_context("/"):
        tags = [lang.tag for lang in reader_languages()]
        return [url_for(endpoint, **values) for endpoint, values in pages(tags)]


def warm_up(base: str, paths: list[str]) -> tuple[float, list[str]]:
    """Request every path twice at once, so that each of the two workers
    (busy with one, the other takes the next) makes it; return the time and
    the failures."""

    def one(path: str) -> str | None:
        try:
            status = fetch(base + path)[0]
        except HTTPError as e:
            status = e.code
        return None if status == 200 else f"{path} {status}"

    start = time.perf_counter()
    failed = []
    with ThreadPoolExecutor(2) as pool:
        for path in paths:
            failed += {f for f in pool.map(one, [path, path]) if f}
    return time.perf_counter() - start, failed


def memory(settings: dict) -> None:
    say("## Memory under load: RSS of each gunicorn worker")
    say()
    paths = every_url(settings)
    errors = Path(tempfile.mkdtemp(prefix="reader-rss-")) / "gunicorn.log"
    # A PDF folder of its own, empty: the warm-up renders every PDF.
    server, base = gunicorn(
        "reader:create_app()",
        errors=errors,
        READER_PDF_CACHE_DIR=str(errors.parent / "pdfs"),
    )
    try:
        took, failed = warm_up(base, paths)
        pids = workers(server)
        before = {pid: rss_kb(pid) for pid in pids}
        say(
            f"Warm-up: {len(paths)} URLs (every page, print view, PDF and card "
            f"picture) requested twice at once, so that both workers make it, in "
            f"{took:.0f} s; "
            f"{len(failed)} did not answer 200"
            + (f" ({', '.join(failed[:5])})" if failed else "")
            + f". Then wrk requested them in turn for {SECONDS:g} s."
        )
        say()
        samples = {pid: [before[pid]] for pid in pids}
        done, load = 0.0, {"requests": 0, "errors": 0, "socket_errors": 0}
        while done < SECONDS:
            step = min(SAMPLE_SECONDS, SECONDS - done)
            r = wrk(base, step, paths)
            for key in load:
                load[key] += r[key]
            done += step
            for pid in pids:
                if (kb := rss_kb(pid)) is not None:
                    samples[pid].append(kb)
        now = workers(server)
        log = errors.read_text("utf-8", "replace")
        say(
            f"Under load: {load['requests']:,} requests "
            f"({load['requests'] / SECONDS:,.0f}/s), {load['errors']} not 2xx/3xx, "
            f"{load['socket_errors']} socket errors; gunicorn logged "
            f"{log.count('Traceback')} tracebacks and "
            f"{log.count('WORKER TIMEOUT')} worker timeouts."
            + ("" if now == pids else f" Workers were replaced: {pids} -> {now}.")
        )
        say()
        say(
            "| worker | RSS after warm-up MB | at the end MB | change "
            "| lowest–highest MB | peak (VmHWM) MB |"
        )
        say("| --- | ---: | ---: | ---: | ---: | ---: |")
        worst = 0.0
        for n, pid in enumerate(pids, 1):
            start, end = before[pid], samples[pid][-1]
            change = (end - start) / start
            worst = max(worst, abs(change))
            peak = rss_kb(pid, "VmHWM")
            say(
                f"| {n} | {start / 1024:.1f} | {end / 1024:.1f} | {change:+.1%} | "
                f"{min(samples[pid]) / 1024:.1f}–{max(samples[pid]) / 1024:.1f} | "
                + (f"{peak / 1024:.1f} |" if peak else "gone |")
            )
        say()
        goal(
            f"each worker's RSS flat within {LIMIT:.0%} from the end of the "
            f"warm-up to the end of a {span(SECONDS)} run",
            f"largest change {worst:.1%}",
            worst <= LIMIT and now == pids,
        )
    finally:
        stop(server)
        shutil.rmtree(errors.parent, ignore_errors=True)
    say()
