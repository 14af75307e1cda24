"""Measure the reader on this machine and write docs/benchmarks.md.

Run with ``bench/run`` (it installs wrk and nginx first). Everything runs on
loopback and stops by itself. Figures drift between runs on shared machines:
compare the ratios measured in one run, not absolute numbers across runs.
"""

from __future__ import annotations

import gzip
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader import create_app  # noqa: E402
from reader.export import export_site  # noqa: E402

BUDGET = 14 * 1024
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
lines: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    lines.append(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def wrk(url: str) -> dict:
    """Load ``url`` with wrk (1 thread, 16 connections) and parse its figures."""
    out = subprocess.run(
        ["wrk", "-t1", "-c16", f"-d{DURATION}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=DURATION + 60,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def serving(export_dir: Path) -> None:
    say("## Serving: gunicorn (gunicorn.conf.py, 2 sync workers) under wrk")
    say()
    say(
        "Document pages come from the front cache (reader/pages.py): a WSGI "
        "middleware that answers a repeat request for an unchanged page before "
        "Flask routes it, after one stat of each file the page is made from. "
        "/healthz goes through Flask. The chooser varies by Accept-Language and "
        "goes through Flask and the page cache."
    )
    say()
    port = free_port()
    env = {**os.environ, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--access-logfile",
            "/dev/null",
            "reader:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    nginx = None
    try:
        wait_for(base + "/healthz")
        paths = {
            "/healthz": "healthz (2-byte body: the WSGI ceiling)",
            "/es/at-your-door/": "document, Spanish (LTR)",
            "/ar/at-your-door/": "document, Arabic (RTL)",
            "/": "language chooser",
        }
        for path in paths:  # warm every worker's page cache
            for _ in range(20):
                subprocess.run(
                    ["curl", "-s", "-o", "/dev/null", base + path], check=True
                )
        results = {path: wrk(base + path) for path in paths}
        ceiling = results["/healthz"]["rps"]
        say("| page | requests/s | vs healthz | p50 ms | p99 ms | errors |")
        say("| --- | ---: | ---: | ---: | ---: | ---: |")
        for path, label in paths.items():
            r = results[path]
            say(
                f"| {label} `{path}` | {r['rps']:,.0f} | {r['rps'] / ceiling:.2f}x | "
                f"{r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |"
            )
        say()
        for path in ("/es/at-your-door/", "/ar/at-your-door/"):
            ratio = results[path]["rps"] / ceiling
            verdict = "met" if ratio >= 0.85 else "NOT met"
            say(
                f"- Target: a document page at >= 0.85x /healthz: `{path}` "
                f"{ratio:.2f}x, {verdict}."
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
            r = wrk(static)
            say(
                f"- The same Spanish document from the static export under nginx: "
                f"{r['rps']:,.0f} requests/s, p50 {r['p50']:.2f} ms, "
                f"p99 {r['p99']:.2f} ms "
                f"({r['rps'] / ceiling:.1f}x the WSGI ceiling)."
            )
    finally:
        for proc in (gunicorn, nginx):
            if proc is not None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
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
        "subsetting); warm: the same PDF again, from the cache."
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
    say("## Full static export")
    say()
    start = time.perf_counter()
    report = export_site(settings(), out)
    took = time.perf_counter() - start
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    say(
        f"{report.files} pages and PDFs plus {len(report.zips)} offline ZIPs, "
        f"{size / 1e6:.0f} MB, in {took:.0f} s (PDFs generated cold); broken links: "
        f"{len(report.broken)}. The nginx figure above serves this export."
    )
    say()


def main() -> None:
    say("# Benchmarks")
    say()
    say(
        f"Measured with `bench/run` on {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. wrk: 1 thread, 16 connections, "
        f"{DURATION} s per URL, on the same 2 cores as the server."
    )
    say()
    out = Path(tempfile.mkdtemp(prefix="reader-export-"))
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
        sections.append(lines[:])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    # Serving first in the report; the export ran first to feed nginx.
    lines[:] = sections[0] + sections[2] + sections[1]
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
