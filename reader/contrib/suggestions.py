"""Suggestions: proposed translations, accepted into ``.po`` files by reviewers.

Nothing reaches a ``.po`` file from an unreviewed suggestion: only a
reviewer of the language accepts one, and accepting writes the catalog under
a lock, atomically, and credits the translator in the gettext header.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import gettext
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .. import meaning
from ..catalogs import find as find_message
from ..catalogs import is_current, key_of, split_key
from ..errors import CatalogError
from ..i18n import INTERFACE
from ..i18n import lazy_gettext as _l
from ..meaning import SILENCEABLE
from ..pofile import load_po, locked, parse_po, save_po, write_atomic
from ..translate import checks, status
from ..translate.glossary import Term
from ..translate.workflow import Project
from . import gitsync, labels
from .db import log
from .users import User, get_user

MAX_LENGTH = 5000
CHECKERS = (
    checks.placeholders,
    checks.links,
    checks.inline_code,
    checks.no_html,
    checks.emphasis,
    checks.whitespace,
    checks.bidi_controls,
    checks.numbers,
    checks.urls,
)
# The interface is %-formatted when shown (Jinja's newstyle gettext); documents
# never are, so a percent sign in a document is just text.
INTERFACE_CHECKERS = (*CHECKERS, checks.formatting)


class SuggestionError(ValueError):
    """A suggestion or upload that cannot be taken; the message says why."""


@dataclass
class Block:
    """One translation unit as a translator sees it."""

    msgid: str
    comment: str
    current: str
    fuzzy: bool
    previous: str
    glossary: list[tuple[str, str]]
    silenced: frozenset[str] = frozenset()
    pending: list[sqlite3.Row] = field(default_factory=list)
    memory: list = field(default_factory=list)  # translate.memory.Match
    # A plural message: its English plural, and one labelled form per
    # plural form of the language (``forms`` holds their translations).
    plural: str = ""
    labels: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    # A token of the catalog entry as shown (``entry_version``), so a save
    # notices a change someone else made since.
    version: str = ""

    @property
    def anchor(self) -> str:
        """Return the block's id in the editor page, the same on every visit."""
        return anchor(self.msgid)

    @property
    def english(self) -> str:
        """Return the English to translate (the key without its context)."""
        return split_key(self.msgid)[0]

    @property
    def context(self) -> str:
        """Return what tells this English apart from the same words elsewhere."""
        return split_key(self.msgid)[1] or ""

    @property
    def state(self) -> str:
        if self.current and not self.fuzzy:
            return "done"
        return "fuzzy" if self.fuzzy else "missing"

    @property
    def text(self) -> str:
        """Return the current translation as a suggestion stores it."""
        return encode_forms(self.forms) if self.plural else self.current

    @property
    def diff(self) -> Markup:
        """Show what changed in the English since the old translation."""
        return word_diff(self.previous, self.english) if self.previous else Markup()


def anchor(msgid: str) -> str:
    """Return the id of a message's block in the editor: short, stable, and
    safe in a URL fragment (``views.ANCHOR``)."""
    return "b-" + hashlib.blake2b(msgid.encode(), digest_size=5).hexdigest()


def version_of(text: str, fuzzy: bool) -> str:
    """Return a short token of a catalog entry's translation and state."""
    data = f"{int(fuzzy)}{text}".encode()
    return hashlib.blake2b(data, digest_size=6).hexdigest()


def entry_version(message: Message | None) -> str:
    """Return the token of a catalog entry as ``Block.version`` makes it."""
    if message is None:
        return version_of("", False)
    if message.pluralizable:
        strings = message.string if isinstance(message.string, tuple) else ()
        return version_of(encode_forms(strings) if any(strings) else "", message.fuzzy)
    text = message.string if isinstance(message.string, str) else ""
    return version_of(text, message.fuzzy)


def word_diff(old: str, new: str) -> Markup:
    """Mark removed and added words between two texts, escaped.

    >>> word_diff("Keep the door shut.", "Keep the door closed.")
    Markup('Keep the door <del>shut.</del> <ins>closed.</ins>')
    """
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format(" ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format(" ".join(b[j1:j2])))
    return Markup(" ").join(out)


# CLDR's names of plural categories, as translators see them.
CATEGORIES = {
    # TRANSLATORS: the plural category used for zero, in a plural form's label.
    "zero": _l("Zero"),
    # TRANSLATORS: the plural category used for one, in a plural form's label.
    "one": _l("One"),
    # TRANSLATORS: the plural category used for two, in a plural form's label.
    "two": _l("Two"),
    # TRANSLATORS: the plural category used for a few, in a plural form's label.
    "few": _l("Few"),
    # TRANSLATORS: the plural category used for many, in a plural form's label.
    "many": _l("Many"),
    # TRANSLATORS: the plural category for every other number, in a plural form's label.
    "other": _l("Other"),
}


LARGE = (1_000, 10_000, 100_000, 1_000_000, 2_000_000)


def plural_examples(expr: str, count: int, upto: int = 200) -> list[list[int]]:
    """Return, for each of ``count`` plural forms, the numbers below ``upto``
    that take it under the gettext plural expression ``expr``.

    >>> plural_examples("(n != 1)", 2, 5)
    [[1], [0, 2, 3, 4]]
    """
    choose = gettext.c2py(expr)
    found: list[list[int]] = [[] for _ in range(count)]
    # Some forms only begin at large round numbers (Spanish "un millón de").
    for n in [*range(upto), *LARGE]:
        index = choose(n)
        if 0 <= index < count:
            found[index].append(n)
    return found


def plural_labels(catalog: Catalog) -> list[str]:
    """Name each plural form of a catalog's language, from its plural rule:
    the CLDR category and the first numbers that take it."""
    count = catalog.num_plurals
    if count == 1:
        return [_("Every number")]
    labels = []
    for numbers in plural_examples(catalog.plural_expr, count):
        category = catalog.locale.plural_form(numbers[0]) if numbers else "other"
        examples = ", ".join(str(n) for n in numbers[:4])
        if len(numbers) > 4:
            examples += ", …"
        labels.append(
            # TRANSLATORS: label of one plural form's box: "Few: for 2, 3, 4, 22, …".
            _(
                "%(category)s: for %(examples)s",
                category=CATEGORIES.get(category, category),
                examples=examples or "—",
            )
        )
    return labels


def encode_forms(forms: list[str] | tuple[str, ...]) -> str:
    """Store a plural translation's forms in one suggestion text."""
    return json.dumps(list(forms), ensure_ascii=False)


def decode_forms(text: str) -> tuple[str, ...]:
    """Return a plural suggestion's forms (see ``encode_forms``)."""
    try:
        forms = json.loads(text)
    except ValueError:
        return (text,)
    if isinstance(forms, list) and all(isinstance(f, str) for f in forms):
        return tuple(forms)
    return (text,)


def shown(text: str) -> str:
    """Return a suggestion's text as a person reads it: a plural's forms on
    their own lines."""
    return "\n".join(decode_forms(text)) if text.startswith("[") else text


def catalog_path(project: Project, lang: str, domain: str) -> Path:
    path = project.catalog(lang.replace("-", "_"), domain)
    if not path.is_file():
        raise SuggestionError(_("There is no such document in this language."))
    return path


def blocks(
    project: Project,
    catalog: Catalog,
    template_ids: list[str],
    glossary: list[Term],
) -> list[Block]:
    """Return every unit of a domain with its translation state and glossary."""
    result = []
    labels: list[str] | None = None
    for msgid in template_ids:
        message = find_message(catalog, msgid)
        english = split_key(msgid)[0]
        terms = [
            (t.english, t.translations[0])
            for t in glossary
            if t.english != english and t.pattern.search(english)
        ]
        block = Block(
            msgid=msgid,
            comment=" ".join(message.auto_comments) if message else "",
            current=(
                message.string if message and isinstance(message.string, str) else ""
            ),
            fuzzy=bool(message and message.fuzzy),
            previous=(message.previous_id or [""])[0] if message else "",
            glossary=terms,
            silenced=silenced_checks(message),
            version=entry_version(message),
        )
        if message is not None and message.pluralizable:
            labels = labels if labels is not None else plural_labels(catalog)
            strings = message.string if isinstance(message.string, tuple) else ()
            block.plural = message.id[1]
            block.labels = labels
            block.forms = [
                strings[i] if i < len(strings) else "" for i in range(len(labels))
            ]
            # Done only when every form is written.
            block.current = block.forms[0] if all(block.forms) else ""
        result.append(block)
    return result


def checkers(domain: str) -> tuple:
    """Return the checks every translation in ``domain`` must pass."""
    return INTERFACE_CHECKERS if domain == INTERFACE else CHECKERS


def silenced_checks(message: Message | None) -> frozenset[str]:
    """Return the checks a reviewer silenced on a message (``ignore-*`` flags)."""
    if message is None:
        return frozenset()
    return frozenset(c for c in SILENCEABLE if meaning.silenced(message.flags, c))


def current_flags(project: Project, lang: str, domain: str, msgid: str) -> set[str]:
    """Return the silencing flags our catalog holds for ``msgid``."""
    catalog = load_po(catalog_path(project, lang, domain), lang.replace("-", "_"))
    return {meaning.flag(c) for c in silenced_checks(find_message(catalog, msgid))}


@dataclass(frozen=True)
class Plural:
    """A plural message: its English plural, and how many forms the
    language has."""

    english: str
    count: int


def plural_of(project: Project, lang: str, domain: str, msgid: str) -> Plural | None:
    """Return what a translation of ``msgid`` must hold if it is a plural."""
    catalog = load_po(catalog_path(project, lang, domain), lang.replace("-", "_"))
    message = find_message(catalog, msgid)
    if message is None or not message.pluralizable:
        return None
    return Plural(message.id[1], catalog.num_plurals)


def validate(
    domain: str,
    msgid: str,
    text: str,
    flags: set[str] | frozenset[str] = frozenset(),
    plural: Plural | None = None,
) -> str:
    """Return a suggestion's text if it keeps the English's Markdown, numbers
    and addresses intact and can be shown where ``domain`` is used.

    ``flags`` are the checks a reviewer silenced on this message; a plural
    message's ``text`` holds every form (``encode_forms``).
    """
    msgid = split_key(msgid)[0]  # the checks compare with the English alone
    forms = decode_forms(text) if plural else (text,)
    if plural and len(forms) != plural.count:
        raise SuggestionError(
            _("Write every form: this language has %(n)s.", n=plural.count)
        )
    forms = tuple(f.replace("\r\n", "\n") for f in forms)
    if not all(f.strip() for f in forms):
        raise SuggestionError(_("Write a translation first."))
    if any(len(f) > MAX_LENGTH for f in forms):
        raise SuggestionError(
            _("A translation has at most %(n)s characters.", n=MAX_LENGTH)
        )
    if plural:
        text = encode_forms(forms)
        message = Message((msgid, plural.english), forms, flags=flags)
    else:
        text = forms[0]
        message = Message(msgid, text, flags=flags)
    for checker in checkers(domain):
        try:
            checker(None, message)
        except TranslationError as e:
            raise SuggestionError(labels.check_message(e)) from e
    return text


def allowed(user: User, role: str, lang: str, msgid: str, known: list[str]) -> None:
    """Refuse a write by someone without ``role`` in ``lang``, or about a
    text the document no longer has."""
    if not user.can(role, lang):
        raise PermissionError(lang)
    if msgid not in known:
        raise SuggestionError(
            _("This text is not in the document any more. Reload the page.")
        )


def suggest(
    db: sqlite3.Connection,
    user: User,
    lang: str,
    domain: str,
    msgid: str,
    text: str,
    known: list[str],
    flags: set[str] | frozenset[str] = frozenset(),
    plural: Plural | None = None,
) -> int:
    """Store a suggestion from a translator of ``lang``.

    ``flags`` are the checks a reviewer silenced on the message (see
    ``current_flags``); ``plural`` says what a plural message needs
    (``plural_of``).
    """
    allowed(user, "translator", lang, msgid, known)
    text = validate(domain, msgid, text, flags, plural)
    cursor = db.execute(
        "INSERT INTO suggestions (lang, domain, msgid, text, author_id) "
        "VALUES (?, ?, ?, ?, ?)",
        (lang, domain, msgid, text, user.id),
    )
    log(db, "suggest", user.id, lang, domain, msgid[:200])
    return cursor.lastrowid


def save(
    db: sqlite3.Connection,
    project: Project,
    reviewer: User,
    lang: str,
    domain: str,
    msgid: str,
    text: str,
    known: list[str],
    flags: set[str] | frozenset[str] = frozenset(),
    plural: Plural | None = None,
    version: str = "",
) -> int:
    """Write a reviewer's own translation into the catalog at once.

    It is kept as a suggestion the reviewer accepted, so a block's history
    shows it like any other; the catalog and that record change together.
    ``version`` is the entry's token as the reviewer saw it (``Block.version``).
    """
    allowed(reviewer, "reviewer", lang, msgid, known)
    text = validate(domain, msgid, text, flags, plural)
    db.execute("BEGIN IMMEDIATE")
    try:
        cursor = db.execute(
            "INSERT INTO suggestions (lang, domain, msgid, text, author_id, status, "
            "reviewer_id, decided_at) "
            "VALUES (?, ?, ?, ?, ?, 'accepted', ?, CURRENT_TIMESTAMP)",
            (lang, domain, msgid, text, reviewer.id, reviewer.id),
        )
        write_translations(
            project,
            lang,
            domain,
            {msgid: text},
            reviewer.display_name,
            db=db,
            author=reviewer,
            reviewer=reviewer,
            versions={msgid: version} if version else None,
        )
        log(db, "save", reviewer.id, lang, domain, msgid[:200])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    gitsync.queued(current_app)
    return cursor.lastrowid


def pending(db: sqlite3.Connection, lang: str, domain: str) -> list[sqlite3.Row]:
    return db.execute(
        "SELECT s.*, u.display_name AS author FROM suggestions s "
        "JOIN users u ON u.id = s.author_id WHERE lang = ? AND domain = ? "
        "AND status = 'pending' ORDER BY s.id",
        (lang, domain),
    ).fetchall()


def find(db: sqlite3.Connection, suggestion_id: int) -> sqlite3.Row | None:
    """Return a suggestion, whatever its status, or None."""
    return db.execute(
        "SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)
    ).fetchone()


def credit(catalog: Catalog, name: str, year: int) -> None:
    """Name a translator in the header, the gettext way, and as last translator."""
    line = f"{name}, {year}."
    lines = catalog.header_comment.splitlines()
    if not any(x.lstrip("# ").startswith(f"{name},") for x in lines):
        catalog.header_comment = "\n".join([*lines, f"# {line}"])
    catalog.last_translator = name


def save_file(
    db: sqlite3.Connection | None,
    path: Path,
    write: Callable[[], bool],
    author: str,
    subject: str,
    reviewer: str | None = None,
) -> bool:
    """Let ``write`` change one file under its lock and, when the translations
    are in git, commit that file as ``author`` and queue the push (in ``db``).

    A file with changes made outside this site is refused, not overwritten
    nor committed; a failed commit puts the file back. ``write`` returns
    whether it changed the file; so does this.
    """
    settings = gitsync.Settings.from_app(current_app)
    try:
        with gitsync.repository(settings) as top, locked(path):
            commit = top is not None and gitsync.tracked(top, path)
            before = path.read_bytes() if path.exists() else None
            if not write():
                return False
            if not commit:
                return True
            if before is None and not gitsync.add(top, path):
                return True  # a new file git ignores here
            text = gitsync.message(subject, author, reviewer)
            try:
                sha = gitsync.commit(settings, top, path, author, text)
            except gitsync.GitError:
                with contextlib.suppress(gitsync.GitError):
                    gitsync.unstage(top, path)
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomic(path, before)
                raise
            if db is not None:
                gitsync.enqueue(db, settings, sha)
    except gitsync.GitError as e:
        current_app.logger.warning("not saved: %s", e)
        raise SuggestionError(str(e)) from e
    return True


def save_catalog(
    db: sqlite3.Connection | None,
    path: Path,
    locale: str,
    change: Callable[[Catalog], None],
    author: str,
    subject: str,
    reviewer: str | None = None,
) -> bool:
    """Change a catalog under its lock, committed as ``save_file`` says."""

    def write() -> bool:
        catalog = load_po(path, locale)
        change(catalog)
        catalog.revision_date = dt.datetime.now(dt.UTC)
        return save_po(path, catalog)

    return save_file(db, path, write, author, subject, reviewer)


def record_review(
    db: sqlite3.Connection, project: Project, reviewer: User, lang: str, domain: str
) -> None:
    """Record a native speaker's review of a document (in the language's
    ``reviews.json``), committed as the reviewer when the translations are
    in git."""
    if not reviewer.can("reviewer", lang):
        raise PermissionError(lang)
    locale = lang.replace("-", "_")
    settings = gitsync.Settings.from_app(current_app)

    def write() -> bool:
        status.review(project, locale, domain, reviewer.display_name)
        return True

    save_file(
        db,
        project.translations / locale / "reviews.json",
        write,
        settings.person(reviewer),
        f"Record a native speaker's review of {domain} in {lang}",
    )
    log(db, "review", reviewer.id, lang, domain)
    gitsync.queued(current_app)


def write_translations(
    project: Project,
    lang: str,
    domain: str,
    entries: dict[str, str],
    translator: str,
    *,
    db: sqlite3.Connection | None = None,
    author: User | None = None,
    reviewer: User | None = None,
    versions: dict[str, str] | None = None,
) -> None:
    """Write accepted translations into a catalog, crediting ``translator``;
    in git, ``author`` wrote them and ``reviewer`` accepted them.

    ``versions`` holds the token of each entry as its writer saw it: an entry
    changed since is refused, never overwritten.
    """
    path = catalog_path(project, lang, domain)
    settings = gitsync.Settings.from_app(current_app)

    def change(catalog: Catalog) -> None:
        for msgid, text in entries.items():
            message = find_message(catalog, msgid)
            if message is None:
                raise SuggestionError(
                    _("This text is not in the document any more. Reload the page.")
                )
            seen = (versions or {}).get(msgid)
            if seen and seen != entry_version(message):
                raise SuggestionError(
                    _(
                        "Someone changed this translation since you opened the "
                        "page. Nothing was overwritten: reload the page, then "
                        "save again."
                    )
                )
            message.string = decode_forms(text) if message.pluralizable else text
            message.flags.discard("fuzzy")
            message.previous_id = []
        credit(catalog, translator, dt.date.today().year)

    n = len(entries)
    save_catalog(
        db,
        path,
        lang.replace("-", "_"),
        change,
        settings.person(author, translator),
        f"Translate {domain} into {lang}: {n} string{'' if n == 1 else 's'}",
        settings.person(reviewer) if reviewer is not None else None,
    )


def decide(
    db: sqlite3.Connection,
    project: Project,
    reviewer: User,
    suggestion_id: int,
    accept: bool,
) -> sqlite3.Row:
    """Accept (write to the .po) or reject a pending suggestion.

    The decision is claimed in one transaction with the .po write: of two
    reviewers deciding at once exactly one wins, and a failed write leaves the
    suggestion pending.
    """
    row = db.execute(
        "SELECT s.*, u.display_name AS author FROM suggestions s JOIN "
        "users u ON u.id = s.author_id WHERE s.id = ?",
        (suggestion_id,),
    ).fetchone()
    if row is None or row["status"] != "pending":
        raise SuggestionError(_("Someone already decided on this suggestion."))
    if not reviewer.can("reviewer", row["lang"]):
        raise PermissionError(row["lang"])
    if accept:
        # Checked again: the rules may be newer than the suggestion.
        validate(
            row["domain"],
            row["msgid"],
            row["text"],
            current_flags(project, row["lang"], row["domain"], row["msgid"]),
            plural_of(project, row["lang"], row["domain"], row["msgid"]),
        )
    db.execute("BEGIN IMMEDIATE")
    try:
        claimed = db.execute(
            "UPDATE suggestions SET status = ?, reviewer_id = ?, "
            "decided_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'pending'",
            ("accepted" if accept else "rejected", reviewer.id, suggestion_id),
        ).rowcount
        if not claimed:
            raise SuggestionError(_("Someone already decided on this suggestion."))
        if accept:
            write_translations(
                project,
                row["lang"],
                row["domain"],
                {row["msgid"]: row["text"]},
                row["author"],
                db=db,
                author=get_user(db, row["author_id"]),
                reviewer=reviewer,
            )
        log(
            db,
            "accept" if accept else "reject",
            reviewer.id,
            row["lang"],
            row["domain"],
            str(suggestion_id),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    if accept:
        gitsync.queued(current_app)
    return row


def check_upload(catalog: Catalog, domain: str, filename: str) -> list[str]:
    """Return every problem in an uploaded catalog, located by line."""
    problems = [
        f"{filename}:{m.lineno}: {labels.check_message(err)}"
        for m, errs in catalog.check()
        for err in errs
    ]
    for message in catalog:
        for checker in checkers(domain):
            try:
                checker(catalog, message)
            except TranslationError as e:
                problems.append(
                    f"{filename}:{message.lineno}: {labels.check_message(e)}"
                )
    return list(dict.fromkeys(problems))


def upload(
    db: sqlite3.Connection,
    project: Project,
    user: User,
    lang: str,
    domain: str,
    data: bytes,
    filename: str,
    known: list[str],
) -> tuple[int, bool]:
    """Take a .po file edited offline: check it whole, then turn its entries
    into suggestions (applied at once for a reviewer of the language).

    Return how many entries were taken and whether they were applied.
    """
    if not user.can("translator", lang):
        raise PermissionError(lang)
    try:
        catalog = parse_po(data, filename, lang.replace("-", "_"))
    except CatalogError as e:
        raise SuggestionError(str(e)) from e
    current = parse_po(catalog_path(project, lang, domain).read_bytes(), "current")
    for message in catalog:
        # Where a text is used (which decides whether it is %-formatted) is for
        # our catalog to say, not for the uploaded file.
        ours = find_message(current, key_of(message)) if message.id else None
        message.locations = ours.locations if ours is not None else []
        # So is which checks are silenced: only a reviewer sets that, here.
        message.flags = {f for f in message.flags if not f.startswith("ignore-")}
        message.flags |= {meaning.flag(c) for c in silenced_checks(ours)}
    problems = check_upload(catalog, domain, filename)
    if problems:
        raise SuggestionError("; ".join(problems[:5]))
    entries = {}
    for message in catalog:
        key = key_of(message) if message.id else ""
        old = find_message(current, key) if key else None
        if key not in known or not is_current(message):
            continue
        if message.pluralizable:
            # Every form of the language, or the entry is left out.
            if not isinstance(message.string, tuple) or (
                len(message.string) != current.num_plurals
            ):
                continue
            text = encode_forms(message.string)
        elif isinstance(message.string, str):
            text = message.string
        else:
            continue
        if old is None or not is_current(old) or old.string != message.string:
            entries[key] = text
    if not entries:
        raise SuggestionError(
            _("The file holds no new or changed translations of this document.")
        )
    apply_now = user.can("reviewer", lang)
    if apply_now:
        # Kept as suggestions the reviewer accepted, for each block's history.
        db.execute("BEGIN IMMEDIATE")
        try:
            for msgid, text in entries.items():
                db.execute(
                    "INSERT INTO suggestions (lang, domain, msgid, text, author_id, "
                    "status, reviewer_id, decided_at) VALUES "
                    "(?, ?, ?, ?, ?, 'accepted', ?, CURRENT_TIMESTAMP)",
                    (lang, domain, msgid, text, user.id, user.id),
                )
            write_translations(
                project,
                lang,
                domain,
                entries,
                user.display_name,
                db=db,
                author=user,
                reviewer=user,
            )
            log(db, "upload applied", user.id, lang, domain, f"{len(entries)} entries")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        gitsync.queued(current_app)
    else:
        for msgid, text in entries.items():
            db.execute(
                "INSERT INTO suggestions (lang, domain, msgid, text, author_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (lang, domain, msgid, text, user.id),
            )
        log(db, "upload", user.id, lang, domain, f"{len(entries)} suggestions")
    return len(entries), apply_now


def silence(
    db: sqlite3.Connection,
    project: Project,
    reviewer: User,
    lang: str,
    domain: str,
    msgid: str,
    silenced: set[str],
    known: list[str],
) -> None:
    """Set which checks are silenced on one message: a reviewer's decision.

    Weblate's way: an ``ignore-<check>`` flag on the entry, kept by Weblate,
    Poedit and translate-toolkit (GNU msgmerge drops flags it does not know).
    """
    allowed(reviewer, "reviewer", lang, msgid, known)
    unknown = silenced - set(SILENCEABLE)
    if unknown:
        raise SuggestionError(", ".join(sorted(unknown)))

    def change(catalog: Catalog) -> None:
        message = find_message(catalog, msgid)
        if message is None:
            raise SuggestionError(
                _("This text is not in the document any more. Reload the page.")
            )
        message.flags -= {meaning.flag(c) for c in SILENCEABLE}
        message.flags |= {meaning.flag(c) for c in silenced}

    settings = gitsync.Settings.from_app(current_app)
    save_catalog(
        db,
        catalog_path(project, lang, domain),
        lang.replace("-", "_"),
        change,
        settings.person(reviewer),
        f"Silence checks in {domain} ({lang}): {', '.join(sorted(silenced)) or 'none'}",
    )
    gitsync.queued(current_app)
    log(
        db,
        "silence",
        reviewer.id,
        lang,
        domain,
        ", ".join(sorted(silenced)) or "none",
        msgid=msgid,
    )
