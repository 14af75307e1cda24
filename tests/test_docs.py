"""Every command and setting is documented where people look for it."""

from __future__ import annotations

import click
import pytest

from reader import ROOT

DOCS = (ROOT / "README.md").read_text("utf-8") + (
    ROOT / "docs" / "translating.md"
).read_text("utf-8")
INTERNAL = {"TESTING", "EXPORT_LANGUAGES", "OFFLINE", "PHONE_PACK"}


def commands(app):
    for group in ("translate", "print", "users"):
        command = app.cli.get_command(None, group)
        assert isinstance(command, click.Group)
        for name in command.commands:
            yield f"{group} {name}"
    yield "export"


@pytest.fixture(scope="module")
def app():
    from reader import create_app

    return create_app({"TESTING": True})


def test_every_command_is_documented(app):
    missing = [c for c in commands(app) if c not in DOCS]
    assert not missing, f"document these commands: {missing}"


def test_every_setting_is_documented(app):
    from reader import create_app

    defaults = create_app().config
    ours = {k for k in defaults if k.isupper() and k not in app.default_config}
    missing = [k for k in sorted(ours - INTERNAL) if f"`{k}`" not in DOCS]
    assert not missing, f"document these settings in the README: {missing}"
