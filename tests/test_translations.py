"""The Chinese catalogue covers the desk, ships compiled, and the language is chosen as documented."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from csdesk import formats, i18n, locale_tools
from csdesk.rules.vocab import Role
from csdesk.settings import resolve_settings


@pytest.fixture
def chinese():
    i18n.install_language("zh_CN")
    yield
    i18n.install_language(None)


def test_every_desk_string_has_a_chinese_translation_and_the_mo_is_fresh():
    problems = [str(p) for p in locale_tools.problems("zh_CN")]
    assert not problems, (
        "the zh_CN catalogue does not cover the desk; run `python -m csdesk.locale_tools update`, "
        "translate in csdesk/locale/zh_CN/LC_MESSAGES/csdesk.po, then `... compile`:\n  " + "\n  ".join(problems)
    )


@pytest.fixture
def scratch_catalogue(tmp_path, monkeypatch):
    """A copy of the shipped catalogue the check reads instead, to spoil on purpose."""
    folder = tmp_path / "locale"
    shutil.copytree(locale_tools.LOCALE / "zh_CN", folder / "zh_CN")
    monkeypatch.setattr(locale_tools, "LOCALE", folder)
    return locale_tools.po_path("zh_CN")


def _spoil(po, msgid: str, **change) -> None:
    catalog = locale_tools.read(po)
    message = catalog.get(msgid)
    for key, value in change.items():
        if key == "fuzzy":
            message.flags.add("fuzzy")
        else:
            setattr(message, key, value)
    locale_tools.write(catalog, po)


@pytest.mark.parametrize(
    ("msgid", "change", "kind"),
    [
        ("Roll call", {"string": ""}, "missing"),
        ("Roll call", {"fuzzy": True}, "fuzzy"),
        ("Handover #{id}", {"string": "交接班 #{number}"}, "placeholders"),
        ("usage: ", {"string": "用法"}, None),  # a %-free wording change: fine, but the .mo is stale
        ("the following arguments are required: %s", {"string": "缺少必需的参数"}, "placeholders"),
    ],
)
def test_the_check_fails_on_a_missing_fuzzy_or_broken_translation_and_a_stale_mo(
    scratch_catalogue, msgid, change, kind
):
    def found() -> set[tuple[str, str]]:
        return {(p.kind, p.message.split(" -> ")[0].strip("'")) for p in locale_tools.problems("zh_CN")}

    before = found()  # strings still being written elsewhere may be missing already
    _spoil(scratch_catalogue, msgid, **change)
    new = found() - before
    assert {k for k, _ in new} == {kind, "stale"} - {None}  # the .po changed, the .mo was not rebuilt
    locale_tools.compile_all()
    assert found() - before == ({(kind, msgid)} if kind else set())


def test_a_translation_may_leave_out_a_named_placeholder_but_not_add_one():
    assert locale_tools._placeholders_fit("{n}{suffix}", "{n}")
    assert not locale_tools._placeholders_fit("{n}", "第{n}{suffix}")
    assert not locale_tools._placeholders_fit("required: %s", "必需")


def test_the_compiled_catalogue_ships_inside_the_package(chinese):
    assert (Path(i18n.localedir()) / "zh_CN" / "LC_MESSAGES" / "csdesk.mo").is_file()
    assert i18n._("Roll call") == "点名"
    assert i18n.current_language() == "zh_CN"


def test_the_rules_catalogue_is_read_behind_the_desks(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog

    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    shutil.copytree(locale_tools.LOCALE / "zh_CN" / "LC_MESSAGES", folder, dirs_exist_ok=True)
    rules = Catalog(locale="zh_CN", domain="csdesk-rules")
    rules.add("a swap needs two squad leaders", "换班需要两位班长批准")
    rules.add("Roll call", "规则里的点名")  # the desk's own translation wins
    (folder / "csdesk-rules.mo").write_bytes(locale_tools.compiled(rules))
    monkeypatch.setattr(i18n, "localedir", lambda: str(tmp_path))
    try:
        i18n.install_language("zh_CN")
        assert i18n._("a swap needs two squad leaders") == "换班需要两位班长批准"
        assert i18n._("Roll call") == "点名"
    finally:
        i18n.install_language(None)


@pytest.mark.parametrize(
    ("cli", "env", "policy", "system", "expected"),
    [
        ("zh_CN", "en", "en", "en_US.UTF-8", "zh_CN"),
        (None, "zh-CN", "en", "en_US.UTF-8", "zh_CN"),
        (None, None, "zh_CN", "en_US.UTF-8", "zh_CN"),
        (None, None, None, "zh_CN.UTF-8", "zh_CN"),
        (None, None, None, "C.UTF-8", "en"),
        ("en", None, "zh_CN", "zh_CN.UTF-8", "en"),
    ],
)
def test_language_comes_from_the_option_the_variable_the_policy_then_the_system(cli, env, policy, system, expected):
    assert i18n.choose_language(cli, env, policy, {"LANG": system}) == expected


def test_the_policy_file_names_the_centres_language(tmp_path):
    shipped = (locale_tools.PACKAGE / "data" / "policy.toml").read_text(encoding="utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text(shipped.replace('currency = "CNY"', 'currency = "CNY"\nlanguage = "zh_CN"', 1), encoding="utf-8")
    assert resolve_settings(policy=str(policy), environ={"LANG": "en_GB.UTF-8"}).lang == "zh_CN"
    assert resolve_settings(policy=str(policy), environ={"CSDESK_LANG": "en"}).lang == "en"
    assert resolve_settings(environ={"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US"}).lang == "zh_CN"


def test_dates_and_amounts_follow_the_language(chinese):
    wednesday = date(2026, 11, 25)
    assert formats.full_date(wednesday) == "2026年11月25日 周三"
    assert formats.short_date(wednesday) == "11月25日 周三"
    assert formats.day_and_clock(datetime(2026, 11, 25, 17, 30)) == "11月25日 周三 17:30"
    assert formats.priced(123450, "CNY") == "1,234.50 元"
    i18n.install_language("en")
    assert formats.full_date(wednesday) == "Wed 25 Nov 2026"
    assert formats.weekday_and_day(wednesday) == "Wed 25 Nov"
    assert formats.priced(-500, "CNY") == "-5.00 CNY"
    assert formats.recent(datetime(2026, 3, 2, 18, 0)) == "02 Mar 18:00"
    assert formats.priced(500, "CNY", signed=True) == "+5.00 CNY"


def test_a_refusal_from_a_service_is_said_in_chinese(desk, make_squad, make_staff, actor_of, chinese):  # ST-2
    from csdesk.services import attendance, auth
    from csdesk.services.base import ServiceError

    make_staff(employee_number="2002", real_name="王芳", pin="1234")
    with pytest.raises(ServiceError) as wrong:
        auth.sign_in(desk, "2002", "9999")
    assert str(wrong.value) == "工号或密码错误"
    with pytest.raises(ServiceError) as empty:
        auth.sign_in(desk, "", "1234")
    assert (str(empty.value), empty.value.field) == ("请输入工号", "employee_number")
    # A sentence with a translated part inside it (what the leader may not do).
    leader = make_staff(role=Role.SQUAD_LEADER, squad=make_squad("莲花组"), employee_number="1101")
    other = make_squad("兰花组")
    with pytest.raises(ServiceError) as refused:
        attendance.week(desk, actor_of(leader), "2026-W11", other.id)
    assert str(refused.value) == "ST-2: 班长只能为本班组查看考勤"


def test_every_ticket_state_has_words_in_chinese(chinese):
    from csdesk.rules.vocab import TicketStatus
    from csdesk.vocabulary import ticket_status_label

    assert ticket_status_label("waiting_customer") == "等待客户"
    assert all(not ticket_status_label(s).isascii() for s in TicketStatus)


def test_a_moment_is_written_one_way_in_each_language(chinese):
    """Lists, timelines, due times and duties write a day and a time alike: no ``3/2``, ``12-06``
    or ``2日 周一`` beside ``3月2日``."""
    from zoneinfo import ZoneInfo

    from csdesk.screens.kit.times import WHEN_WIDTH, local

    zone = ZoneInfo("Asia/Shanghai")
    moment = datetime(2026, 12, 30, 0, 30, tzinfo=ZoneInfo("UTC"))  # 08:30 in Shanghai
    assert local(moment, zone) == formats.recent(moment.astimezone(zone)) == "12月30日 08:30"
    assert formats.weekday_and_day(date(2026, 3, 2)) == formats.short_date(date(2026, 3, 2)) == "3月2日 周一"
    assert cell_len(local(moment, zone)) <= WHEN_WIDTH
    i18n.install_language("en")
    assert local(moment, zone) == formats.recent(moment.astimezone(zone)) == "30 Dec 08:30"
