"""``csdesk --lang zh_CN``: help, errors, messages and the attendance export in Chinese."""

from __future__ import annotations

import csv

import pytest

from csdesk import cli, i18n

STAFF = (
    "employee_number,real_name,role,grade,squad,status,hire_date\n"
    "5101,李娜,squad_leader,senior,Lotus,formal,2020-01-06\n"
    "5102,王芳,agent,junior,Lotus,formal,2024-03-01\n"
)
ROSTER = "employee_number,date,shift\n5102,2026-11-16,day\n5102,2026-11-17,night\n"


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_help_is_in_chinese_and_english_comes_back_afterwards(capsys):
    code, out, _ = run(capsys, "--lang", "zh_CN", "--help")
    assert code == 0
    assert out.startswith("用法：csdesk")
    assert "选项:" in out and "显示此帮助信息并退出" in out
    assert "创建数据库" in out and "演示中心" in out
    assert i18n.current_language() == "en"
    assert run(capsys, "--help")[1].startswith("usage: csdesk")


def test_the_variable_chooses_chinese_for_usage_errors(capsys, monkeypatch):
    monkeypatch.setenv("CSDESK_LANG", "zh_CN")
    code, _, err = run(capsys, "export", "attendance", "--week", "2026-W47")
    assert code == cli.EXIT_USAGE
    assert err.startswith("csdesk: 缺少必需的参数：--as")
    assert "（见 `csdesk export attendance --help`）" in err


@pytest.fixture
def centre(tmp_path, capsys):
    db = tmp_path / "centre.db"
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    code, out, _ = run(capsys, "--lang", "zh_CN", "--db", db, "init")
    assert code == 0 and out.startswith("数据库已就绪：")
    code, out, _ = run(capsys, "--lang", "zh_CN", "--db", db, "import", "staff", tmp_path / "staff.csv")
    assert code == 0 and "以系统身份导入" in out and "新增 2" in out
    code, out, _ = run(capsys, "--db", db, "import", "roster", tmp_path / "roster.csv", "--as", "5101")
    assert code == 0
    return db


def test_attendance_export_in_chinese_has_chinese_headers_and_words(centre, tmp_path, capsys):  # AT-5
    out_file = tmp_path / "week.csv"
    code, out, err = run(
        capsys,
        "--lang",
        "zh_CN",
        "--db",
        centre,
        "export",
        "attendance",
        "--week",
        "2026-W47",
        "--as",
        "5101",
        "--out",
        out_file,
    )
    assert code == 0, err
    assert "已将 2 个班次写入" in out and "人的每周工时写入" in out
    rows = list(csv.reader(out_file.open(encoding="utf-8-sig")))
    assert rows[0] == [
        "工号",
        "姓名",
        "班组",
        "日期",
        "班次",
        "排班开始",
        "排班结束",
        "签到时间",
        "签退时间",
        "迟到分钟",
        "状态",
        "假别",
        "离岗分钟",
        "休息分钟",
        "工作分钟",
        "加班分钟",
        "早退分钟",
        "违规",
    ]
    assert [(r[1], r[4]) for r in rows[1:]] == [("王芳", "白班"), ("王芳", "晚班")]
    hours = list(csv.reader((tmp_path / "week-hours.csv").open(encoding="utf-8-sig")))
    assert hours[0][:8] == ["工号", "姓名", "班组", "周", "班次数", "工作分钟", "工作小时", "达到最低工时"]
    assert hours[1][7] == "否"


def test_an_unknown_person_is_told_so_in_chinese(centre, capsys):
    code, _, err = run(
        capsys, "--lang", "zh_CN", "--db", centre, "export", "attendance", "--week", "2026-W47", "--as", "9999"
    )
    assert code == 1
    assert err == "csdesk: --as：没有工号为 9999 的员工\n"


def test_the_language_may_follow_the_command_as_the_readme_shows(tmp_path, capsys):
    code, out, err = run(capsys, "demo", "--lang", "zh_CN", "--no-open", "--db", tmp_path / "demo.db")
    assert code == 0, err
    assert out.startswith("演示账号") and "工号" in out and "密码" in out


def test_a_language_given_after_the_command_wins(centre, tmp_path, capsys):
    out_file = tmp_path / "week.csv"
    code, _, err = run(
        capsys,
        "--lang",
        "zh_CN",
        "--db",
        centre,
        "export",
        "attendance",
        "--week",
        "2026-W47",
        "--as",
        "5101",
        "--out",
        out_file,
        "--lang",
        "en",
    )
    assert code == 0, err
    assert next(csv.reader(out_file.open(encoding="utf-8-sig")))[0] == "employee_number"
