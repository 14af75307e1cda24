"""``flask users ...``: invite people and give them roles; ``flask translations
push``: push the translator web's commits."""

from __future__ import annotations

from urllib.parse import urlsplit

import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from . import gitsync
from .db import get_db
from .users import (
    ROLES,
    AccountError,
    create_user,
    find_user_id,
    grant,
    invite,
    reset,
    set_public_email,
)
from .users import list_users as all_users
from .users import revoke as revoke_role
from .views import bp


def _fail(e: AccountError):
    raise click.ClickException(str(e)) from e


def public_base() -> str | None:
    """Return the configured public address of the site, or None if unset."""
    base = current_app.config.get("PUBLIC_BASE_URL") or None
    if base is not None:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.ClickException(
                f"READER_PUBLIC_BASE_URL is {base!r}: set it to the site's "
                "address, like https://your.site/"
            )
    return base


def invite_link(token: str, base: str | None) -> str:
    """Return the invite link on the public address, or only its path."""
    # Never from a request's Host header: the configured address, or none.
    with current_app.test_request_context("/", base_url=base or "http://unset/"):
        return url_for("contrib.accept_invite", token=token, _external=bool(base))


def echo_link(username: str, token: str, base: str | None) -> None:
    """Print an invite link, last; without a public address, say how to get one."""
    if base is None:
        click.echo(
            "READER_PUBLIC_BASE_URL is unset, so below is only the link's path: "
            "put the site's address in front of it, or set the address and make "
            "a new link:\n"
            f"  READER_PUBLIC_BASE_URL=https://your.site/ flask --app reader "
            f"users reinvite {username}",
            err=True,
        )
    click.echo(f"Send this link to {username} (valid 7 days, once):")
    click.echo(invite_link(token, base))


@click.group("users")
def users_group() -> None:
    """Manage the people who translate and review in the browser."""


@users_group.command("invite")
@click.argument("username")
@click.option("--name", default="", help="The name shown in credits.")
@click.option("--role", type=click.Choice(ROLES), default="translator")
@click.option(
    "--lang",
    "langs",
    multiple=True,
    required=True,
    help="A language tag (es, zh-Hant) or '*'; repeat for several.",
)
@click.option("--admin", is_flag=True, help="Also an administrator.")
@with_appcontext
def invite_command(
    username: str, name: str, role: str, langs: tuple[str, ...], admin: bool
) -> None:
    """Create USERNAME with a role and print a one-time link to set a password."""
    base = public_base()
    db = get_db()
    try:
        user_id = create_user(db, username, name, admin)
        for lang in langs:
            grant(db, user_id, role, lang)
    except AccountError as e:
        _fail(e)
    echo_link(username, invite(db, user_id), base)


@users_group.command("reinvite")
@click.argument("username")
@with_appcontext
def reinvite(username: str) -> None:
    """Print a new link for USERNAME to set a password; sign them out everywhere."""
    base = public_base()
    db = get_db()
    try:
        user_id = find_user_id(db, username)
    except AccountError as e:
        _fail(e)
    echo_link(username, reset(db, user_id), base)


@users_group.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.argument("lang")
@with_appcontext
def grant_command(username: str, role: str, lang: str) -> None:
    """Give USERNAME the ROLE for LANG."""
    db = get_db()
    try:
        grant(db, find_user_id(db, username), role, lang)
    except AccountError as e:
        _fail(e)
    click.echo(f"{username} is now {role} for {lang}")


@users_group.command("revoke")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.argument("lang")
@with_appcontext
def revoke_command(username: str, role: str, lang: str) -> None:
    """Take the ROLE for LANG away from USERNAME and sign them out everywhere."""
    db = get_db()
    try:
        revoke_role(db, find_user_id(db, username), role, lang)
    except AccountError as e:
        _fail(e)
    click.echo(f"{username} is no longer {role} for {lang}")


@users_group.command("list")
@with_appcontext
def list_command() -> None:
    """List every account and its roles."""
    for user in all_users(get_db()):
        roles = ", ".join(f"{r}:{lang}" for r, lang in sorted(user.roles)) or "no role"
        admin = " (admin)" if user.is_admin else ""
        click.echo(f"{user.username}{admin}: {roles}")


@users_group.command("address")
@click.argument("username")
@click.argument("address", default="")
@with_appcontext
def address_command(username: str, address: str) -> None:
    """Show ADDRESS as USERNAME's in commits; without it, a no-reply one."""
    db = get_db()
    try:
        set_public_email(db, find_user_id(db, username), address)
    except AccountError as e:
        _fail(e)
    domain = current_app.config["TRANSLATOR_NOREPLY_DOMAIN"]
    click.echo(f"{username} commits as <{address or f'{username}@{domain}'}>")


@bp.cli.command("push")
@click.option("--now", is_flag=True, help="Also retry pushes that wait to retry.")
@with_appcontext
def push_command(now: bool) -> None:
    """Push the commits the translator web made (for cron, or by hand)."""
    settings = gitsync.Settings.from_app(current_app)
    if settings.remote is None:
        raise click.ClickException(
            "READER_TRANSLATIONS_GIT_REMOTE is unset: set it to push anywhere"
        )
    db = get_db()
    pushed, error = gitsync.drain(db, settings, force=now)
    queue = gitsync.waiting(db)
    click.echo(f"{pushed} commit(s) pushed, {queue.count} waiting")
    if error:
        raise click.ClickException(f"push failed, will retry: {error}")
