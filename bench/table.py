"""``python -m bench.table [RESULTS.json]``: one bench run as the README's Markdown table.

Every figure of the run, in the order it was measured, with its floor, the ratio
and whether its target was met; the machine and the command line above it. The
README's table is pasted from this, never edited by hand, so each figure in it
comes from the same run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def _verdict(figure: dict[str, Any]) -> str:
    if not figure["target"]:
        return ""
    met = {True: "met", False: "**missed**", None: ""}[figure["met"]]
    return f"{figure['target']} — {met}"


def table(results: dict[str, Any]) -> str:
    lines = [
        f"Run of {results['when']} on {results.get('machine', 'an unnamed machine')}: `{results['command']}`",
        "",
        "| Figure | Desk | Floor | Ratio | Target |",
        "|---|---|---|---|---|",
    ]
    for figure in results["figures"]:
        ratio = "" if figure["ratio"] is None else f"{figure['ratio']:.2f}×"
        floor = _number(figure["baseline"], figure["unit"]) if figure["baseline"] is not None else ""
        row = (figure["name"], _number(figure["value"], figure["unit"]), floor, ratio, _verdict(figure))
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    given = (argv if argv is not None else sys.argv[1:])[:1]
    path = Path(given[0]) if given else max(HERE.glob("results-*.json"), key=lambda p: p.stat().st_mtime)
    print(table(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
