"""Front matter: the YAML fields between two ``---`` lines atop a document.

Below both the content store and the segmenter (the Babel extractor), so
that the layers import one way.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import ContentError

_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def split_document(source: str, path: str | Path) -> tuple[dict, str, int, dict]:
    """Split a document into front matter, body, the body's first line number,
    and the line number of each top-level front-matter field.
    """
    lines = source.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            path,
            1,
            "the file must start with front matter: a line '---', "
            "fields such as 'title: ...', then another '---'",
        )
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise ContentError(
            path, 1, "front matter is not closed: add a line '---' after its fields"
        ) from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        raise ContentError(
            path,
            line,
            f"front matter is not valid YAML ({problem}); "
            "quote values that contain ':' or '#'",
        ) from e
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be 'field: value' lines")
    field_lines = {}
    for i, line in enumerate(lines[1:end], 2):
        if m := _FIELD.match(line):
            field_lines.setdefault(m.group(1), i)
    return meta, "\n".join(lines[end + 1 :]), end + 2, field_lines
