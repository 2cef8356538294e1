"""Bad roster files through ``csdesk import roster``: messages by row or for the
whole file, and a database left exactly as it was (rows and audit log)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csdesk.cli import main
from csdesk.rules.vocab import Role
from csdesk.services.roster import ROSTER_COLUMNS, ImportRefused, ImportResult, import_roster

from .conftest import table_counts

HEADER = "employee_number,date,shift,holiday_duty\n"
MB = 1024 * 1024


@pytest.fixture
def squad(make_squad, make_staff, actor_of):
    lotus = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="3003")
    for number in ("3001", "3002"):
        make_staff(squad=lotus, employee_number=number)
    return actor_of(leader)


# (Ten MB of rows, validated whole before any write, is tested with the service.)
def _ten_mb_in_one_cell(path: Path) -> None:
    path.write_text(HEADER + "3001,2026-03-10,day," + "x" * (10 * MB) + "\n", encoding="utf-8")


FILES = {
    "missing column": (HEADER.replace(",shift", "") + "3001,2026-03-10,no\n", ["roster.csv: missing column(s): shift"]),
    "extra column": (
        HEADER.replace("\n", ",overtime\n") + "3001,2026-03-10,day,no,2\n",
        ["roster.csv: unknown column(s): overtime"],
    ),
    "GBK encoded": (
        "employee_number,date,shift,holiday_duty\n3001,2026-03-10,day,是\n".encode("gbk"),
        ["roster.csv: file is not UTF-8 (save it as UTF-8)"],
    ),
    "same person and shift twice": (
        HEADER + "3001,2026-03-10,day,no\n3002,2026-03-10,day,no\n3001,2026-03-10,day,yes\n",
        ["row 4: 3001 on 2026-03-10 day already appears in row 2"],
    ),
    "empty": ("", ["roster.csv: the file is empty"]),
    "only blank lines": ("\n\n\n", ["roster.csv: the file is empty"]),
    "binary": (b"PK\x03\x04" + bytes(range(256)) * 40, ["roster.csv: not a CSV text file"]),
    "ten MB in one cell": (_ten_mb_in_one_cell, ["roster.csv: not a readable CSV file"]),
    "short and long rows": (
        HEADER + "3001,2026-03-10\n3002,2026-03-10,day,no,extra\n",
        ["row 2: has 2 cells, the header has 4", "row 3: has 5 cells, the header has 4"],
    ),
    "unknown person and impossible time of year": (
        HEADER + "9999,2026-03-10,day,no\n3001,2026-13-10,day,no\n3002,2026-03-10,evening,maybe\n",
        [
            "row 2: employee number 9999 is not in the register",
            "row 3: date '2026-13-10' is not a date",
            "row 4: shift 'evening' is not one of day, night",
            "row 4: holiday_duty 'maybe' is not yes or no",
        ],
    ),
}


def _csdesk(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


@pytest.mark.parametrize("case", list(FILES))
def test_a_bad_roster_file_is_refused_with_row_numbers_and_changes_nothing(db_path, tmp_path, squad, case):
    content, expected = FILES[case]
    path = tmp_path / "roster.csv"
    if callable(content):
        content(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = table_counts(db_path)

    code, err = _csdesk("--db", str(db_path), "import", "roster", str(path), "--as", squad.employee_number)

    lines = err.strip().splitlines()
    assert code == 1 and "Traceback" not in err
    assert lines[-1].startswith("csdesk: ") and "nothing was imported" in lines[-1]
    problems = lines[:-1]
    assert 1 <= len(problems) <= 51  # at most 50 shown, then "... and N more"
    for line in problems:
        assert line.startswith(("row ", "roster.csv: ", "... and ")), line
    for wanted, line in zip(expected, problems, strict=False):
        assert line.startswith(wanted), (wanted, line)
    assert table_counts(db_path) == before


# -- fuzzing the import ------------------------------------------------------------------

cells = st.one_of(
    st.sampled_from(
        [
            "3001",
            "3002",
            "3003",
            "9999",
            "2026-03-10",
            "2026-02-30",
            "day",
            "night",
            "DAY",
            "yes",
            "no",
            "是",
            "",
            " ",
            '"',
            "=1+1",
            "2026-03-10T08:00",
        ]
    ),
    st.text(max_size=12),
)
headers = st.one_of(
    st.just(list(ROSTER_COLUMNS)),
    st.permutations(list(ROSTER_COLUMNS)),
    st.lists(st.sampled_from([*ROSTER_COLUMNS, "Shift", "extra", ""]), max_size=6),
)


@st.composite
def roster_files(draw) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    header = draw(headers)
    rows = draw(st.lists(st.lists(cells, min_size=max(0, len(header) - 1), max_size=len(header) + 1), max_size=6))
    text = "\n".join(",".join(row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
    return text.encode(encoding, errors="replace")


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=roster_files())
def test_fuzzed_roster_files_import_or_are_refused_plainly(desk, db_path, tmp_path, squad, content):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    before = table_counts(db_path)
    try:
        result = import_roster(desk, squad, path)
    except ImportRefused as refused:
        assert refused.problems and all("\n" not in p for p in refused.problems)
        assert table_counts(db_path) == before
    else:
        assert isinstance(result, ImportResult) and result.rows >= 1
