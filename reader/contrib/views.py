"""The translator web: progress for anyone, block-by-block work for translators,
accept and reject for reviewers, .po download and upload."""

from __future__ import annotations

import functools
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import i18n
from ..catalogs import CONTEXT
from ..content import get_content
from ..errors import ReaderError
from ..languages import SOURCE, Language, find, language, negotiate
from ..meaning import SILENCEABLE
from ..translate import checks, memory, status
from ..translate.workflow import Project
from ..views import use_language
from . import comments, gitsync, labels, progress, security, suggestions, users
from .db import get_db
from .download import public_copy

# Its commands (``flask translations push``) are in cli.py.
bp = Blueprint("contrib", __name__, url_prefix="/translate", cli_group="translations")


def project() -> Project:
    return Project.from_app(current_app)


@bp.before_request
def load_user():
    """Find who is signed in, then limit and check the form; a stranger's
    post is refused before any of its body is read."""
    g.user = security.signed_in_user(get_db())
    request.max_content_length = security.body_limit(current_app, request.endpoint)
    if (
        g.user is None
        and request.method == "POST"
        and request.endpoint not in security.OPEN_FORMS
    ):
        return redirect(url_for("contrib.login"))
    ordered = negotiate(request.accept_languages.values(), i18n.reader_languages())
    use_language(ordered[0] if ordered else language(SOURCE))
    security.check_csrf()
    return None


@bp.after_request
def private(response):
    """Translator pages are personal: never store them in a shared cache."""
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def login_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.user is None:
            return redirect(url_for("contrib.login", next=request.path))
        return view(**kwargs)

    return wrapped


def target(lang: str, domain: str) -> Language:
    """Return the language being translated; 404 for unknown ones."""
    found = find(lang, i18n.all_languages())
    if found is None or found.tag == SOURCE or domain not in project().domains():
        abort(404)
    if found.tag != lang:
        abort(redirect(request.path.replace(f"/{lang}/", f"/{found.tag}/", 1), 301))
    use_language(found)  # work on a language in its own interface
    return found


# A block's kind, above it in the editor, in the interface language.
bp.add_app_template_filter(labels.block_label, "block_label")


@bp.app_template_filter("domain_title")
def domain_title(domain: str) -> str:
    """Return what translators call a domain: a document's English title."""
    if domain == i18n.INTERFACE:
        return _("Site interface (buttons, notices)")
    doc = get_content().get(domain)
    return doc.title if doc is not None else domain


@bp.app_template_filter("suggestion_text")
def suggestion_text(text: str) -> str:
    """Show a suggestion as people read it: a plural's forms one per line."""
    return suggestions.shown(text)


def msgids(domain: str) -> list[str]:
    return status.domain_msgids(project(), get_content(), domain)


@bp.app_errorhandler(403)
def forbidden(error):
    """Say plainly that this account may not do that."""
    return render_template("contrib/403.html"), 403


@bp.errorhandler(413)
def too_large(error):
    """Say that what was sent is too large, and how large a file may be."""
    return render_template(
        "contrib/413.html",
        limit=current_app.config["MAX_UPLOAD_BYTES"] // 1024,
        length=suggestions.MAX_LENGTH,
    ), 413


@bp.route("/")
def dashboard():
    """Show every language's progress per document, as `translate status` does:
    the signed-in person's languages first and open, the others folded."""
    rows = status.status(
        project(),
        store=i18n.get_catalogs(),
        content=get_content(),
        reviews=i18n.get_reviews(),
    )
    tags = dict.fromkeys(row.language for row in rows)
    sections = progress.sections(
        rows,
        {tag: language(tag.replace("-", "_")) for tag in tags},
        progress.pending_counts(get_db()),
        progress.my_languages(g.user),
        {lang.tag for lang in i18n.reader_languages()},
    )
    reviews = g.user is not None and (g.user.is_admin or g.user.languages("reviewer"))
    return render_template(
        "contrib/dashboard.html",
        sections=sections,
        pushes=gitsync.waiting(get_db()) if reviews else None,
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; repeated failures make an account wait."""
    error = None
    if request.method == "POST":
        db = get_db()
        name = request.form.get("username", "").strip()
        if users.too_many_failures(db, name):
            error = _("Too many failed attempts. Wait 15 minutes, then try again.")
            return render_template("contrib/login.html", error=error), 429
        user_id = users.authenticate(db, name, request.form.get("password", ""))
        if user_id is not None:
            security.sign_in(users.get_user(db, user_id))
            return redirect(
                security.local_next(request.args.get("next", ""))
                or url_for("contrib.dashboard")
            )
        error = _("Wrong user name or password.")
    return render_template("contrib/login.html", error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out here and on every device this account signed in on."""
    users.end_sign_ins(get_db(), g.user.id)
    session.clear()
    return redirect(url_for("contrib.dashboard"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """Let an invited translator choose a password."""
    db = get_db()
    if users.invited_user(db, token) is None:
        abort(404)
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("again", ""):
            error = _("The two passwords are not the same.")
        else:
            try:
                user_id = users.accept_invite(db, token, password)
            except users.AccountError:
                error = _("Use at least %(n)s characters.", n=users.MIN_PASSWORD)
            else:
                security.sign_in(users.get_user(db, user_id))
                return redirect(url_for("contrib.dashboard"))
    return render_template("contrib/invite.html", error=error), 400 if error else 200


@bp.route("/<lang>/<domain>/")
@login_required
def editor(lang: str, domain: str):
    """Work on one document block by block."""
    lang_ = target(lang, domain)
    if not g.user.can("translator", lang_.tag):
        abort(403)
    store = i18n.get_catalogs()
    glossary = checks.glossary_terms(store.get(lang_.locale, "words-to-know").catalog)
    items = work(lang_, domain, glossary)
    exact = exact_offers(items)
    if request.args.get("show") != "all":
        items = [b for b in items if b.state != "done" or b.pending] or items
    row = next(
        r
        for r in status.status(
            project(), [lang_.locale], store, get_content(), i18n.get_reviews()
        )
        if r.domain == domain
    )
    return render_template(
        "contrib/editor.html",
        lang=lang_,
        domain=domain,
        items=items,
        row=row,
        show=request.args.get("show", "todo"),
        silenceable=SILENCEABLE,
        exact=exact,
        comments=comments.for_document(get_db(), lang_.tag, domain),
        comment_length=comments.MAX_LENGTH,
    )


def work(lang_: Language, domain: str, glossary=()) -> list:
    """Return a document's blocks in a language, each with the suggestions
    waiting for it and, if it needs work, the memory's matches for it."""
    catalog = i18n.get_catalogs().get(lang_.locale, domain).catalog
    items = suggestions.blocks(project(), catalog, msgids(domain), glossary)
    waiting = suggestions.pending(get_db(), lang_.tag, domain)
    tm = language_memory(lang_.locale)
    for block in items:
        block.pending = [s for s in waiting if s["msgid"] == block.msgid]
        # What the language already says elsewhere, for a block that needs
        # work (a plural's forms have no match: memory holds single texts).
        block.memory = (
            []
            if block.state == "done" or block.plural
            else tm.matches(block.english, skip=domain)
        )
    return items


def language_memory(locale: str) -> memory.Memory:
    """Return the translation memory of a language, built again when one of
    its catalogs changes."""
    store = i18n.get_catalogs()
    domains = project().domains()
    versions = tuple(store.version(locale, domain) for domain in domains)
    return _memory(locale, tuple(domains), versions)


@functools.lru_cache(maxsize=32)
def _memory(locale: str, domains: tuple[str, ...], versions: tuple) -> memory.Memory:
    store = i18n.get_catalogs()
    return memory.Memory.from_catalogs(
        (domain, store.get(locale, domain).catalog) for domain in domains
    )


def exact_offers(items) -> list:
    """Return the blocks an exact memory match may fill, with nothing pending."""
    return [b for b in items if b.memory and b.memory[0].exact and not b.pending]


# A block's anchor in the editor (suggestions.Block.anchor).
ANCHOR = re.compile(r"b-[0-9a-f]{10}")


def back(lang: str, domain: str):
    """Go back to the editor, at the block worked on, or at the next one if
    the translator asked to move on."""
    wanted = request.form.get("next" if request.form.get("go") == "next" else "at")
    anchor = f"#{wanted}" if wanted and ANCHOR.fullmatch(wanted) else ""
    return redirect(
        url_for(
            "contrib.editor",
            lang=lang,
            domain=domain,
            show=request.form.get("show", "todo"),
        )
        + anchor
    )


def attempt(lang: str, domain: str, write, done: str):
    """Run a write for the editor; flash what happened and go back to it."""
    try:
        write()
        flash(done, "ok")
    except PermissionError:
        abort(403)
    except suggestions.SuggestionError as e:
        flash(_("Not saved: %(reason)s", reason=str(e)), "error")
    return back(lang, domain)


def posted_key() -> str:
    """Return the key of the message a block's form is about (its English,
    after its context if it has one: ``catalogs.key_of``)."""
    msgid = request.form.get("msgid", "")
    context = request.form.get("context", "")
    return f"{context}{CONTEXT}{msgid}" if context else msgid


def posted(lang: Language, domain: str, msgid: str):
    """Return the translation a block's form sent, and what a plural needs:
    one field per plural form (``form-0``, ``form-1`` ...), else ``text``."""
    try:
        plural = suggestions.plural_of(project(), lang.tag, domain, msgid)
    except suggestions.SuggestionError:
        plural = None
    if plural is None:
        return request.form.get("text", ""), None
    forms = [request.form.get(f"form-{i}", "") for i in range(plural.count)]
    return suggestions.encode_forms(forms), plural


def write_block(lang: str, domain: str, write, done: str):
    """Take a block's form and hand what it says to ``write`` (a suggestion
    or a reviewer's save), then go back to the block."""
    lang_ = target(lang, domain)
    key = posted_key()
    text, plural = posted(lang_, domain, key)
    flags = suggestions.current_flags(project(), lang_.tag, domain, key)
    return attempt(
        lang_.tag,
        domain,
        lambda: write(lang_.tag, key, text, flags, plural),
        done,
    )


@bp.route("/<lang>/<domain>/suggest", methods=["POST"])
@login_required
def suggest(lang: str, domain: str):
    def write(tag, key, text, flags, plural):
        suggestions.suggest(
            get_db(), g.user, tag, domain, key, text, msgids(domain), flags, plural
        )

    return write_block(
        lang, domain, write, _("Thank you: your suggestion waits for a reviewer.")
    )


@bp.route("/<lang>/<domain>/save", methods=["POST"])
@login_required
def save(lang: str, domain: str):
    """Let a reviewer write a translation at once, recorded in the history."""

    def write(tag, key, text, flags, plural):
        suggestions.save(
            get_db(),
            project(),
            g.user,
            tag,
            domain,
            key,
            text,
            msgids(domain),
            flags,
            plural,
            request.form.get("version", ""),
        )

    return write_block(lang, domain, write, _("Saved: readers see it now."))


@bp.route("/<lang>/<domain>/fill", methods=["POST"])
@login_required
def fill(lang: str, domain: str):
    """Suggest, in one action, every exact match the memory offers for the
    document's blocks that need work: they wait for a reviewer like any other."""
    lang_ = target(lang, domain)
    if not g.user.can("translator", lang_.tag):
        abort(403)
    offers = exact_offers(work(lang_, domain))

    def write():
        for block in offers:
            suggestions.suggest(
                get_db(),
                g.user,
                lang_.tag,
                domain,
                block.msgid,
                block.memory[0].translation,
                msgids(domain),
                suggestions.current_flags(project(), lang_.tag, domain, block.msgid),
            )

    count = len(offers)
    return attempt(
        lang_.tag,
        domain,
        write,
        ngettext(
            "%(num)s match suggested: it waits for a reviewer.",
            "%(num)s matches suggested: they wait for a reviewer.",
            count,
        ),
    )


@bp.route("/<lang>/<domain>/silence", methods=["POST"])
@login_required
def silence(lang: str, domain: str):
    """Let a reviewer silence checks on one message (Weblate's ignore flags)."""
    lang_ = target(lang, domain)
    return attempt(
        lang_.tag,
        domain,
        lambda: suggestions.silence(
            get_db(),
            project(),
            g.user,
            lang_.tag,
            domain,
            posted_key(),
            set(request.form.getlist("check")),
            msgids(domain),
        ),
        _("Saved."),
    )


@bp.route(
    # SQLite's largest id: a larger one is no suggestion (and would not bind).
    "/suggestions/<int(max=9223372036854775807):suggestion_id>/"
    "<any(accept, reject):decision>",
    methods=["POST"],
)
@login_required
def decide(suggestion_id: int, decision: str):
    db = get_db()
    try:
        row = suggestions.decide(
            db, project(), g.user, suggestion_id, decision == "accept"
        )
    except PermissionError:
        abort(403)
    except (suggestions.SuggestionError, ReaderError) as e:
        flash(_("Not done: %(reason)s", reason=str(e)), "error")
        # Back to the suggestion's document, never to a Referer's address.
        row = suggestions.find(db, suggestion_id)
        if row is None:
            return redirect(url_for("contrib.dashboard"))
        return back(row["lang"], row["domain"])
    flash(
        _("Accepted: readers see it now.") if decision == "accept" else _("Rejected."),
        "ok",
    )
    return back(row["lang"], row["domain"])


@bp.route("/<lang>/<domain>/review", methods=["POST"])
@login_required
def review(lang: str, domain: str):
    """Record a native speaker's review of the whole document."""
    lang_ = target(lang, domain)
    if not g.user.can("reviewer", lang_.tag):
        abort(403)
    try:
        suggestions.record_review(get_db(), project(), g.user, lang_.tag, domain)
        flash(_("Review recorded."), "ok")
    except ReaderError as e:
        flash(_("Not done: %(reason)s", reason=e.message), "error")
    except suggestions.SuggestionError as e:
        flash(_("Not done: %(reason)s", reason=str(e)), "error")
    return back(lang_.tag, domain)


@bp.route("/<lang>/<domain>.po")
@login_required
def download(lang: str, domain: str):
    """Download the current catalog to edit in Poedit, without addresses."""
    lang_ = target(lang, domain)
    if not g.user.can("translator", lang_.tag):
        abort(403)
    path = suggestions.catalog_path(project(), lang_.tag, domain)
    response = current_app.response_class(
        public_copy(path.read_bytes()), mimetype="text/x-gettext-translation"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{domain}-{lang_.tag}.po"'
    )
    return response


@bp.route("/<lang>/<domain>/upload", methods=["POST"])
@login_required
def upload(lang: str, domain: str):
    """Take a .po file edited offline for this language and document."""
    lang_ = target(lang, domain)
    file = request.files.get("po")
    if file is None or not file.filename:
        flash(_("Choose a .po file first."), "error")
        return back(lang_.tag, domain)
    data = file.read(current_app.config["MAX_UPLOAD_BYTES"] + 1)
    try:
        if len(data) > current_app.config["MAX_UPLOAD_BYTES"]:
            raise suggestions.SuggestionError(_("The file is too large."))
        count, applied = suggestions.upload(
            get_db(),
            project(),
            g.user,
            lang_.tag,
            domain,
            data,
            file.filename,
            msgids(domain),
        )
    except PermissionError:
        abort(403)
    except suggestions.SuggestionError as e:
        flash(_("Nothing was saved: %(reason)s", reason=str(e)), "error")
        return back(lang_.tag, domain)
    flash(
        ngettext("%(num)s translation saved.", "%(num)s translations saved.", count)
        if applied
        else ngettext(
            "%(num)s suggestion waits for a reviewer.",
            "%(num)s suggestions wait for a reviewer.",
            count,
        ),
        "ok",
    )
    return back(lang_.tag, domain)


def target_language(lang: str) -> Language:
    """Return a language being translated, for pages about no one document;
    404 for unknown ones (as ``target``)."""
    found = find(lang, i18n.all_languages())
    if found is None or found.tag == SOURCE:
        abort(404)
    if found.tag != lang:
        abort(redirect(request.path.replace(f"/{lang}/", f"/{found.tag}/", 1), 301))
    use_language(found)
    return found


@bp.route("/<lang>/<domain>/comment", methods=["POST"])
@login_required
def comment(lang: str, domain: str):
    """Post a comment on a block for the language's translators and reviewers."""
    lang_ = target(lang, domain)
    return attempt(
        lang_.tag,
        domain,
        lambda: comments.add(
            get_db(),
            g.user,
            lang_.tag,
            domain,
            posted_key(),
            request.form.get("text", ""),
            msgids(domain),
        ),
        _("Comment posted."),
    )


@bp.route("/<lang>/<domain>/history/<anchor>")
@login_required
def block_history(lang: str, domain: str, anchor: str):
    """Show everything suggested, decided and said about one block."""
    lang_ = target(lang, domain)
    if not comments.may_see(g.user, lang_.tag):
        abort(403)
    if not ANCHOR.fullmatch(anchor):
        abort(404)
    msgid = next((m for m in msgids(domain) if comments.anchor(m) == anchor), None)
    if msgid is None:
        abort(404)
    return render_template(
        "contrib/history.html",
        lang=lang_,
        domain=domain,
        msgid=msgid,
        english=comments.english(msgid),
        anchor=anchor,
        events=comments.block_history(get_db(), lang_.tag, domain, msgid),
        label=comments.action_label,
    )


@bp.route("/<lang>/history")
@login_required
def language_history(lang: str):
    """Show the latest suggestions, decisions and comments of a language."""
    lang_ = target_language(lang)
    if not comments.may_see(g.user, lang_.tag):
        abort(403)
    return render_template(
        "contrib/history.html",
        lang=lang_,
        events=comments.language_history(get_db(), lang_.tag),
        label=comments.action_label,
    )
