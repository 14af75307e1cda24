"""The WSGI ceiling: the least a WSGI app can do, served like the reader.

``bench/bench.py`` serves ``bench.ceiling:app`` with the same gunicorn, the
same ``gunicorn.conf.py`` and the same log settings as the reader, and
compares every page with it.
"""

from __future__ import annotations

HEADERS = [("Content-Type", "text/plain"), ("Content-Length", "2")]


def app(environ, start_response):
    """Answer every request with a 2-byte body."""
    start_response("200 OK", list(HEADERS))
    return [b"ok"]
