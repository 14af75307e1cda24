"""Where wallet cards go on a sheet of paper, for cutting and duplex printing.

Cards are ID-1 size (85.6 x 54 mm), the size of a bank card, laid edge to
edge in a centered grid with crop marks in the margins, or (with ``gaps``)
apart, each with a dashed cut line, so scissors need not be exact. The backs
page is the fronts page mirrored left to right: printed long-edge duplex (the
sheet turns over its long side), each back lands behind its front.
"""

from __future__ import annotations

from dataclasses import dataclass

CARD_W, CARD_H = 85.6, 54.0
PAPERS = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
# Most printers cannot print closer to the paper's edge than this: nothing,
# crop marks included, is drawn nearer.
EDGE = 6.0
MARK, GAP = 5.0, 1.5
# Between cards on a sheet with gaps: room for scissors.
SPACING = 5.0


@dataclass(frozen=True)
class Sheet:
    """A sheet of cards: paper size and the top-left corner of every card (mm)."""

    paper: str
    width: float
    height: float
    fronts: list[tuple[float, float]]
    backs: list[tuple[float, float]]
    marks: list[tuple[float, float, float, float]]
    gaps: bool = False

    card_width = CARD_W
    card_height = CARD_H


def _fit(room: float, size: float, spacing: float) -> int:
    """Return how many cards of ``size`` fit in ``room`` with ``spacing``."""
    return int((room + spacing) // (size + spacing))


def sheet(paper: str, gaps: bool = False) -> Sheet:
    """Lay out as many cards as fit on ``paper``, with crop marks, or with
    gaps and a dashed cut line around each card.

    >>> s = sheet("a4")
    >>> len(s.fronts), s.fronts[0], s.backs[0]
    (10, (19.4, 13.5), (105.0, 13.5))
    >>> len(sheet("a4", gaps=True).fronts)
    8
    """
    width, height = PAPERS[paper]
    spacing = SPACING if gaps else 0.0
    # Crop marks reach GAP + MARK outside the cards; a cut line hugs them.
    reach = EDGE + (0.5 if gaps else GAP + MARK)
    cols = _fit(width - 2 * reach, CARD_W, spacing)
    rows = _fit(height - 2 * reach, CARD_H, spacing)
    step_x, step_y = CARD_W + spacing, CARD_H + spacing
    left = round((width - cols * step_x + spacing) / 2, 2)
    top = round((height - rows * step_y + spacing) / 2, 2)
    fronts = [
        (round(left + c * step_x, 2), round(top + r * step_y, 2))
        for r in range(rows)
        for c in range(cols)
    ]
    # Long-edge duplex mirrors left and right: column c's back is column -c.
    backs = [(round(width - x - CARD_W, 2), y) for x, y in fronts]
    if gaps:
        return Sheet(paper, width, height, fronts, backs, [], gaps=True)
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
