"""Segmentation: one unit per block, shared by rendering and extraction."""

from __future__ import annotations

import io

from babel.messages.extract import extract

from reader.segment import iter_segments, parse_body

DOC = b"""---
title: At the door
summary: What to do.
kind: guide
sources: [x]
last_reviewed: 2026-01-01
---
Keep the door
   closed.

## Ask for a *warrant*

- Ask who
  they are.
- Stay calm.

1. First.

| A | B |
|---|---|
| c | d |

::: officer english
Never translated.
:::
"""


def test_soft_breaks_collapse_and_inline_markdown_stays():
    texts = [
        s.text for s in iter_segments(parse_body(DOC.decode().split("---\n", 2)[2]))
    ]
    assert texts == [
        "Keep the door closed.",
        "Ask for a *warrant*",
        "Ask who they are.",
        "Stay calm.",
        "First.",
        "A",
        "B",
        "c",
        "d",
    ]


def test_rewrapping_english_changes_no_message():
    one = parse_body("Keep the door closed and\nstay calm.")
    other = parse_body("Keep the door\nclosed and stay\ncalm.")
    assert [s.text for s in iter_segments(one)] == [
        s.text for s in iter_segments(other)
    ]


def test_extractor_is_registered_for_babel():
    found = list(extract("reader_markdown", io.BytesIO(DOC)))
    messages = [(lineno, msg, comments) for lineno, msg, comments, _ in found]
    assert messages[:3] == [
        (2, "At the door", ["title"]),
        (3, "What to do.", ["summary"]),
        (8, "Keep the door closed.", ["paragraph"]),
    ]
    assert (11, "Ask for a *warrant*", ["heading"]) in messages
    assert "Never translated." not in [m for _, m, _ in messages]
