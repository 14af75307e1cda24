"""The report bench/bench.py writes: its lines, and each goal met or not."""

from __future__ import annotations

lines: list[str] = []
# (goal, measured figure, met), in the order measured.
goals: list[tuple[str, str, bool]] = []


def say(text: str = "") -> None:
    """Print a line of the report and keep it for docs/benchmarks.md."""
    print(text, flush=True)
    lines.append(text)


def goal(text: str, figure: str, met: bool) -> None:
    """Say whether a goal of the issue is met, with the measured figure."""
    goals.append((text, figure, met))
    say(f"- Goal: {text}: {figure}, {'met' if met else 'NOT met'}.")


def summary() -> list[str]:
    """Return the goals as a table, for the top of the report."""
    if not goals:
        return []
    rows = ["## Goals", "", "| goal | measured | |", "| --- | --- | --- |"]
    rows += [f"| {g} | {f} | {'met' if m else 'NOT met'} |" for g, f, m in goals]
    return [*rows, ""]
