"""The WSGI ceiling: the least a WSGI app can do, served like the reader.

``bench/bench.py`` serves ``bench.ceiling:app`` with the same gunicorn, the
same ``gunicorn.conf.py`` and the same log settings as the reader, and
compares every page with it.

``mirror`` is the same least app sending what the reader sent for one page:
its headers and its compressed body, read once from the file that
``BENCH_MIRROR`` names. Against it, what remains of a page's gap to the
ceiling is the reader's own work, not the bytes and headers gunicorn sends.
"""

from __future__ import annotations

import base64
import json
import os
from functools import cache

HEADERS = [("Content-Type", "text/plain"), ("Content-Length", "2")]


def app(environ, start_response):
    """Answer every request with a 2-byte body."""
    start_response("200 OK", list(HEADERS))
    return [b"ok"]


@cache
def _mirrored() -> tuple[list[tuple[str, str]], bytes]:
    with open(os.environ["BENCH_MIRROR"], encoding="utf-8") as f:
        sent = json.load(f)
    return [tuple(h) for h in sent["headers"]], base64.b64decode(sent["body"])


def mirror(environ, start_response):
    """Answer every request with the headers and body of one reader page."""
    headers, body = _mirrored()
    start_response("200 OK", list(headers))
    return [body]
