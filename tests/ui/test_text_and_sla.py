from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len

from csdesk.widgets.sla import BREACHED, DUE_SOON, OK, sla_text
from csdesk.widgets.text import clip, fit


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


def test_sla_states_read_differently_and_are_coloured():
    ok = sla_text(OK, timedelta(hours=2, minutes=5))
    soon = sla_text(DUE_SOON, timedelta(minutes=12))
    late = sla_text(BREACHED, timedelta(hours=-1, minutes=-3))
    assert ok.plain == "2h 05m left"
    assert soon.plain == "due soon, 12m left"
    assert late.plain == "overdue 1h 03m"
    assert len({str(ok.style), str(soon.style), str(late.style)}) == 3


def test_sla_under_a_minute_and_over_a_day():
    assert sla_text(OK, timedelta(seconds=20)).plain == "<1m left"
    assert sla_text(OK, timedelta(days=3, hours=4)).plain == "3d 4h left"
