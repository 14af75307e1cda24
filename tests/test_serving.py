"""The real gunicorn, alone and behind docs/nginx.conf: logs keep nothing we
promise not to keep, and forged headers change nothing the reader generates."""

from __future__ import annotations

import doctest
import gzip
import http.client
import http.server
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import brotli
import pytest
from conftest import copy_translations

from reader import ROOT, logs

PUBLIC = "https://rights.example.org/"
ORG, CONTACT, TOKEN = "Casa-Refugio-7731", "Marta-555-0199", "Tok3nZq9vX2mSecret"
FORGED_HOST, FORGED_IP, FORGED_IP6 = "evil.example", "198.51.100.23", "2001:db8::23"
PRINT_QUERY = "?" + urlencode({"org": ORG, "contact": CONTACT})
# Never in any log line: the client's address, what the print form sent, the
# invite token, and whatever a client claimed about itself.
NEVER_LOGGED = ("127.0.0.1", ORG, CONTACT, TOKEN, FORGED_HOST, FORGED_IP, FORGED_IP6)
FORGED = {
    "Host": FORGED_HOST,
    "X-Forwarded-Host": FORGED_HOST,
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Ssl": "off",
    "X-Forwarded-Port": "8080",
    "X-Forwarded-For": f"{FORGED_IP}, {FORGED_IP6}",
    "X-Real-IP": FORGED_IP,
    "Forwarded": f"for={FORGED_IP};host={FORGED_HOST};proto=http",
}
Start = Callable[..., subprocess.Popen]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Stop a process we started, and its children, within a few seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: only ours
            proc.wait(timeout=5)


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start processes logging to files in tmp_path; stop them all afterwards."""
    started: list[tuple[subprocess.Popen, list]] = []

    def run(name: str, args: list[str], env: dict[str, str] | None = None):
        files = [(tmp_path / f"{name}.{s}").open("wb") for s in ("out", "err")]
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=files[0],
            stderr=files[1],
            start_new_session=True,
        )
        started.append((proc, files))
        return proc

    try:
        yield run
    finally:
        for proc, files in started:
            stop(proc)
            for f in files:
                f.close()


def logs_of(tmp_path: Path) -> str:
    """Return every log our processes wrote: their output and nginx's files."""
    paths = [*tmp_path.glob("*.out"), *tmp_path.glob("*.err")]
    paths += tmp_path.glob("nginx-*/*.log")
    return "\n".join(p.read_text("utf-8", "replace") for p in sorted(paths))


def wait_until_serving(proc: subprocess.Popen, port: int, tmp_path: Path) -> None:
    """Wait (at most 20 s) until the server on ``port`` answers /healthz."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited:\n{logs_of(tmp_path)}")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{proc.args[0]} did not answer in 20 s:\n{logs_of(tmp_path)}")


def gunicorn(
    start: Start, tmp_path: Path, *args: str, **env: str
) -> tuple[subprocess.Popen, int]:
    """Serve a copy of the test site with the real gunicorn; return it and its port."""
    if not (tmp_path / "content").exists():
        shutil.copytree(ROOT / "tests" / "data" / "content", tmp_path / "content")
    if not (tmp_path / "translations").exists():
        copy_translations(tmp_path / "translations")
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    environ.update(
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=env.pop("WEB_CONCURRENCY", "1"),
        PYTHONUNBUFFERED="1",
        READER_CONTENT_DIR=str(tmp_path / "content"),
        READER_TRANSLATIONS_DIR=str(tmp_path / "translations"),
        READER_PUBLISH_THRESHOLD="0",
        READER_TRANSLATOR_DB=str(tmp_path / "translators.sqlite3"),
        READER_SECRET_KEY="test",
        READER_PDF_CACHE_DIR=str(tmp_path / "pdf-cache"),
        **env,
    )
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py"]
    # The control socket would be shared with any other gunicorn of this user.
    command += ["--no-control-socket", *args, "reader:create_app()"]
    proc = start("gunicorn", command, environ)
    wait_until_serving(proc, port, tmp_path)
    return proc, port


def get(
    port: int, path: str, headers: dict | None = None, method: str = "GET", body=None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Send one request with http.client; return status, headers and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def raw(port: int, data: bytes) -> bytes:
    """Send bytes as they are, and return the answer (the server closes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


def test_scrub_examples():
    assert doctest.testmod(logs).failed == 0


# An operator's access log format that asks for what a client sent about itself.
NOSY_FORMAT = (
    '"%(r)s" %(s)s %(B)s h=%(h)s a=%(a)s f=%(f)s u=%(u)s '
    "xff=%({x-forwarded-for}i)s c=%({cookie}i)s e=%({raw_uri}e)s o=%({etag}o)s"
)


def test_gunicorn_logs_keep_no_address_query_or_token(start, tmp_path):
    server, port = gunicorn(
        start, tmp_path, "--log-level", "debug", "--access-logformat", NOSY_FORMAT
    )
    assert get(port, "/es/door/print/" + PRINT_QUERY)[0] == 200
    nosy = {
        **FORGED,
        "Host": "localhost",
        "User-Agent": f"Phone {ORG}",
        "Referer": f"http://localhost/?org={ORG}",
        "Cookie": f"session={TOKEN}",
    }
    assert get(port, "/es/door/", nosy)[0] == 200
    assert get(port, "/ES/door/print/" + PRINT_QUERY)[0] == 301
    assert get(port, f"/translate/invite/{TOKEN}?next=/translate/")[0] == 404
    assert get(port, f"/translate/%69nvite/{TOKEN}")[0] == 404  # one spelling logged
    assert get(port, f"/translate//invite/{TOKEN}")[0] == 308
    assert get(port, f"/translate/invite/{TOKEN}", method="POST", body=b"x")[0] == 400
    assert get(port, "/es/door", FORGED)[0] == 308
    malformed = [
        f"GET /es/?org={ORG} HTTP/9.9",  # an unknown version
        f"GET /es/?org={ORG} x&contact={CONTACT} HTTP/1.1",  # spaces in the query
        f"get /es/?contact={CONTACT} HTTP/1.1",  # a lower-case method
        f"GET /es/?org={ORG}&contact={CONTACT}{'x' * 5000} HTTP/1.1",  # too long
        f"GET /translate/invite/{TOKEN}?org={ORG} HTTP/1.1\r\nBad Name: 1",
        f"GET /es/?org={ORG} HTTP/1.1\r\nX-Pad: {'a' * 9000}",  # a header too long
        f"GET /es/?org={ORG} HTTP/1.1\r\nHost: {FORGED_IP}\r\nHost: {FORGED_HOST}",
    ]
    for request in malformed:
        assert raw(port, f"{request}\r\n\r\n".encode()).startswith(b"HTTP/1.1 4")
    stop(server)

    access, errors = (tmp_path / "gunicorn.out").read_text(), logs_of(tmp_path)
    assert '"GET /es/door/print/ HTTP/1.1" 200 ' in access
    assert '"GET /translate/invite/- HTTP/1.1" 404 ' in access
    # Header and environ atoms are not offered: they log as "-".
    assert '"GET /es/door/ HTTP/1.1" 200 ' in access
    assert "h=- a=- f=- u=- xff=- c=- e=- o=-" in access
    assert "Invalid request from ip=-: " in errors  # warnings are kept, scrubbed
    assert "[DEBUG] GET /es/door/print/\n" in errors
    for value in NEVER_LOGGED:
        assert value not in errors


def substitute(text: str, pattern: str, replacement: str, count: int) -> str:
    """Replace ``pattern`` in the operator's file, found exactly ``count`` times."""
    text, n = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert n == count, f"docs/nginx.conf: expected {count} of {pattern!r}, found {n}"
    return text


def nginx(
    start: Start, tmp_path: Path, upstream: int
) -> tuple[subprocess.Popen, int, int]:
    """Run docs/nginx.conf in front of ``upstream``; return it and its two ports."""
    folder, http, https = tmp_path / f"nginx-{upstream}", free_port(), free_port()
    folder.mkdir()
    site = (ROOT / "docs" / "nginx.conf").read_text("utf-8")
    site = substitute(site, r"^\s*listen \[::\]:\d+.*\n", "", 2)  # IPv4 is enough
    site = substitute(site, r"^\s*ssl_certificate.*\n", "", 2)  # TLS is not tested
    site = substitute(site, r"listen 443 ssl;", f"listen 127.0.0.1:{https};", 1)
    site = substitute(site, r"listen 80;", f"listen 127.0.0.1:{http};", 1)
    site = substitute(site, r"127\.0\.0\.1:8000;", f"127.0.0.1:{upstream};", 2)
    site = substitute(site, r"/var/log/nginx/", f"{folder}/", 2)
    (folder / "site.conf").write_text(site, "utf-8")
    user = pwd.getpwuid(os.geteuid()).pw_name
    # Like Debian's /etc/nginx/nginx.conf: an error log and an access log with
    # the client's address for every site that does not turn its own off.
    main = f"""
        {f"user {user};" if os.geteuid() == 0 else ""}
        pid {folder}/nginx.pid;
        error_log {folder}/error.log;
        events {{}}
        http {{
            access_log {folder}/access.log;
            client_body_temp_path {folder}/body;
            proxy_temp_path {folder}/proxy;
            fastcgi_temp_path {folder}/fastcgi;
            uwsgi_temp_path {folder}/uwsgi;
            scgi_temp_path {folder}/scgi;
            include {folder}/site.conf;
        }}
    """
    (folder / "nginx.conf").write_text(main, "utf-8")
    command = ["nginx", "-p", f"{folder}/", "-c", f"{folder}/nginx.conf"]
    proc = start(folder.name, [*command, "-g", "daemon off;"])
    wait_until_serving(proc, https, tmp_path)
    return proc, http, https


def locations(port: int, headers: dict) -> list[str]:
    """Return the Location of each redirect the reader and nginx send."""
    paths = [
        "/es/door",  # the trailing slash
        "/ES/door/print/" + PRINT_QUERY,  # the canonical tag
        "/translate//invite/x",  # merged slashes
        "/translate/es/door/",  # sign in first
    ]
    found = []
    for path in paths:
        status, response, _ = get(port, path, headers)
        assert status in (301, 302, 308), path
        found.append(response["Location"])
    return found


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_in_front_keeps_links_public_and_logs_empty(start, tmp_path):
    server, app = gunicorn(start, tmp_path, READER_PUBLIC_BASE_URL=PUBLIC)
    proxy, http_port, port = nginx(start, tmp_path, app)

    # Forged first: the PDF is made (then cached) from the forged request.
    forged_pdf = get(port, "/es/door/letter.pdf", FORGED)
    forged_print = get(port, "/es/door/print/" + PRINT_QUERY, FORGED)
    honest = {"Host": "rights.example.org"}
    print_view = get(port, "/es/door/print/" + PRINT_QUERY, honest)
    assert forged_print[0] == print_view[0] == forged_pdf[0] == 200
    assert forged_print[2] == print_view[2]  # byte for byte
    html = print_view[2].decode("utf-8")
    assert f"<title>{PUBLIC}es/door/</title>" in html  # the QR code's URL
    assert f'<span dir="ltr">{PUBLIC}es/door/</span>' in html  # "read online"
    text = subprocess.run(
        ["pdftotext", "-", "-"],
        input=forged_pdf[2],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout.decode("utf-8")
    assert f"{PUBLIC}es/door/" in text
    redirects = locations(port, FORGED)
    redirects += [get(http_port, "/es/door/?x=1", FORGED)[1]["Location"]]
    assert redirects[-1] == f"{PUBLIC}es/door/?x=1"  # plain HTTP goes to HTTPS
    assert redirects == locations(port, honest) + redirects[-1:]
    for location in redirects:
        assert location.startswith(("/", PUBLIC)) and not location.startswith("//")
    for body in (html, text, *redirects):
        assert FORGED_HOST not in body and "http://" not in body

    # What the reader uses still gets through: languages, revalidation, and
    # the translator web's cookie (Secure: gunicorn trusts nginx's https) and form.
    assert b'<html lang="ar"' in get(port, "/", {"Accept-Language": "ar"})[2]
    gzip = {"Accept-Encoding": "gzip"}
    page = get(port, "/es/door/", gzip)[1]
    assert page["Content-Encoding"] == "gzip"
    assert get(port, "/es/door/", {**gzip, "If-None-Match": page["ETag"]})[0] == 304
    status, login, body = get(port, "/translate/login")
    cookie = login["Set-Cookie"]
    assert status == 200 and "Secure" in cookie and login["Content-Encoding"] is None
    csrf = re.search(rb'name="csrf" value="([^"]+)"', body)[1].decode()
    form = urlencode({"csrf": csrf, "username": "maria", "password": "wrong password"})
    headers = {"Cookie": cookie.split(";")[0], **FORGED}
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert get(port, "/translate/login", headers, "POST", form)[0] == 401

    # An error nginx logs with the client's address (a body over the limit).
    too_big = {"Content-Length": str(4 * 1024 * 1024)}
    assert get(port, f"/translate/invite/{TOKEN}", too_big, "POST")[0] == 413
    stop(proxy)
    stop(server)
    logged = logs_of(tmp_path)
    for value in NEVER_LOGGED:
        assert value not in logged


class Upstream(http.server.BaseHTTPRequestHandler):
    """Answer every request with "ok", keeping the headers nginx sent."""

    def do_GET(self) -> None:
        self.server.seen[self.path] = dict(self.headers)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_forwards_only_what_the_reader_uses(start, tmp_path):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    upstream.seen = {}
    thread = threading.Thread(target=upstream.serve_forever, daemon=True)
    thread.start()
    try:
        _, _, port = nginx(start, tmp_path, upstream.server_address[1])
        sent = {
            **FORGED,
            "User-Agent": "Reader's phone",
            "Referer": "https://elsewhere.example/",
            "Accept-Language": "es",
            "If-None-Match": '"abc"',
            "Cookie": "session=x",
        }
        assert get(port, "/es/door/", sent)[2] == b"ok"
    finally:
        upstream.shutdown()
        upstream.server_close()
        thread.join(timeout=10)
    assert upstream.seen["/es/door/"] == {
        "Host": "rights.example.org",
        "X-Forwarded-Proto": "https",
        "Connection": "close",
        "Accept-Language": "es",
        "If-None-Match": '"abc"',
        "Cookie": "session=x",
    }


def test_gunicorn_sends_pages_and_static_files_compressed_once(start, tmp_path):
    """The real headers, as gunicorn sends them: encoding, Vary, one Cache-Control."""
    _server, port = gunicorn(start, tmp_path)
    status, headers, body = get(port, "/es/door/", {"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in headers["Vary"]
    assert headers.get_all("Cache-Control") == ["public, no-cache"]
    html = brotli.decompress(body).decode()
    assert "En la puerta" in html and "<style>" in html
    # The same bytes for the next reader: encoded once, with a stable ETag.
    again = get(port, "/es/door/", {"Accept-Encoding": "gzip, br"})
    assert again[2] == body and again[1]["ETag"] == headers["ETag"]
    status, plain, text = get(
        port, "/es/door/", {"Accept-Encoding": "gzip;q=1, br;q=0"}
    )
    assert plain["Content-Encoding"] == "gzip"
    assert gzip.decompress(text).decode() == html
    assert plain["ETag"] != headers["ETag"]
    status, identity, raw_body = get(port, "/es/door/")
    assert "Content-Encoding" not in identity and raw_body.decode() == html
    # A static file: compressed, kept a year, one Cache-Control.
    login = get(port, "/translate/login")[2].decode()
    css = re.search(r'href="(/static/contrib\.css\?v=\w+)"', login).group(1)
    status, headers, body = get(port, css, {"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in headers["Vary"]
    assert headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert b".progress" in brotli.decompress(body)


def test_gunicorn_sends_a_cached_page_as_it_sent_it_first(start, tmp_path):
    """The front cache's answer is the first answer: same headers, same body,
    one Date (the server's, for now), for a document and for the chooser."""
    _server, port = gunicorn(start, tmp_path, READER_PUBLISH_CHECK_SECONDS="60")
    for path, headers in [
        ("/es/door/", {"Accept-Encoding": "br, gzip"}),
        ("/", {"Accept-Encoding": "gzip", "Accept-Language": "es-MX,es;q=0.9"}),
    ]:
        first, again = get(port, path, headers), get(port, path, headers)
        assert first[0] == again[0] == 200
        assert first[2] == again[2]
        for response in (first[1], again[1]):
            assert len(response.get_all("Date")) == 1
        assert [h for h in first[1].items() if h[0] != "Date"] == [
            h for h in again[1].items() if h[0] != "Date"
        ]
    chooser = get(port, "/", {"Accept-Language": "es"})
    assert chooser[1]["Vary"] == "Accept-Encoding, Accept-Language"
    assert b'<html lang="es"' in chooser[2]
    assert b'<html lang="ar"' in get(port, "/", {"Accept-Language": "ar"})[2]


def test_gunicorn_workers_render_a_pdf_once_and_send_it_from_disk(start, tmp_path):
    """Two workers asked for the same PDF at once send the same bytes, from
    the one file they share (one writes it while the other waits), whole or
    in parts."""
    _server, port = gunicorn(start, tmp_path, WEB_CONCURRENCY="2")
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: get(port, "/es/door/letter.pdf"), range(4)))
    assert {status for status, _, _ in answers} == {200}
    assert len({body for _, _, body in answers}) == 1
    (stored,) = (tmp_path / "pdf-cache").glob("*.pdf")
    assert stored.read_bytes() == answers[0][2]
    assert answers[0][1]["Accept-Ranges"] == "bytes"
    part = get(port, "/es/door/letter.pdf", {"Range": "bytes=1-3"})
    assert part[0] == 206 and part[2] == b"PDF"
    assert "Traceback" not in logs_of(tmp_path)
