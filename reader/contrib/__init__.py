"""The translator web: suggest, review and publish translations in the browser.

The ``.po`` files stay the single source of truth; SQLite keeps accounts,
suggestions and history.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the translator pages and ``flask users``."""
    from . import db, gitsync, security
    from .cli import users_group
    from .views import bp

    security.init_app(app)
    db.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(users_group)
    if gitsync.pushes_configured(app):
        # Commands never push from here; a serving process resumes on its
        # first request, whichever page it is for.
        app.before_request(lambda: gitsync.resume(app))
