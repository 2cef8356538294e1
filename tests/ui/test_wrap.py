"""Long Chinese text wraps by display width and never cuts a character in half."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from csdesk.text import wrap

REPLY = (
    "您好，您反映的退款问题已转交后台处理，预计24小时内到账；如有疑问请拨打客服热线 400-800-1234（工作日 8:30-17:30）。"
)


@pytest.mark.parametrize("width", [7, 10, 19, 20, 33, 80])
def test_chinese_wraps_within_the_width_and_keeps_every_character(width):
    lines = wrap(REPLY, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == REPLY.replace(" ", "")
    # A comma or closing bracket never starts a line: it goes down with the character before
    # it, unless the line before is one Latin word filling the whole width.
    for before, line in zip(lines, lines[1:]):
        if line[0] in "，。；）":
            assert before.isascii() and " " not in before and cell_len(before) == width


def test_latin_words_break_at_spaces_and_an_odd_width_leaves_a_gap_rather_than_half_a_character():
    assert wrap("write the week's attendance", 12) == ["write the", "week's", "attendance"]
    assert wrap("王芳王芳王芳", 5) == ["王芳", "王芳", "王芳"]
    assert wrap("", 5) == []
