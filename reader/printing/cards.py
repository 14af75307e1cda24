"""Where wallet cards go on a sheet of paper, for cutting and duplex printing.

Cards are ID-1 size (85.6 x 54 mm), the size of a bank card, laid edge to
edge in a centered grid with crop marks in the margins. The backs page is the
fronts page mirrored left to right: printed long-edge duplex (the sheet turns
over its long side), each back lands behind its front.
"""

from __future__ import annotations

from dataclasses import dataclass

CARD_W, CARD_H = 85.6, 54.0
PAPERS = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
# Most printers cannot print closer to the edge than this.
MARGIN = 10.0
MARK, GAP = 5.0, 1.5


@dataclass(frozen=True)
class Sheet:
    """A sheet of cards: paper size and the top-left corner of every card (mm)."""

    paper: str
    width: float
    height: float
    fronts: list[tuple[float, float]]
    backs: list[tuple[float, float]]
    marks: list[tuple[float, float, float, float]]

    card_width = CARD_W
    card_height = CARD_H


def sheet(paper: str) -> Sheet:
    """Lay out as many cards as fit on ``paper``, with crop marks.

    >>> s = sheet("a4")
    >>> len(s.fronts), s.fronts[0], s.backs[0]
    (10, (19.4, 13.5), (105.0, 13.5))
    """
    width, height = PAPERS[paper]
    cols = int((width - 2 * MARGIN) // CARD_W)
    rows = int((height - 2 * MARGIN) // CARD_H)
    left = round((width - cols * CARD_W) / 2, 2)
    top = round((height - rows * CARD_H) / 2, 2)
    fronts = [
        (round(left + c * CARD_W, 2), round(top + r * CARD_H, 2))
        for r in range(rows)
        for c in range(cols)
    ]
    # Long-edge duplex mirrors left and right: column c's back is column -c.
    backs = [(round(width - x - CARD_W, 2), y) for x, y in fronts]
    right, bottom = left + cols * CARD_W, top + rows * CARD_H
    marks = []
    for c in range(cols + 1):
        x = round(left + c * CARD_W, 2)
        marks += [
            (x, top - GAP - MARK, x, top - GAP),
            (x, bottom + GAP, x, bottom + GAP + MARK),
        ]
    for r in range(rows + 1):
        y = round(top + r * CARD_H, 2)
        marks += [
            (left - GAP - MARK, y, left - GAP, y),
            (right + GAP, y, right + GAP + MARK, y),
        ]
    return Sheet(paper, width, height, fronts, backs, marks)
