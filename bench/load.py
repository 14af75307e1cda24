"""Load on loopback: gunicorn as configured for the live site, and wrk."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a phone's browser sends: compression on, and a language to negotiate.
HEADERS = {
    "Accept-Encoding": "br, gzip",
    "Accept-Language": "es-MX,es;q=0.9,en;q=0.8",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 120) -> tuple[int, dict, bytes]:
    """GET ``url`` with HEADERS; return status, headers and the body as sent."""
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def wait_for(url: str, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            fetch(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def gunicorn(
    app: str, workers: int = 2, errors: Path | None = None, **env: str
) -> tuple[subprocess.Popen, str]:
    """Serve ``app`` with gunicorn and gunicorn.conf.py, as the live site is
    served: its access log on (to stdout, here /dev/null) through the
    scrubbing logger; its error log to ``errors``. Return the server and its
    base URL."""
    port = free_port()
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        **env,
    }
    with open(errors or os.devnull, "wb") as log:
        server = subprocess.Popen(
            # The control socket would be shared by the servers of one run.
            [sys.executable, "-m", "gunicorn", "--no-control-socket", app],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz" if app.startswith("reader") else base + "/")
    except RuntimeError:
        stop(server)
        raise
    return server, base


def stop(server: subprocess.Popen) -> None:
    """Stop a server this bench started, and its workers."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def workers(server: subprocess.Popen) -> list[int]:
    """Return the pids of a gunicorn master's workers."""
    path = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return sorted(int(pid) for pid in path.read_text().split())


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user and system) these processes have used."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int, field: str = "VmRSS") -> int | None:
    """Return a process's resident memory (or its peak, VmHWM) in KB, or
    None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return None
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))


def wrk(url: str, seconds: float, paths: list[str] | None = None) -> dict:
    """Load ``url`` with wrk (1 thread, 16 connections, HEADERS); with
    ``paths``, request those paths of it in turn. Return its figures."""
    args = ["wrk", "-t1", "-c16", f"-d{seconds:g}s", "--latency", "--timeout", "60s"]
    for name, value in HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    script = None
    if paths:
        quoted = ", ".join(
            '"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths
        )
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(
            f"local paths = {{{quoted}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\nend\n'
        )
        script.close()
        args += ["-s", script.name]
    try:
        out = subprocess.run(
            [*args, url],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 120,
        ).stdout
    finally:
        if script is not None:
            os.unlink(script.name)

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), "
        r"timeout (\d+)",
        out,
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(map(int, failed.groups())) if failed else 0,
    }
