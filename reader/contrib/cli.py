"""``flask users ...``: invite people and give them roles."""

from __future__ import annotations

import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from .db import get_db
from .users import ROLES, AccountError, create_user, find_user_id, grant, invite
from .users import list_users as all_users
from .users import revoke as revoke_role


def _fail(e: AccountError):
    raise click.ClickException(str(e)) from e


def invite_link(token: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000/"
    with current_app.test_request_context("/", base_url=base):
        return url_for("contrib.accept_invite", token=token, _external=True)


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
    db = get_db()
    try:
        user_id = create_user(db, username, name, admin)
        for lang in langs:
            grant(db, user_id, role, lang)
    except AccountError as e:
        _fail(e)
    click.echo(f"Send this link to {username} (valid 7 days, once):")
    click.echo(invite_link(invite(db, user_id)))


@users_group.command("reinvite")
@click.argument("username")
@with_appcontext
def reinvite(username: str) -> None:
    """Print a new link for USERNAME to set a password (also a reset)."""
    db = get_db()
    try:
        click.echo(invite_link(invite(db, find_user_id(db, username))))
    except AccountError as e:
        _fail(e)


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
    """Take the ROLE for LANG away from USERNAME."""
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
