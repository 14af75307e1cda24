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
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html


def test_werkzeug_request_log_drops_client_address():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '203.0.113.9 - - [28/Nov/2026 07:00:00] "GET /es/ HTTP/1.1" 200 -',
        None,
        None,
    )
    NoAddressFilter().filter(record)
    assert "203.0.113.9" not in record.getMessage()
    assert '"GET /es/ HTTP/1.1" 200' in record.getMessage()
