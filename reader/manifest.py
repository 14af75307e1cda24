"""An export's manifest: what every file was made from, so a re-export rewrites
only what changed.

It is kept in the export's marker file as JSON: ``shared`` (the code and
templates, the published languages, the settings: a change there rebuilds
everything), ``inputs`` (each content file, catalog or stylesheet a file was
made from, by content hash), ``outputs`` (each file's hash and inputs) and
``zips`` (each offline ZIP's hash and the hashes of the files it packs).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

# Libraries whose version can change what a page or a PDF looks like.
LIBRARIES = ("flask", "jinja2", "babel", "flask-babel", "weasyprint", "pydyf")
LIBRARIES += ("pypdfium2", "pillow", "markdown-it-py", "brotli")


def file_hash(path: str | Path) -> str | None:
    """Return the hash of a file's bytes, or of a folder's listing; None if
    missing (a file that appears later then counts as a change)."""
    path = Path(path)
    h = hashlib.blake2b(digest_size=16)
    if path.is_dir():
        h.update("\n".join(sorted(p.name for p in path.iterdir())).encode())
    elif path.is_file():
        h.update(path.read_bytes())
    else:
        return None
    return h.hexdigest()


def code_hash(package: Path) -> str:
    """Return one hash of the reader's code and templates (not its static
    files: each is an input of its own) and of the libraries' versions."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        parts = path.relative_to(package).parts
        if path.is_file() and parts[0] != "static" and "__pycache__" not in parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none\n".encode())
    return h.hexdigest()


@dataclass
class Manifest:
    """What an export was made from, file by file."""

    shared: dict = field(default_factory=dict)
    inputs: dict[str, str | None] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    zips: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a manifest; an older or unreadable one is empty (rebuild all)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["shared"], data["inputs"], data["outputs"], data["zips"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def dump(self) -> str:
        """Return the manifest as JSON, sorted: the same export, the same bytes."""
        data = {
            "made by": "flask --app reader export",
            "shared": self.shared,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "zips": self.zips,
        }
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


class Inputs:
    """The hashes of input files now, each read once."""

    def __init__(self) -> None:
        self._hashes: dict[str, str | None] = {}

    def hash(self, path: str) -> str | None:
        """Return a file's hash as it is now."""
        if path not in self._hashes:
            self._hashes[path] = file_hash(path)
        return self._hashes[path]


def unchanged(previous: Manifest, path: str, inputs: Inputs, out: Path) -> bool:
    """Tell whether the file ``path`` of the earlier export is still current:
    on disk as written and made from inputs that have not changed since."""
    entry = previous.outputs.get(path)
    if entry is None or file_hash(out / path) != entry["hash"]:
        return False
    return all(previous.inputs.get(i, "") == inputs.hash(i) for i in entry["inputs"])
