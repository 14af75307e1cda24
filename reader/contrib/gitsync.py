"""Changes back to the repository: commit what the translator web wrote, push later.

Plain ``git`` commands, never through a shell. A commit names the translator
as author with a no-reply address (or the one they chose to publish), never
their sign-in e-mail; the app is the committer. Pushes wait in the database
and are retried with backoff, outside any request.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _

from ..pofile import locked
from .db import connect
from .users import User

TIMEOUT = 120
LEASE_SECONDS = 300  # a claimed push is another worker's for this long
MAX_BACKOFF = 3600
# Variables that would point git at another repository or identity than ours.
FOREIGN_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG")
CREDENTIALS = re.compile(r"(//)[^/@\s]+@")


# A user name that may stand before the @ of a no-reply address.
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class GitError(Exception):
    """A commit or push that failed, or a file git must not take; says why."""


@dataclass(frozen=True)
class Settings:
    """How the app talks to git, from the app's config."""

    mode: str  # auto, on or off
    translations: Path
    remote: str | None
    branch: str | None
    noreply_domain: str

    @classmethod
    def from_app(cls, app: Flask) -> Settings:
        """Return the git settings an app is configured with."""
        mode = str(app.config["TRANSLATIONS_GIT"]).lower()
        if mode not in ("auto", "on", "off"):
            raise GitError(f"TRANSLATIONS_GIT is {mode!r}: set it to auto, on or off")
        return cls(
            mode=mode,
            translations=Path(app.config["TRANSLATIONS_DIR"]).resolve(),
            remote=app.config["TRANSLATIONS_GIT_REMOTE"] or None,
            branch=app.config["TRANSLATIONS_GIT_BRANCH"] or None,
            noreply_domain=app.config["TRANSLATOR_NOREPLY_DOMAIN"],
        )

    @property
    def committer(self) -> tuple[str, str]:
        return "Rights Reader", f"noreply@{self.noreply_domain}"

    def person(self, user: User | None, name: str = "") -> str:
        """Return how git names ``user`` (or, with no account, ``name``)."""
        if user is None:
            return identity(name, None, None, self.noreply_domain)
        # A user name that is an address (or holds anything but a plain
        # name) would publish it in the no-reply one: use the account number.
        local = user.username if PLAIN_NAME.fullmatch(user.username) else None
        return identity(
            user.display_name,
            local or f"user-{user.id}",
            user.public_email,
            self.noreply_domain,
        )


def git(cwd: Path, *args: str, env: dict | None = None, timeout: int = TIMEOUT) -> str:
    """Run one git command in ``cwd``; return its output or raise GitError."""
    base = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    # Paths are file names, not patterns; a push never waits for a password.
    base |= {"GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=base | (env or {}),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GitError(f"git {args[0]}: {e}") from e
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["failed"]
        # git's own complaint, not the advice it prints after it.
        said = [x for x in lines if x.startswith(("fatal:", "error:"))] or lines
        raise GitError(scrub(f"git {args[0]}: {said[0]}"))
    return done.stdout


def scrub(text: str) -> str:
    """Drop credentials from remote addresses in a message.

    >>> scrub("fatal: https://bot:s3cret@example.org/t.git not found")
    'fatal: https://example.org/t.git not found'
    """
    return CREDENTIALS.sub(r"\1", text)[:500]


def work_tree(settings: Settings) -> Path | None:
    """Return the top of the work tree holding the translations, or None if
    changes are not to be committed."""
    if settings.mode == "off":
        return None
    try:
        top = git(settings.translations, "rev-parse", "--show-toplevel").strip()
    except GitError:
        if settings.mode == "on":
            raise GitError(
                _("TRANSLATIONS_GIT is on, but the translations are not in git.")
            ) from None
        return None
    return Path(top).resolve()


@contextmanager
def repository(settings: Settings) -> Iterator[Path | None]:
    """Hold the app's lock on the work tree (one commit at a time, across
    processes); yield its top, or None when nothing is committed."""
    top = work_tree(settings)
    if top is None:
        yield None
        return
    git_dir = Path(git(top, "rev-parse", "--absolute-git-dir").strip())
    with locked(git_dir / "rights-reader"):
        yield top


def tracked(top: Path, path: Path) -> bool:
    """Tell whether git keeps ``path``; refuse it if it holds changes made
    outside the app, which must not be committed under anyone's name here."""
    rel = path.resolve().relative_to(top).as_posix()
    status = git(top, "status", "--porcelain", "--ignored", "-z", "--", rel)
    if status.startswith("!!"):
        return False  # ignored: this deployment keeps its catalogs out of git
    if status:
        raise GitError(
            _(
                "%(file)s was changed on the server outside this site, and the "
                "change is not committed. Nothing was overwritten: ask an "
                "administrator to commit or undo that change.",
                file=rel,
            )
        )
    return True


def identity(name: str, username: str | None, public: str | None, domain: str) -> str:
    """Return ``Name <address>`` for git: a published address or a no-reply one.

    >>> identity("Rosa <R>", "rosa", None, "users.noreply.invalid")
    'Rosa R <rosa@users.noreply.invalid>'
    """
    clean = " ".join(re.sub(r"[<>\n\r\0]", " ", name).split()) or (username or "?")
    address = public or f"{username or 'noreply'}@{domain}"
    return f"{clean} <{address}>"


def message(subject: str, author: str, reviewer: str | None) -> str:
    """Return a commit message naming the reviewer in a trailer.

    >>> message("Translate door into es: 1 string", "A <a@x>", "R <r@x>")
    'Translate door into es: 1 string\\n\\nReviewed-by: R <r@x>\\n'
    """
    if reviewer is None or reviewer == author:
        return subject + "\n"
    return f"{subject}\n\nReviewed-by: {reviewer}\n"


def commit(settings: Settings, top: Path, path: Path, author: str, text: str) -> str:
    """Commit the one file the app wrote, as ``author``; return the commit id."""
    rel = path.resolve().relative_to(top).as_posix()
    name, _sep, address = author.rpartition(" <")
    committer, committer_address = settings.committer
    env = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": address.rstrip(">"),
        "GIT_COMMITTER_NAME": committer,
        "GIT_COMMITTER_EMAIL": committer_address,
    }
    # Only this path, whatever else is staged: never someone else's edits.
    git(top, "commit", "--quiet", "-m", text, "--", rel, env=env)
    return git(top, "rev-parse", "HEAD").strip()


def add(top: Path, path: Path) -> bool:
    """Start keeping a file the app created; return False if git ignores it
    (this deployment keeps it out of the repository)."""
    rel = path.resolve().relative_to(top).as_posix()
    try:
        git(top, "check-ignore", "--quiet", "--", rel)
        return False
    except GitError:
        pass  # not ignored (check-ignore exits 1)
    git(top, "add", "--", rel)
    return True


def unstage(top: Path, path: Path) -> None:
    """Put the index entry of ``path`` back as the last commit has it."""
    rel = path.resolve().relative_to(top).as_posix()
    git(top, "reset", "--quiet", "--", rel)


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def enqueue(db: sqlite3.Connection, settings: Settings, sha: str) -> None:
    """Queue a commit to be pushed, if there is a remote (in the caller's
    transaction)."""
    if settings.remote is not None:
        db.execute("INSERT INTO pushes (commit_sha) VALUES (?)", (sha,))


def backoff(attempts: int) -> int:
    """Return the seconds to wait after ``attempts`` failed pushes.

    >>> [backoff(n) for n in (1, 2, 3, 10)]
    [60, 120, 240, 3600]
    """
    return min(30 * 2**attempts, MAX_BACKOFF)


def claim(db: sqlite3.Connection, now: dt.datetime, force: bool = False) -> list:
    """Claim every due push for this worker, atomically; return the rows."""
    stamp = _stamp(now)
    db.execute("BEGIN IMMEDIATE")
    try:
        rows = db.execute(
            "SELECT * FROM pushes WHERE pushed_at IS NULL "
            "AND (claimed_until IS NULL OR claimed_until <= ?) "
            "AND (? OR next_try_at <= ?) ORDER BY id",
            (stamp, force, stamp),
        ).fetchall()
        until = _stamp(now + dt.timedelta(seconds=LEASE_SECONDS))
        db.executemany(
            "UPDATE pushes SET claimed_until = ? WHERE id = ?",
            [(until, r["id"]) for r in rows],
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return rows


def _is_ancestor(top: Path, sha: str, tip: str) -> bool:
    try:
        git(top, "merge-base", "--is-ancestor", sha, tip)
    except GitError:
        return False
    return True


def push(settings: Settings, top: Path, sha: str) -> None:
    """Push a commit (and its ancestors) to the configured remote branch."""
    branch = settings.branch or git(top, "branch", "--show-current").strip()
    if not branch:
        raise GitError("the work tree has no branch checked out: set a branch")
    git(top, "push", "--quiet", "--", settings.remote, f"{sha}:refs/heads/{branch}")


def drain(
    db: sqlite3.Connection,
    settings: Settings,
    now: dt.datetime | None = None,
    force: bool = False,
) -> tuple[int, str | None]:
    """Push every due commit; return how many went and the error, if any.

    ``force`` retries pushes whose next try is still to come.
    """
    now = now or _now()
    if settings.remote is None:
        return 0, None
    rows = claim(db, now, force)
    if not rows:
        return 0, None
    error = None
    try:
        top = work_tree(settings)
        if top is None:
            raise GitError("the translations are not in a git work tree")
        tip = rows[-1]["commit_sha"]
        push(settings, top, tip)
    except GitError as e:
        error = scrub(str(e))
    pushed = 0
    for row in rows:
        if error is None and _is_ancestor(top, row["commit_sha"], tip):
            db.execute(
                "UPDATE pushes SET pushed_at = ?, claimed_until = NULL, "
                "last_error = NULL WHERE id = ?",
                (_stamp(now), row["id"]),
            )
            pushed += 1
            continue
        attempts = row["attempts"] + 1
        db.execute(
            "UPDATE pushes SET attempts = ?, next_try_at = ?, last_error = ?, "
            "claimed_until = NULL WHERE id = ?",
            (
                attempts,
                _stamp(now + dt.timedelta(seconds=backoff(attempts))),
                error or "the commit is not on the branch any more",
                row["id"],
            ),
        )
    return pushed, error


@dataclass(frozen=True)
class Queue:
    """The commits waiting to be pushed, as the dashboard shows them."""

    count: int
    error: str | None  # of the latest failed attempt
    next_try: str | None  # UTC, ``YYYY-MM-DD HH:MM:SS``


def waiting(db: sqlite3.Connection) -> Queue:
    """Return how many commits wait to be pushed, the last error and next try."""
    row = db.execute(
        "SELECT COUNT(*), MIN(next_try_at) FROM pushes WHERE pushed_at IS NULL"
    ).fetchone()
    last = db.execute(
        "SELECT last_error FROM pushes WHERE pushed_at IS NULL "
        "AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return Queue(row[0], last[0] if last else None, row[1])


class Worker:
    """One push thread per process, started when there is something to push."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.wakeup = threading.Event()
        self.thread: threading.Thread | None = None
        self.resumed = False

    def wake(self) -> None:
        """Make the thread look at the queue now, starting it if needed."""
        with self.lock:
            self.wakeup.set()
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self.run, name="git-push", daemon=True
                )
                self.thread.start()

    def run(self) -> None:
        settings = Settings.from_app(self.app)
        while True:
            self.wakeup.clear()
            db = connect(self.app.config["TRANSLATOR_DB"])
            try:
                with self.app.app_context():  # for translated error messages
                    drain(db, settings)
                queue = waiting(db)
                count, due = queue.count, queue.next_try
            except (GitError, sqlite3.Error) as e:
                self.app.logger.warning("git push: %s", e)
                count, due = 1, None
            finally:
                db.close()
            with self.lock:
                if count == 0 and not self.wakeup.is_set():
                    self.thread = None
                    return
            delay = LEASE_SECONDS
            if due:
                next_try = dt.datetime.strptime(due, "%Y-%m-%d %H:%M:%S")
                left = (next_try.replace(tzinfo=dt.UTC) - _now()).total_seconds()
                # Due but claimed elsewhere: look again soon, not in a loop.
                delay = max(10.0, min(left + 1, LEASE_SECONDS))
            self.wakeup.wait(delay)


def worker(app: Flask) -> Worker:
    """Return this app's push worker."""
    return app.extensions.setdefault("gitsync", Worker(app))


def pushes_configured(app: Flask) -> bool:
    return bool(app.config["TRANSLATIONS_GIT_REMOTE"]) and not app.testing


def queued(app: Flask) -> None:
    """Start pushing in the background after a commit was queued."""
    if pushes_configured(app):
        worker(app).wake()


def resume(app: Flask) -> None:
    """Once per process, pick up pushes left by an earlier run: the push
    thread looks at the queue, so the request that starts it does not."""
    job = worker(app)
    if not job.resumed:
        job.resumed = True
        job.wake()
