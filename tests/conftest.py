"""Fixtures: an app over a private copy of small committed content and catalogs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reader import ROOT, create_app

DATA = Path(__file__).parent / "data"
# Apps made in tests keep their PDFs in memory, as each test expects of a
# fresh app, and write nothing to the checkout's instance/ folder; the tests
# of the shared PDF folder give it a folder of their own.
os.environ["READER_PDF_CACHE_DIR"] = ""
# The fixture catalogs are named <locale>/LC_MESSAGES/<domain>.po.in, not .po,
# so that Weblate's component discovery does not take them for the project's
# own (docs/translating.md, "For Weblate admins"); copy_translations names
# the copies .po.
CATALOGS = DATA / "catalogs"


def copy_translations(target: Path) -> Path:
    """Copy the fixture catalogs into ``target``, laid out as translations/."""
    for source in sorted(CATALOGS.rglob("*.po.in")):
        path = target / source.relative_to(CATALOGS).with_suffix("")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
    return target


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Return a writable copy of the test content and translations."""
    shutil.copytree(DATA / "content", tmp_path / "content")
    copy_translations(tmp_path / "translations")
    return tmp_path


def site_app(site: Path, **config):
    """Return an app over a copy of the test site: every language published,
    the front cache off (``PUBLISH_CHECK_SECONDS`` 0), unless ``config`` says."""
    return create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(site / "content"),
            "TRANSLATIONS_DIR": str(site / "translations"),
            "PUBLISH_THRESHOLD": 0,
            "PUBLISH_CHECK_SECONDS": 0,
            **config,
        }
    )


@pytest.fixture(scope="session")
def extracted(tmp_path_factory) -> Path:
    """The test site's catalogs, extracted and updated like a real checkout:
    once for the session (it takes seconds), copied for each test."""
    site = tmp_path_factory.mktemp("extracted")
    shutil.copytree(DATA / "content", site / "content")
    copy_translations(site / "translations")
    runner = site_app(site).test_cli_runner()
    for step in ("extract", "update"):
        assert runner.invoke(args=["translate", step]).exit_code == 0
    return site / "translations"


@pytest.fixture
def app(site: Path):
    """Return an app serving the test site; every language is published."""
    return site_app(site)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def real_app():
    """Return an app over the repository's own content and catalogs."""
    return create_app({"TESTING": True})


@pytest.fixture(scope="session")
def real_client(real_app):
    return real_app.test_client()


@pytest.fixture(scope="session")
def print_client():
    """A client of the repository's app with a public address: its PDF cache
    is shared by every print test, so each PDF is rendered once."""
    from helpers import PRINT_BASE

    return create_app({"TESTING": True, "PUBLIC_BASE_URL": PRINT_BASE}).test_client()


@pytest.fixture
def repo() -> Path:
    return ROOT
