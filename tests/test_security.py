"""Reader safety: headers, no cookies, no third-party hosts, no addresses in logs."""

from __future__ import annotations

import logging
import re

import pytest

from reader.security import NoAddressFilter

PAGES = ["/", "/es/", "/es/door/", "/ar/door/", "/en/card/", "/es/credits/", "/nope/"]


@pytest.mark.parametrize("path", PAGES)
def test_strict_headers_and_no_cookies(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_other_hosts(client, path):
    html = client.get(path).get_data(as_text=True)
    # Only the list of sources links elsewhere, for a reader to follow by
    # choice (no referrer); nothing on the page is fetched from another host.
    before, _, rest = html.partition('<ol class="sources"')
    after = rest.partition("</ol>")[2]
    assert not re.search(r'(src|href)="(https?:)?//', before + after)
    assert not re.search(r'src="(https?:)?//', html)
    # One script, our own file, and never inline (the CSP would refuse it).
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert html.count("<script") == len(scripts) <= 1 and not any(scripts)
    assert not re.search(r'<script(?! defer src="/static/offline\.js\?v=\w+")', html)


@pytest.mark.parametrize(
    "address, line, args, kept",
    [
        (
            "203.0.113.9",
            '"%s" %s %s',
            ("GET /es/door/print/?org=Casa+Luz&contact=555-0100 HTTP/1.1", "200", "-"),
            '"GET /es/door/print/ HTTP/1.1" 200 -',
        ),
        (
            "2001:db8::9",
            '"%s" %s %s',
            ("POST /translate/invite/Zq3-x_9SECRET HTTP/1.1", "400", "-"),
            '"POST /translate/invite/- HTTP/1.1" 400 -',
        ),
        (
            "203.0.113.9",
            "code %d, message %s",
            (400, "Bad request syntax ('GET /es/?org=Casa Luz HTTP/1.1')"),
            "code 400, message Bad request syntax",
        ),
    ],
)
def test_werkzeug_request_log_keeps_no_address_query_or_token(
    address, line, args, kept
):
    # As Werkzeug's development server logs: the address first, then the line.
    message = f"{address} - - [28/Nov/2026 07:00:00] {line}\n"
    record = logging.LogRecord("werkzeug", logging.INFO, "", 1, message, args, None)
    NoAddressFilter().filter(record)
    logged = record.getMessage()
    assert logged == f"- - - [28/Nov/2026 07:00:00] {kept}\n"
    for secret in (address, "Casa", "Luz", "555-0100", "SECRET"):
        assert secret not in logged
