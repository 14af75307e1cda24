"""Measure the reader on this machine and write docs/benchmarks.md.

Run with ``bench/run`` (it installs wrk and nginx first). Everything runs on
loopback and stops by itself. Figures drift between runs on shared machines:
compare the ratios measured in one run, not absolute numbers across runs.

Durations come from the environment, for a short smoke run:
BENCH_SECONDS (10, per URL and round), BENCH_ROUNDS (3) and
BENCH_RSS_SECONDS (600, the loaded run of the memory step).
"""

from __future__ import annotations

import gzip
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from load import (  # noqa: E402
    HEADERS,
    cpu_seconds,
    fetch,
    free_port,
    gunicorn,
    stop,
    wait_for,
    workers,
    wrk,
)
from report import goal, lines, say, summary  # noqa: E402
from rss import memory  # noqa: E402

from reader import create_app  # noqa: E402

BUDGET = 14 * 1024
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CEILING = "ceiling"
MIRROR = "mirror"
# The page the mirror sends as the reader sent it.
MIRRORED = "/es/at-your-door/"
# Headers the server adds itself: not the app's to send.
SERVER_HEADERS = {"server", "date", "connection", "transfer-encoding"}
# (server, path, label, the goal as a ratio of the ceiling or None)
SERVED = [
    (
        CEILING,
        "/",
        "raw WSGI callable, 2-byte body (bench/ceiling.py): the ceiling",
        None,
    ),
    (
        MIRROR,
        "/",
        f"raw WSGI callable sending `{MIRRORED}` as the reader sent it: its "
        "headers and br body (bench/ceiling.py mirror)",
        None,
    ),
    ("reader", "/es/at-your-door/", "document, Spanish (LTR), front cache", 0.95),
    ("reader", "/ar/at-your-door/", "document, Arabic (RTL), front cache", 0.95),
    ("reader", "/", "language chooser, front cache by negotiated language", 0.9),
    ("reader", "/healthz", "/healthz, through Flask (never cached)", None),
]


def measure(bases: dict[str, str], pids: dict[str, list[int]]) -> dict:
    """Run wrk on every URL in ROUNDS interleaved rounds, so that a machine
    busier in one minute than the next weighs on every URL alike. Each
    result also has the CPU time the server's workers spent per request."""
    results: dict[str, list[dict]] = {}
    for _ in range(ROUNDS):
        for server, path, _label, _goal in SERVED:
            before = cpu_seconds(pids[server])
            r = wrk(bases[server] + path, DURATION)
            r["cpu_us"] = (cpu_seconds(pids[server]) - before) / r["requests"] * 1e6
            results.setdefault(server + path, []).append(r)
    return results


def check_sent(bases: dict[str, str]) -> dict[str, tuple[int, str]]:
    """Fetch each URL once as wrk will; return its body size and encoding."""
    sent = {}
    for server, path, _label, _goal in SERVED:
        status, headers, body = fetch(bases[server] + path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        sent[server + path] = (len(body), headers.get("Content-Encoding") or "-")
    return sent


def mirrored(reader_base: str, target: Path) -> Path:
    """Write what the reader sends for MIRRORED (a front cache hit): the
    headers the app gave and the body, for bench/ceiling.py's mirror."""
    import base64
    import http.client
    import json
    from urllib.parse import urlsplit

    url = urlsplit(reader_base)
    for _ in range(3):  # the third comes from the front cache
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", MIRRORED, headers=HEADERS)
        response = conn.getresponse()
        body = response.read()
        conn.close()
    headers = [
        (k, v) for k, v in response.getheaders() if k.lower() not in SERVER_HEADERS
    ]
    target.write_text(
        json.dumps({"headers": headers, "body": base64.b64encode(body).decode()}),
        encoding="utf-8",
    )
    return target


def sent_headers(mirror_file: Path) -> list:
    import json

    return json.loads(mirror_file.read_text("utf-8"))["headers"]


def serving(export_dir: Path) -> None:
    say("## Serving: gunicorn (gunicorn.conf.py, 2 sync workers) under wrk")
    say()
    say(
        "The ceiling is a raw WSGI callable returning 2 bytes (bench/ceiling.py), "
        "served by the same gunicorn with the same gunicorn.conf.py and the same "
        "log settings as the reader: the live ones, access log on through the "
        "scrubbing logger (to stdout, here /dev/null). Both servers run side by "
        "side; every URL gets the same requests (wrk -H "
        + ", ".join(f"`{k}: {v}`" for k, v in HEADERS.items())
        + f"), in {ROUNDS} interleaved rounds of {DURATION} s. Document pages and "
        "the chooser come from the front cache (reader/pages.py): a WSGI "
        "middleware that answers a repeat request for a page from memory, "
        "before Flask, after a dict lookup (the chooser: one more, from the raw "
        "Accept-Language to the negotiated languages); the files a page is made "
        "from are stat-ed at most once a second (FRONT_CHECK_SECONDS)."
    )
    say()
    ceiling_server, ceiling_base = gunicorn("bench.ceiling:app")
    reader_server = mirror_server = nginx = None
    work = Path(tempfile.mkdtemp(prefix="reader-mirror-"))
    try:
        reader_server, reader_base = gunicorn("reader:create_app()")
        mirror_server, mirror_base = gunicorn(
            "bench.ceiling:mirror",
            BENCH_MIRROR=str(mirrored(reader_base, work / "mirror.json")),
        )
        bases = {CEILING: ceiling_base, MIRROR: mirror_base, "reader": reader_base}
        for server, path, _label, _goal in SERVED:  # warm every worker's caches
            for _ in range(20):
                fetch(bases[server] + path)
        sent = check_sent(bases)
        pids = {
            CEILING: workers(ceiling_server),
            MIRROR: workers(mirror_server),
            "reader": workers(reader_server),
        }
        results = measure(bases, pids)
        ceiling = results[CEILING + "/"]
        ceiling_rps = sum(r["rps"] for r in ceiling) / len(ceiling)
        ceiling_cpu = sum(r["cpu_us"] for r in ceiling) / len(ceiling)
        say(
            "| page | body bytes sent | requests/s | vs the ceiling "
            "| lowest–highest round | worker CPU µs per request | p50 ms "
            "| p99 ms | errors |"
        )
        say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        ratios = {}
        for server, path, label, _goal in SERVED:
            rounds = results[server + path]
            rps = sum(r["rps"] for r in rounds) / len(rounds)
            per_round = [
                r["rps"] / c["rps"] for r, c in zip(rounds, ceiling, strict=True)
            ]
            ratios[server + path] = rps / ceiling_rps
            size, coding = sent[server + path]
            errors = sum(r["errors"] + r["socket_errors"] for r in rounds)
            p50 = sorted(r["p50"] for r in rounds)[len(rounds) // 2]
            cpu = sum(r["cpu_us"] for r in rounds) / len(rounds)
            say(
                f"| {label} `{path}` | {size:,} ({coding}) | {rps:,.0f} | "
                f"{rps / ceiling_rps:.2f}x | {min(per_round):.2f}–"
                f"{max(per_round):.2f}x | {cpu:.0f} ({ceiling_cpu / cpu:.2f}x) | "
                f"{p50:.2f} | {max(r['p99'] for r in rounds):.2f} | {errors} |"
            )
        say()
        say(
            "Requests/s are what the goals are measured in. The CPU time the "
            "server's workers spent per request (in brackets: the ceiling's "
            "over the page's) depends less on what else runs on the machine; "
            "wrk's own share of the two cores is not in it."
        )
        say()
        mirror = ratios[MIRROR + "/"]
        count = len(sent_headers(work / "mirror.json"))
        say(
            f"- What the reader sends for `{MIRRORED}` (its {count} "
            f"headers, among them the security headers, and its body), sent by the "
            f"least WSGI app, runs at {mirror:.2f}x the ceiling: the rest of the "
            f"page's gap is the reader's own work, and the page runs at "
            f"{ratios['reader' + MIRRORED] / mirror:.2f}x the mirror."
        )
        say()
        for server, path, _label, target in SERVED:
            if target is not None:
                goal(
                    f"`{path}` at >= {target}x the ceiling",
                    f"{ratios[server + path]:.2f}x",
                    ratios[server + path] >= target,
                )

        if shutil.which("nginx"):
            nginx_port = free_port()
            # nginx's workers run unprivileged: let them read the export.
            for folder in [
                export_dir,
                *(p for p in export_dir.rglob("*") if p.is_dir()),
            ]:
                folder.chmod(0o755)
            work = Path(tempfile.mkdtemp(prefix="reader-nginx-"))
            conf = work / "nginx.conf"
            conf.write_text(
                f"daemon off; worker_processes 1; pid {work}/nginx.pid;\n"
                f"error_log {work}/error.log;\n"
                "events {}\nhttp { access_log off; include /etc/nginx/mime.types;\n"
                f"server {{ listen 127.0.0.1:{nginx_port}; root {export_dir}; }} }}\n"
            )
            nginx = subprocess.Popen(
                ["nginx", "-c", str(conf), "-p", str(work)],
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            static = f"http://127.0.0.1:{nginx_port}/es/at-your-door/index.html"
            wait_for(static)
            r = wrk(static, DURATION)
            say(
                f"- The same Spanish document from the static export under nginx "
                f"(access log off): {r['rps']:,.0f} requests/s, p50 {r['p50']:.2f} "
                f"ms, p99 {r['p99']:.2f} ms "
                f"({r['rps'] / ceiling_rps:.1f}x the WSGI ceiling)."
            )
    finally:
        for server in (ceiling_server, reader_server, mirror_server):
            if server is not None:
                stop(server)
        shutil.rmtree(work, ignore_errors=True)
        if nginx is not None:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=30)
    say()


def settings() -> dict:
    return {
        "CONTENT_DIR": str(ROOT / "content"),
        "TRANSLATIONS_DIR": str(ROOT / "translations"),
        "PUBLISH_THRESHOLD": 80,
        "PUBLIC_BASE_URL": "https://rights.example.org",
    }


def all_pages(client) -> list[str]:
    from reader.export import page_paths
    from reader.i18n import reader_languages

    with client.application.test_request_context("/"):
        return page_paths([lang.tag for lang in reader_languages()])


def page_weight() -> None:
    say("## Page weight: HTML plus its stylesheets, gzip -9")
    say()
    client = create_app({"TESTING": True, **settings()}).test_client()
    css = {}
    rows = []
    for path in all_pages(client):
        response = client.get(path)
        html = response.get_data()
        sheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
        extra = 0
        for href in sheets:
            if href not in css:
                with client.get(href.decode()) as r:
                    css[href] = len(gzip.compress(r.get_data(), 9))
            extra += css[href]
        rows.append((path, len(html), len(gzip.compress(html, 9)) + extra))
    worst = max(rows, key=lambda r: r[2])
    over = [r for r in rows if r[2] > BUDGET]
    say(
        f"{len(rows)} pages. Largest: `{worst[0]}` {worst[2]:,} bytes gzipped "
        "with CSS. "
        f"Target every page <= {BUDGET:,} bytes: "
        + ("met." if not over else f"NOT met for {len(over)} pages.")
    )
    say()
    say("| page | HTML bytes | gzip bytes incl. CSS |")
    say("| --- | ---: | ---: |")
    for path, raw, packed in rows:
        if path.count("/") <= 2 or path.startswith(("/es/", "/ar/", "/zh-Hant/")):
            say(f"| `{path}` | {raw:,} | {packed:,} |")
    say()
    say(
        "(Every page is measured; the table lists `/`, every language's list and "
        "credits, and all pages of es, ar and zh-Hant.)"
    )
    say()


def page_cache() -> None:
    say("## What the caches save")
    say()
    from werkzeug.test import EnvironBuilder

    app = create_app({**settings(), "PUBLISH_CHECK_SECONDS": 3600})
    pages = app.extensions["reader.pages"]
    front = app.extensions["reader.front"]

    def per_request(path: str, clear, n: int = 400) -> float:
        environ = EnvironBuilder(path=path).get_environ()
        start = time.perf_counter()
        for _ in range(n):
            clear()
            b"".join(app(dict(environ), lambda *a: None))
        return (time.perf_counter() - start) / n

    def nothing() -> None:
        pass

    def both() -> None:
        pages.clear()
        front.entries.clear()

    say("| page | rendered | from the page cache | from the front cache |")
    say("| --- | ---: | ---: | ---: |")
    for path in ("/es/at-your-door/", "/ar/at-your-door/", "/es/", "/healthz"):
        per_request(path, nothing, 20)
        cold = per_request(path, both, 100)
        warm = per_request(path, front.entries.clear)
        hot = per_request(path, nothing)
        say(
            f"| `{path}` | {cold * 1e3:.3f} ms | {warm * 1e3:.3f} ms | "
            f"{hot * 1e3:.3f} ms |"
        )
    say()
    say(
        "Per request, in process, calling the WSGI app directly (no server). "
        "/healthz is never cached: its three figures are the same Flask path."
    )
    say()


def pdfs() -> None:
    say("## PDF generation (WeasyPrint, in process)")
    say()
    say("| PDF | cold s | warm s | size KB |")
    say("| --- | ---: | ---: | ---: |")
    for tag in ("es", "ar", "zh-Hans"):
        for label, path in (
            ("guide", f"/{tag}/at-your-door/letter.pdf"),
            ("card sheet", f"/{tag}/rights-card/sheet-letter.pdf"),
            ("print pack", f"/{tag}/pack-letter.pdf"),
        ):
            client = create_app({"TESTING": True, **settings()}).test_client()
            client.get(f"/{tag}/")  # load catalogs; time only the PDF
            start = time.perf_counter()
            data = client.get(path).get_data()
            cold = time.perf_counter() - start
            start = time.perf_counter()
            client.get(path)
            warm = time.perf_counter() - start
            say(
                f"| {label} `{path}` | {cold:.2f} | {warm:.4f} | "
                f"{len(data) / 1024:.0f} |"
            )
    say()
    say(
        "Cold: the first request in a fresh app (WeasyPrint layout and font "
        "subsetting), which writes the PDF to the shared folder "
        "(`PDF_CACHE_DIR`); warm: the same PDF again, sent from that file."
    )
    say()


def workflow() -> None:
    say("## Translator workflow: extract + update + compile, all languages")
    say()
    tmp = Path(tempfile.mkdtemp(prefix="reader-l10n-"))
    try:
        shutil.copytree(ROOT / "translations", tmp / "translations")
        app = create_app({"TRANSLATIONS_DIR": str(tmp / "translations")})
        runner = app.test_cli_runner()
        times = {}
        for step in ("extract", "update", "compile"):
            start = time.perf_counter()
            result = runner.invoke(args=["translate", step])
            times[step] = time.perf_counter() - start
            if result.exit_code:
                raise RuntimeError(result.output)
        total = sum(times.values())
        say(
            ", ".join(f"{k} {v:.2f} s" for k, v in times.items())
            + f"; total {total:.2f} s "
            f"for {len(list((tmp / 'translations').glob('*/LC_MESSAGES/*.po')))} "
            "catalogs."
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say()


def export(out: Path) -> None:
    import export_bench

    export_bench.export(ROOT, out, settings())


def command() -> str:
    """Return the command that made this report, with the durations it used."""
    from rss import SECONDS as RSS_SECONDS

    return (
        f"BENCH_SECONDS={DURATION} BENCH_ROUNDS={ROUNDS} "
        f"BENCH_RSS_SECONDS={RSS_SECONDS:g} bench/run"
    )


def main() -> None:
    say("# Benchmarks")
    say()
    say(
        f"Measured with `{command()}` on {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. wrk: 1 thread, 16 connections, "
        f"{ROUNDS} rounds of {DURATION} s per URL, on the same 2 cores as the "
        "server. Every ratio is of figures measured side by side in this run."
    )
    say()
    out = Path(tempfile.mkdtemp(prefix="reader-export-"))
    # Every app and server of this run shares one PDF folder of its own, as
    # a site's workers do: never the checkout's instance/ folder, whose PDFs
    # an earlier run made.
    shared = Path(tempfile.mkdtemp(prefix="reader-pdfs-"))
    os.environ["READER_PDF_CACHE_DIR"] = str(shared)
    try:
        sections = [lines[:]]
        del lines[:]
        export(out)
        sections.append(lines[:])
        del lines[:]
        serving(out)
        page_weight()
        page_cache()
        pdfs()
        workflow()
        # Last, on its own: ten minutes of load, and the RSS it leaves.
        memory(settings())
        sections.append(lines[:])
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(shared, ignore_errors=True)
    # Goals, then serving; the export ran first to feed nginx.
    lines[:] = sections[0] + summary() + sections[2] + sections[1]
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
