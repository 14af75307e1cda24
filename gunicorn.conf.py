"""Gunicorn settings: `gunicorn "reader:create_app()"` reads this file."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Pages are cached in each worker and served from memory: sync workers, one
# per core, give the most requests per second on small machines.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Readers may be at risk: the access log keeps no client address, no user agent
# and no referrer.
accesslog = "-"
access_log_format = '"%(r)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
