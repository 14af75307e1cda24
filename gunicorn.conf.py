"""Gunicorn settings: `gunicorn "reader:create_app()"` reads this file."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Pages are cached in each worker and served from memory: sync workers, one
# per core, give the most requests per second on small machines.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "sync"
# A print pack is laid out once for the site, in one worker: about 13 s of
# CPU alone, twice that on a busy machine. A worker is not killed for it.
timeout = 90
graceful_timeout = 20
keepalive = 5
# Readers may be at risk: the access log keeps no client address, no user agent,
# no referrer and no query string (print forms carry an organization and a
# contact line there); the logger scrubs addresses, query strings and invite
# tokens from every line gunicorn writes, at every level.
accesslog = "-"
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
logger_class = "reader.logs.ScrubbingLogger"
# Only a proxy on this machine (docs/nginx.conf) is trusted to say that the
# request came over HTTPS (X-Forwarded-Proto): session cookies are then Secure.
forwarded_allow_ips = "127.0.0.1"
# ... but not to move the script root or path (SCRIPT_NAME, PATH_INFO headers):
# nothing a request says may change the links a page is built with.
forwarder_headers = ""


def post_worker_init(worker):
    """Move everything the app built at start out of the cyclic garbage
    collector's sight, once the worker has loaded it.

    The app, its catalogs and its caches are a large heap that lives as
    long as the worker; each full collection walked all of it again, which
    cost a cached page about 20 µs of a 270 µs request (against
    bench/ceiling.py's mirror of the same bytes and headers). Objects
    freed by their reference count still go at once; only cycles among
    these start-up objects would stay, and they are few and do not grow.
    """
    import gc

    gc.freeze()
