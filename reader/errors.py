"""Domain errors: each names the file and line at fault and says what to do."""

from __future__ import annotations

from pathlib import Path


class ReaderError(Exception):
    """An error in a file the reader serves from, located by path and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    @property
    def location(self) -> str:
        """Return ``path:line`` (or just the path when no line is known)."""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ContentError(ReaderError):
    """A content document cannot be read: bad front matter or body."""


class CatalogError(ReaderError):
    """A translation catalog cannot be parsed or compiled."""
