from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len

from csdesk.rules.tickets import TimerStatus
from csdesk.text import clip, fit
from csdesk.widgets.sla import sla_text


@pytest.mark.parametrize("name", ["张伟", "欧阳娜娜", "Li Na", "李Na", "王小明的客户回访记录"])
@pytest.mark.parametrize("width", [1, 2, 3, 5, 8, 12])
def test_fit_fills_exactly_the_columns_given_whatever_the_script(name, width):
    assert cell_len(fit(name, width)) == width


def test_chinese_names_line_up_in_a_column():
    rows = [fit(name, 6) + "|" for name in ["张伟", "欧阳娜娜", "Li Na", "王小明的客户"]]
    assert {cell_len(row) for row in rows} == {7}
    # "王小明" would need 6 columns plus the ellipsis: the cut falls before 明 and one
    # space keeps the column edge where it belongs.
    assert rows[3] == "王小… |"


def test_clip_leaves_short_text_alone_and_marks_a_cut():
    assert clip("张伟", 4) == "张伟"
    assert clip("欧阳娜娜", 5) == "欧阳…"


OK = TimerStatus.OK


@pytest.mark.parametrize(
    ("state", "remaining", "words", "style"),
    [
        (TimerStatus.OK, timedelta(hours=2, minutes=5), "2h 05m left", "green"),
        (TimerStatus.DUE_SOON, timedelta(minutes=12), "due soon, 12m left", "bold yellow"),
        (TimerStatus.BREACHED, timedelta(hours=-1, minutes=-3), "overdue 1h 03m", "bold red"),
        (TimerStatus.MET, timedelta(minutes=30), "met", "dim green"),
        (TimerStatus.MISSED, timedelta(minutes=-7), "late by 7m", "red"),
    ],
)
def test_each_timer_state_the_rules_give_reads_in_its_own_words_and_colour(state, remaining, words, style):
    """The widget takes the rules' TimerStatus itself (TK-4..TK-8): "due soon" must not read as ok."""
    text = sla_text(state, remaining)
    assert text.plain == words
    assert str(text.style) == style


def test_the_state_as_the_rules_spell_it_is_understood():
    # Rows from the queue service carry the enum, whose value is "due soon".
    assert sla_text("due soon", timedelta(minutes=3)).plain == "due soon, 3m left"  # type: ignore[arg-type]


def test_a_state_the_rules_do_not_give_is_refused_not_shown_as_ok():
    with pytest.raises(ValueError):
        sla_text("due_soon", timedelta(minutes=3))  # type: ignore[arg-type]


def test_sla_under_a_minute_and_over_a_day():
    assert sla_text(OK, timedelta(seconds=20)).plain == "<1m left"
    assert sla_text(OK, timedelta(days=3, hours=4)).plain == "3d 4h left"
