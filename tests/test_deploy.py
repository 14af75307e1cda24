"""The static export served by nginx under a sub-path, as docs/deploy.md says:
every link stays under the sub-path and answers, with the live site's headers."""

from __future__ import annotations

import gzip
import os
import pwd
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import DATA, copy_translations, site_app
from helpers import Elements
from test_serving import free_port, get, stop

from reader import ROOT
from reader.deploy import HEADERS_FILE, NGINX_FILE, REDIRECTS_FILE
from reader.export import export_site
from reader.exportplan import MARKER
from reader.security import HEADERS

PREFIX = "/rights-reader/"
# Where docs/deploy.md's recipe puts the export; the test puts its own.
DOCS_FOLDER = "/srv/rights-reader/"
# Links a browser follows only when a reader chooses to.
NOT_FETCHED = ("mailto:", "tel:", "#")
# Debian puts nginx in /usr/sbin, which a user's PATH may lack.
NGINX = shutil.which("nginx", path=os.pathsep.join([os.defpath, "/usr/sbin"]))


def in_ci() -> bool:
    """Tell whether we run in CI, where a missing nginx is a failure."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def sub_path_recipe() -> str:
    """Return the nginx block docs/deploy.md gives for a sub-path."""
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = docs.split("### Under a sub-path", 1)[1]
    return section.split("```", 2)[1]


def mime_types() -> Path:
    """Return the mime.types file beside nginx's own configuration."""
    info = subprocess.run([NGINX, "-V"], capture_output=True, text=True).stderr
    found = re.search(r"--conf-path=(\S+)", info)
    path = Path(found.group(1)).parent / "mime.types" if found else Path()
    assert path.is_file(), f"nginx's mime.types not found: {info}"
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Return a copy of the small test site."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(DATA / "content", site / "content")
    copy_translations(site / "translations")
    return site


@pytest.fixture(scope="module")
def exported(site: Path, tmp_path_factory) -> Path:
    """Export the test site once, ``old-door`` being an old name of ``door``."""
    out = tmp_path_factory.mktemp("export")
    config = {
        "CONTENT_DIR": str(site / "content"),
        "TRANSLATIONS_DIR": str(site / "translations"),
        "PUBLISH_THRESHOLD": 0,
    }
    with pytest.MonkeyPatch.context() as patch:
        from reader.redirects import REDIRECTS

        patch.setitem(REDIRECTS, "old-door", "door")
        report = export_site(config, out)
    assert not report.broken
    return out


@pytest.fixture(scope="module")
def port(request, tmp_path_factory) -> Iterator[int]:
    """Serve the export with nginx, by docs/deploy.md's sub-path recipe."""
    if not NGINX:
        message = "nginx is not installed (scripts/setup installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    exported = request.getfixturevalue("exported")  # only once nginx is there
    folder, port = tmp_path_factory.mktemp("nginx"), free_port()
    recipe = sub_path_recipe()
    assert recipe.count(DOCS_FOLDER) == 2 and f"location {PREFIX} " in recipe
    recipe = recipe.replace(DOCS_FOLDER, f"{exported}/")
    user = pwd.getpwuid(os.geteuid()).pw_name
    main = f"""
        {f"user {user};" if os.geteuid() == 0 else ""}
        pid {folder}/nginx.pid;
        error_log {folder}/error.log;
        events {{}}
        http {{
            include {mime_types()};
            default_type application/octet-stream;
            access_log off;
            client_body_temp_path {folder}/body;
            proxy_temp_path {folder}/proxy;
            fastcgi_temp_path {folder}/fastcgi;
            uwsgi_temp_path {folder}/uwsgi;
            scgi_temp_path {folder}/scgi;
            server {{
                listen 127.0.0.1:{port};
                {recipe}
            }}
        }}
    """
    (folder / "nginx.conf").write_text(main, "utf-8")
    command = [NGINX, "-p", f"{folder}/", "-c", f"{folder}/nginx.conf"]
    with (folder / "nginx.err").open("wb") as err:
        proc = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=err,
            stderr=err,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            log = (folder / "nginx.err").read_text("utf-8", "replace")
            assert proc.poll() is None, f"nginx exited:\n{log}"
            try:
                get(port, PREFIX)
                break
            except OSError:
                assert time.monotonic() < deadline, f"nginx is not serving:\n{log}"
                time.sleep(0.1)
        yield port
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def live(site: Path):
    """Return a test client of the live app over the same test site."""
    return site_app(site).test_client()


def source_links() -> set[str]:
    """Return the addresses of the sources the test documents cite."""
    text = "".join(p.read_text("utf-8") for p in (DATA / "content").glob("*.md"))
    return set(re.findall(r"^\s*url:\s*(\S+)\s*$", text, re.MULTILINE))


def links(page: str) -> list[tuple[str, dict, str]]:
    """Return each tag of ``page`` that names an address: its name, its
    attributes and the address (a refresh's target too)."""
    found = []
    for tag, attrs in Elements(page).tags:
        for name in ("href", "src", "action"):
            if attrs.get(name):
                found.append((tag, attrs, attrs[name]))
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                found.append((tag, attrs, candidate.split()[0]))
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            target = (attrs.get("content") or "").partition("url=")[2]
            found.append((tag, attrs, target.strip()))
    return found


def crawl(port: int) -> tuple[dict[str, str], list[str]]:
    """Fetch every address reachable from the sub-path's start page; return
    the HTML pages by path and what is wrong."""
    allowed_out = source_links()
    pages, problems, seen, queue = {}, [], {PREFIX}, [PREFIX]
    while queue:
        path = queue.pop()
        status, headers, body = get(port, path)
        if status != 200:
            problems.append(f"{path}: {status}")
            continue
        if headers.get_content_type() != "text/html":
            continue
        pages[path] = body.decode("utf-8")
        for tag, attrs, link in links(pages[path]):
            parts = urlsplit(link)
            if link.startswith(NOT_FETCHED):
                continue
            if parts.scheme or parts.netloc:
                # A document's cited source, for the reader to open: an
                # anchor only, that sends no referrer.
                cited = tag == "a" and link in allowed_out
                if not cited or "noreferrer" not in (attrs.get("rel") or ""):
                    problems.append(f"{path}: {tag} to another site: {link}")
                continue
            if link.startswith("/"):
                problems.append(f"{path}: not relative: {link}")
            target = urlsplit(urljoin(path, link)).path
            if not target.startswith(PREFIX):
                problems.append(f"{path}: leaves {PREFIX}: {link}")
            elif target not in seen:
                seen.add(target)
                queue.append(target)
    return pages, problems


@pytest.fixture(scope="module")
def crawled(port: int) -> tuple[dict[str, str], list[str]]:
    return crawl(port)


def test_every_link_stays_under_the_sub_path_and_answers(crawled, exported):
    pages, problems = crawled
    assert problems == []
    # The crawl reached every language, document and print view.
    for path in (
        "es/door/index.html",
        "ar/door/index.html",
        "en/card/officer/index.html",
        "es/door/print/index.html",
        "es/credits/index.html",
    ):
        assert PREFIX + path in pages, path
    # Every page of the export but those at old addresses.
    for page in exported.rglob("index.html"):
        path = page.relative_to(exported).as_posix()
        assert "old-door" in path or PREFIX + path in pages, path


def test_an_old_address_redirects_within_the_sub_path(port, exported):
    assert (exported / "es" / "old-door" / "index.html").is_file()
    for old, new in [
        ("es/old-door/", "es/door/"),
        ("ar/old-door/print/index.html", "ar/door/print/index.html"),
        ("es/old-door/letter.pdf", "es/door/letter.pdf"),
    ]:
        status, headers, _ = get(port, PREFIX + old, {"Host": "evil.example"})
        assert (status, headers["Location"]) == (301, PREFIX + new)
        assert get(port, PREFIX + new)[0] == 200
    # A folder without its slash: nginx's redirect names no host either.
    status, headers, _ = get(port, PREFIX + "es/door", {"Host": "evil.example"})
    assert (status, headers["Location"]) == (301, PREFIX + "es/door/")


@pytest.mark.parametrize(
    "path, live_path, mimetype",
    [
        ("es/door/", "/es/door/", "text/html"),
        ("es/door/letter.pdf", "/es/door/letter.pdf", "application/pdf"),
        ("static/style.css", "/static/style.css", "text/css"),
    ],
)
def test_headers_are_the_live_sites(port, live, path, live_path, mimetype):
    status, served, _ = get(port, PREFIX + path)
    assert status == 200 and served.get_content_type() == mimetype
    page = live.get("/es/door/").headers
    with live.get(live_path) as response:  # a static file: close it
        expected = response.headers
    assert expected["Content-Type"].startswith(mimetype)
    if mimetype.startswith("text/"):
        # Text says its charset, as the live site does.
        assert served.get_content_charset() == "utf-8"
    for name in HEADERS:
        if name == "Content-Security-Policy" and mimetype != "text/html":
            # One honest difference: every file gets the pages' policy, which
            # also allows the pages' inline stylesheets by hash (a PDF or a
            # stylesheet has none). Anything else is the live policy.
            assert served[name] == page[name]
            unhashed = re.sub(r" 'sha256-[^']+'", "", served[name])
            assert unhashed == expected[name]
        else:
            assert served[name] == expected[name], name
    assert served["Referrer-Policy"] == "no-referrer"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "'unsafe-inline'" not in served["Content-Security-Policy"]
    assert served["Cache-Control"] == "public, no-cache"


def test_static_files_pages_link_are_kept_for_ever(port, live, exported):
    _, headers, body = get(port, PREFIX + "es/door/print/")
    sheet = re.search(r'href="([^"]*page-letter[^"]*)"', body.decode())[1]
    # By a name with its content hash: a new version is a new name.
    assert re.fullmatch(r"(\.\./)+static/page-letter\.[0-9a-f]{12}\.css", sheet)
    status, served, data = get(port, urljoin(PREFIX + "es/door/print/", sheet))
    assert status == 200 and served.get_content_type() == "text/css"
    assert data == (exported / "static" / "page-letter.css").read_bytes()
    with live.get("/es/door/print/") as page:
        live_sheet = re.search(r'href="([^"]*page-letter[^"]*)"', page.text)[1]
    with live.get(live_sheet) as response:  # a static file: close it
        assert served["Cache-Control"] == response.headers["Cache-Control"]
    assert "immutable" in served["Cache-Control"]
    for name in HEADERS:  # the safety headers are still there
        assert served[name] == headers[name], name
    # The plain name is still served, and revalidated.
    status, plain, _ = get(port, PREFIX + "static/page-letter.css")
    assert status == 200 and plain["Cache-Control"] == "public, no-cache"
    rules = (exported / HEADERS_FILE).read_text(encoding="utf-8")
    name = sheet.rsplit("/", 1)[1]
    assert f"/static/{name}\n  Cache-Control: {served['Cache-Control']}\n" in rules


def test_pages_are_sent_gzipped_from_the_file_beside_them(port, exported):
    plain = get(port, PREFIX + "es/door/")
    status, headers, body = get(port, PREFIX + "es/door/", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert body == (exported / "es" / "door" / "index.html.gz").read_bytes()
    assert gzip.decompress(body) == plain[2]
    assert plain[2] == (exported / "es" / "door" / "index.html").read_bytes()
    assert "Content-Encoding" not in plain[1]
    # A shared cache must not send the gzipped page to a client without gzip.
    assert "Accept-Encoding" in headers["Vary"]


@pytest.mark.parametrize(
    "name", [MARKER, HEADERS_FILE, NGINX_FILE, REDIRECTS_FILE, NGINX_FILE + ".gz"]
)
def test_the_marker_and_host_files_are_not_served(port, exported, name):
    assert (exported / name.removesuffix(".gz")).is_file()
    assert get(port, PREFIX + name)[0] == 404
    assert get(port, PREFIX + name, {"Accept-Encoding": "gzip"})[0] == 404
