"""Fit text into terminal columns by display width, not by character count.

A Chinese name takes two columns per character; counting characters with
``len()`` would push every column after it out of line.
"""

from __future__ import annotations

from rich.cells import cell_len


def clip(text: str, width: int, *, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``width`` columns, marking the cut with ``ellipsis``."""
    if cell_len(text) <= width:
        return text
    budget = width - cell_len(ellipsis)
    if budget < 0:
        return ""
    kept: list[str] = []
    used = 0
    for char in text:
        char_width = cell_len(char)
        if used + char_width > budget:
            break
        kept.append(char)
        used += char_width
    return "".join(kept) + ellipsis


def fit(text: str, width: int, *, ellipsis: str = "…") -> str:
    """``text`` cut or padded to exactly ``width`` columns."""
    if width <= 0:
        return ""
    shown = clip(text, width, ellipsis=ellipsis)
    return shown + " " * (width - cell_len(shown))
