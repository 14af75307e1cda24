"""The translator workflow: catalogs, progress, checks and reviews."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the ``flask translate`` commands."""
    from .cli import translate

    app.cli.add_command(translate)
