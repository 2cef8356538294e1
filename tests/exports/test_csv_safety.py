"""Export files: owner-only from their first moment, never written through a planted
link, and cells no spreadsheet runs as a formula whatever separator it splits on."""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from csdesk.exports.csvfile import (
    _CONTROL,
    _FORMULA_SEGMENT,
    _RISKY,
    FORMULA_STARTS,
    csv_text,
    safe_text,
    write_csv,
    write_csv_lines,
    write_safe_csv,
)

PAYLOADS = [
    "=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(A1)",
    "\n=1+1",
    "x;=1+1;y",
    "x\t=1+1\ty",
    "x\r=1+1",
    "x\n+1+1",
    'x; "=1+1',
    "x;  @SUM(A1)",
    "x;;-2+3",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_part_of_a_cell_starts_a_formula_after_any_separator(payload):
    cell = safe_text(payload)
    for separator in (";", "\t", "\r", "\n"):
        for part in cell.split(separator)[1:] + [cell]:
            stripped = part.lstrip(' "')
            assert not stripped.startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠")), (payload, cell)


def test_control_characters_never_reach_a_cell(tmp_path):
    out = tmp_path / "x.csv"
    write_csv(out, ("name",), [("Wang\x00 Fang\x1b[31m\x07",), ("=\x00cmd",)])
    text = out.read_text(encoding="utf-8-sig")
    assert not any(ord(c) < 32 and c not in "\r\n" for c in text)
    assert "Wang Fang[31m" in text and "'=cmd" in text


def test_cells_with_separators_are_quoted(tmp_path):
    out = tmp_path / "x.csv"
    write_csv(out, ("a", "b"), [("x;y", "p\tq")])
    line = out.read_text(encoding="utf-8-sig").splitlines()[1]
    assert line == '"x;y","p\tq"'
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1] == ["x;y", "p\tq"]


def test_lines_joined_from_cells_are_what_the_csv_writer_writes(tmp_path):
    cells = [safe_text(p) for p in PAYLOADS] + ["", " ", " lead", "trail ", 'say "hi"', "a,b", "王芳", "x'y"]
    rows = [(cell, 7, cell, "") for cell in cells] + [("", "", "", ""), (0, "", "only", "")]
    header = ("name", "n", "again", "empty")
    write_safe_csv(tmp_path / "writer.csv", header, rows)
    lines = ((",".join(csv_text(cell) for cell in row) + "\r\n").encode() for row in rows)
    write_csv_lines(tmp_path / "lines.csv", header, lines)
    assert (tmp_path / "lines.csv").read_bytes() == (tmp_path / "writer.csv").read_bytes()
    # Cells made into text together, as a person's number, name and squad are.
    assert all(csv_text(*row) == ",".join(csv_text(cell) for cell in row) for row in rows)


def test_an_export_is_owner_only_from_the_moment_it_exists(tmp_path):
    old = os.umask(0o000)
    seen: list[int] = []
    try:

        def rows():
            # While the file is being written, its temporary form is already private.
            for partial in tmp_path.glob(".*.partial"):
                seen.append(stat.S_IMODE(partial.lstat().st_mode))
            yield ("a",)

        write_csv(tmp_path / "out.csv", ("h",), rows())
    finally:
        os.umask(old)
    assert seen == [0o600]
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o600


def test_a_link_planted_at_the_temporary_name_is_never_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("untouched", encoding="utf-8")
    out = tmp_path / "c3.csv"
    for name in (".c3.csv.partial", ".c3.csv.tmp"):
        (tmp_path / name).symlink_to(elsewhere)
    write_csv(out, ("phone",), [("13800000000",)])
    assert elsewhere.read_text(encoding="utf-8") == "untouched"
    assert not out.is_symlink() and "13800000000" in out.read_text(encoding="utf-8-sig")


def test_a_link_at_the_target_is_replaced_not_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("untouched", encoding="utf-8")
    out = tmp_path / "c3.csv"
    out.symlink_to(elsewhere)
    write_csv(out, ("phone",), [("13800000000",)])
    assert elsewhere.read_text(encoding="utf-8") == "untouched"
    assert not out.is_symlink()


_SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# LibreOffice's CSV filter options: separator (as a character code), text delimiter ("),
# UTF-8 (76), from line 1, default column formats, English, quoted fields not forced
# to text, special numbers detected, ... and the last: evaluate formulas (true).
_SEPARATORS = {"comma": "44", "semicolon": "59", "tab": "9"}


@pytest.mark.skipif(_SOFFICE is None, reason="LibreOffice (soffice) is not installed here")
@pytest.mark.parametrize("separator", sorted(_SEPARATORS))
def test_libreoffice_finds_no_formula_in_an_export(tmp_path, separator):
    out = tmp_path / "export.csv"
    write_csv(out, ("name", "phone", "address"), [(p, p, f"a {p} b") for p in PAYLOADS])
    options = f"{_SEPARATORS[separator]},34,76,1,,1033,false,true,false,false,false,-1,true"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            str(_SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            f"--infilter=CSV:{options}",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with zipfile.ZipFile(Path(tmp_path) / "export.ods") as ods:
        content = ods.read("content.xml").decode("utf-8")
    assert "table:formula" not in content


# Characters the checks turn on, in short texts of few kinds so that they come side by side
# (a quote mark or space before "="), and in texts of any character.
_TRICKY = st.text(st.sampled_from(list(' ";,=@\t\na王\x00\xa0')), max_size=5) | st.text(
    st.sampled_from(list(' ab1=+-@;",\t\r\n\x00\x1b\x85\xa0\u2028\u3000＝＋王')) | st.characters(), max_size=8
)


def _searched_safe_text(text: str) -> str:
    """``safe_text`` by its searches alone, as it was before its short cut for plain cells."""
    if _RISKY.search(text) is None:
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    text = _CONTROL.sub("", text)
    return _FORMULA_SEGMENT.sub(lambda m: f"{m.group(1)}'{m.group(2)}", text)


@given(_TRICKY)
@example(" =1")  # a formula behind spaces or quote marks
@example('"@x')
def test_a_plain_cell_is_told_apart_from_a_risky_one_as_the_search_would(text):
    assert safe_text(text) == _searched_safe_text(text)


@given(st.lists(_TRICKY, min_size=1, max_size=3))
def test_cells_joined_by_hand_are_what_the_csv_writer_writes_for_any_text(texts):
    cells = [safe_text(text) for text in texts]
    if cells == [""]:
        return  # csv.writer quotes a row's only cell when empty; within a row it is nothing
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=";\t\r\n").writerow(cells)
    assert csv_text(*cells) == buffer.getvalue()[: -len(";\t\r\n")]
