"""Logs that keep no client address, no query string and no secret in a path.

Readers may be at risk, and print forms carry an organization and a contact
line in their query string; invite links carry a password-setting token in
their path. ``scrub`` takes all three out of any log line, and
``ScrubbingLogger`` applies it to everything gunicorn writes.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from datetime import timedelta
from urllib.parse import quote

from gunicorn.config import Config
from gunicorn.glogging import Logger


def _any_spelling(path: str) -> str:
    """Return a pattern for ``path`` however a client spells it (``%69``, ``//``)."""
    chars = (f"(?:{re.escape(c)}|%{ord(c):02x})" for c in path)
    return "".join(c + "+" if c.startswith("(?:/") else c for c in chars)


# Anything that might be an IPv6 address; ``_address_or_text`` decides.
_IPV6 = re.compile(r"(?<![\w:.])(?=[\w.]*:[\w.]*:)[0-9A-Fa-f:.]+(?:%[\w.-]+)?")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
# A query string runs to the request line's " HTTP/x", else to a closing quote,
# else to the end of the line: malformed request lines can hold spaces.
_QUERY = re.compile(
    r"""\?(?=[^\s"'])(?:[^\n]*?(?=\s+HTTP/\d)|[^\n]*?(?=["'](?=[\s,;:)\]]|$)|\n|$))"""
)
_SECRET_PATH = re.compile(
    rf"({_any_spelling('/translate/invite/')})(?:%(?!2f)[0-9a-f]{{2}}|[^%/\s?#\"'])+",
    re.IGNORECASE,
)
# Characters a path may show unescaped in a log line (RFC 3986 pchar and "/").
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
# gunicorn's and http.server's complaints about a malformed request quote what
# the client sent, which may be any part of it (a query split at a space): keep
# only the complaint.
_CLIENT_WORDS = re.compile(
    r"((?:Invalid request from ip=\S*:|code \d{3}, message) [^'\"(:\n]*?)\s*[:('\"].*"
)


def _address_or_text(match: re.Match[str]) -> str:
    """Return "-" for an IPv6 address (and what trails it), else the text."""
    text = match.group()
    core = text.rstrip(":.")
    try:
        ipaddress.IPv6Address(core.split("%", 1)[0])
    except ValueError:
        return text
    return "-" + text[len(core) :]


def scrub(message: str) -> str:
    r"""Remove client addresses, query strings and secrets in paths from a message.

    >>> scrub('"GET /es/door/print/?org=Casa&contact=555-0100 HTTP/1.1" 200')
    '"GET /es/door/print/ HTTP/1.1" 200'
    >>> scrub("Invalid request from ip=203.0.113.9: Invalid HTTP Version: 'a b'")
    'Invalid request from ip=-: Invalid HTTP Version'
    >>> scrub("Invalid request from ip=2001:db8::7: bad") + scrub(" [::1]:8000")
    'Invalid request from ip=-: bad [-]:8000'
    >>> scrub("from ::ffff:192.0.2.1 and fe80::1%eth0, at 07:00:00")
    'from - and -, at 07:00:00'
    >>> scrub('- - - [1/Dec/2026] code 400, message Bad request syntax (\'GET /?a b\')')
    '- - - [1/Dec/2026] code 400, message Bad request syntax'
    >>> scrub("Invalid HTTP request line: 'GET /es/?org=Our Center BREW'")
    "Invalid HTTP request line: 'GET /es/'"
    >>> scrub('line: "GET /es/?contact=O\'Brien Hotline"')
    'line: "GET /es/"'
    >>> scrub('"POST /translate/invite/Zq3-x_9 HTTP/1.1" 400 /translate//invite/Zq')
    '"POST /translate/invite/- HTTP/1.1" 400 /translate//invite/-'
    >>> scrub("GET /translate/%69nvite/Zq3%2Dx GET /Translate%2Finvite/Zq/")
    'GET /translate/%69nvite/- GET /Translate%2Finvite/-/'
    >>> scrub("Booting worker with pid: 4242 (gunicorn 27.0.1). Why? Load.")
    'Booting worker with pid: 4242 (gunicorn 27.0.1). Why? Load.'
    """
    message = _CLIENT_WORDS.sub(r"\1", message)
    message = _SECRET_PATH.sub(r"\1-", message)
    message = _QUERY.sub("", message)
    message = _IPV6.sub(_address_or_text, message)
    return _IPV4.sub("-", message)


class ScrubFilter(logging.Filter):
    """Scrub each record's message and traceback before any handler writes it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        if record.exc_info:
            # A traceback can quote a request too: write only its scrubbed text.
            if not record.exc_text:
                record.exc_text = self._formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def logged_path(environ: dict) -> str:
    """Return the request's path for a log line: escaped, without its query string.

    >>> logged_path({"PATH_INFO": '/es/\\n"x"', "QUERY_STRING": "org=Casa"})
    '/es/%0A%22x%22'
    >>> logged_path({"RAW_URI": "http://h/es/?org=Casa"})
    '/es/'
    """
    if "PATH_INFO" in environ:
        # PATH_INFO is decoded: escaping it again keeps control characters out
        # of the log and writes one spelling of a path (so tokens are found).
        return quote(environ["PATH_INFO"].encode("latin-1"), safe=_PATH_SAFE)
    raw = environ.get("RAW_URI") or "-"  # gunicorn's own error responses
    raw = raw.split("?", 1)[0].split("#", 1)[0]
    if not raw.startswith("/") and "://" in raw:
        raw = "/" + raw.split("://", 1)[1].partition("/")[2]
    return raw


class ScrubbingLogger(Logger):
    """Gunicorn's logger with every line scrubbed and no query string logged."""

    scrub_filter = ScrubFilter()

    def setup(self, cfg: Config) -> None:
        """Set gunicorn's loggers up, then scrub everything they and the app log."""
        super().setup(cfg)
        # Flask's app logger (named after the package) writes to wsgi.errors,
        # which gunicorn copies straight to its streams, past these loggers.
        for log in (self.error_log, self.access_log, logging.getLogger("reader")):
            log.addFilter(self.scrub_filter)

    def atoms(self, resp, req, environ: dict, request_time: timedelta) -> dict:
        """Return the log atoms a line may use: no address, no query string.

        Gunicorn's own atoms also name every request and response header and
        every environ value (``%({cookie}i)s``, ``%({x-forwarded-for}i)s``):
        none of them is offered here, so no format can log a cookie, a
        forwarded address or a referrer, and a request does not pay for a
        dict of its headers. Atoms not offered log as "-".
        """
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        path = logged_path(environ)
        method = environ.get("REQUEST_METHOD", "-")
        protocol = environ.get("SERVER_PROTOCOL", "-")
        sent = getattr(resp, "sent", None)
        seconds, micros = request_time.seconds, request_time.microseconds
        return {
            "h": "-",
            "l": "-",
            "u": "-",
            "t": self.now(),
            "r": f"{method} {path} {protocol}",
            "s": status,
            "m": method,
            "U": path,
            "q": "-",
            "H": protocol,
            "b": "-" if sent is None else str(sent),
            "B": sent,
            "f": "-",
            "a": "-",
            "T": seconds,
            "D": seconds * 1_000_000 + micros,
            "M": seconds * 1000 + micros // 1000,
            "L": f"{seconds}.{micros:06d}",
            "p": f"<{os.getpid()}>",
        }
