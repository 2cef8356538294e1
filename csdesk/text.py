"""Fit text into terminal columns by display width, not by character count.

A Chinese name takes two columns per character; counting characters with
``len()`` would push every column after it out of line. Screens and the
command line's help both use it, so it knows nothing of either.
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


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, never splitting a character.

    Latin words break at spaces (only a word longer than the line is cut);
    Chinese, written without spaces, may break between any two characters, but
    a closing mark such as ``，`` or ``）`` never starts a line.
    """
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        shown = "".join(current).strip()
        if shown:
            lines.append(shown)
        current.clear()

    for token in _tokens(text):
        if cell_len("".join(current) + token) <= width:
            current.append(token)
            continue
        if token == " ":
            flush()
            continue
        carried = [current.pop()] if token in _NO_LINE_START and len(current) > 1 else []
        flush()
        current.extend([*carried, token])
        while cell_len("".join(current)) > width:  # one Latin word wider than the line
            whole = "".join(current)
            cut = clip(whole, width, ellipsis="")
            lines.append(cut)
            current[:] = [whole[len(cut) :]]
    flush()
    return lines


_NO_LINE_START = frozenset("，。、；：？！）》」』】”’")


def _tokens(text: str) -> list[str]:
    """Spaces, Latin words, and each wide character on its own."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char == " " or cell_len(char) > 1 or char in _NO_LINE_START:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens
