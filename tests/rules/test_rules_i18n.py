"""The rules speak Chinese: every catalogue rule and every decision's reason (domain csdesk-rules).

English stays the source and the default; the Chinese catalogue ships compiled
in the package and is read behind the desk's own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from csdesk import i18n, locale_tools
from csdesk.i18n import RULES_DOMAIN
from csdesk.rules.attendance import classify_arrival
from csdesk.rules.catalog import TOPICS, all_rules, rule, topic_title
from csdesk.rules.decision import Outcome
from csdesk.rules.discipline import check_escalation
from csdesk.rules.fines import Offence, assess_fine, check_greeting_delay
from csdesk.rules.leave import LeaveRequest, check_approval_step, evaluate_leave
from csdesk.rules.staff import Action, action_label, can
from csdesk.rules.swaps import SwapParty, SwapRequest, check_swap
from csdesk.rules.tickets import greeting_script
from csdesk.rules.vocab import Grade, LeaveType, Role

from .conftest import at, day_shift, night_shift

CJK = re.compile(r"[\u4e00-\u9fff]")
MON = date(2026, 3, 9)


@pytest.fixture
def chinese():
    assert i18n.install_language("zh_CN") == "zh_CN"
    yield
    i18n.install_language(None)


def _chinese(text: str) -> bool:
    return bool(CJK.search(text))


def test_every_catalogue_rule_has_a_chinese_title_statement_and_source(chinese):
    untranslated = [
        r.id
        for r in all_rules()
        if not (_chinese(r.title_text()) and _chinese(r.statement_text()))
        or r.statement_text() == r.statement
        or r.source_text() == ""
    ]
    assert untranslated == []
    assert all(_chinese(topic_title(topic)) for topic in TOPICS)


def test_catalogue_reads_english_by_default_and_chinese_once_chosen():
    assert rule("LV-6").title_text() == "Night-shift leave"
    assert str(rule("FN-2")).startswith("FN-2 Chat greeting delay fine: ")
    i18n.install_language("zh_CN")
    try:
        assert rule("LV-6").title_text() == "晚班请假"
        assert "12:00" in rule("LV-6").statement_text()
        assert rule("LV-6").default_text() == "12:00"
        assert rule("LV-1").default_text() == ""  # no default, not the catalogue's header
        assert str(rule("FN-2")).startswith("FN-2 在线问候延迟罚款: ")
    finally:
        i18n.install_language(None)
    assert rule("LV-6").title_text() == "Night-shift leave"


def test_rules_from_the_chinese_rulebooks_keep_their_original_wording(chinese):
    # 003 §1 and §6 (the online shop's rulebook); 002 (the tele-service centre's white paper).
    assert "晚班客服下班前把交接事项写在交接本上" in rule("HO-4").statement_text()
    assert "一次罚款50元，第二次翻倍" in rule("FN-3").statement_text()
    assert "电话铃响三声之内提起电话" in rule("TK-3").statement_text()
    assert "保证没有未处理邮件到下一个班次" in rule("HO-7").statement_text()
    assert rule("FN-9").source_text() == "003 第17条"


def test_every_rules_string_is_translated_and_the_compiled_catalogue_is_fresh():
    problems = [str(p) for p in locale_tools.problems("zh_CN", RULES_DOMAIN)]
    assert not problems, (
        "the zh_CN rules catalogue does not cover csdesk/rules; run `python -m csdesk.locale_tools update`, "
        "translate in csdesk/locale/zh_CN/LC_MESSAGES/csdesk-rules.po, then `... compile`:\n  " + "\n  ".join(problems)
    )


def test_the_compiled_rules_catalogue_ships_inside_the_package():
    shipped = Path(i18n.localedir()) / "zh_CN" / "LC_MESSAGES" / "csdesk-rules.mo"
    built = locale_tools.po_path("zh_CN", RULES_DOMAIN).with_suffix(".mo")
    assert shipped.read_bytes() == built.read_bytes()


@pytest.fixture
def scratch_rules_catalogue(tmp_path, monkeypatch):
    """A copy of the shipped rules catalogue the check reads instead, to spoil on purpose."""
    folder = tmp_path / "locale"
    shutil.copytree(locale_tools.LOCALE / "zh_CN", folder / "zh_CN")
    monkeypatch.setattr(locale_tools, "LOCALE", folder)
    return locale_tools.po_path("zh_CN", RULES_DOMAIN)


@pytest.mark.parametrize(
    ("msgid", "change", "kind"),
    [
        ("{minutes} minutes late", {"string": ""}, "missing"),
        ("Night-shift leave", {"fuzzy": True}, "fuzzy"),
        ("{minutes} minutes late", {"string": "迟到{minute}分钟"}, "placeholders"),
        ("on time", {"string": "准点"}, None),  # a fine rewording, but the .mo no longer matches
        ("{minutes} minutes late", {"delete": True}, "missing"),  # a new string in the code, not in the .po
    ],
)
def test_the_rules_check_fails_on_a_missing_fuzzy_or_broken_translation_and_a_stale_mo(
    scratch_rules_catalogue, msgid, change, kind
):
    def found() -> set[tuple[str, str]]:
        return {(p.kind, p.message.split(" -> ")[0].strip("'")) for p in locale_tools.problems("zh_CN", RULES_DOMAIN)}

    before = found()
    catalog = locale_tools.read(scratch_rules_catalogue)
    if change.pop("delete", False):
        catalog.delete(msgid)
    message = catalog.get(msgid)
    if change.pop("fuzzy", False):
        message.flags.add("fuzzy")
    for key, value in change.items():
        setattr(message, key, value)
    locale_tools.write(catalog, scratch_rules_catalogue)

    assert {k for k, _m in found() - before} == {kind, "stale"} - {None}
    locale_tools.compile_all()
    assert found() - before == ({(kind, msgid)} if kind else set())


def test_rules_strings_are_not_left_to_the_desks_catalogue():
    desk = {m.id for m in locale_tools.template() if m.id}
    rules = {m.id for m in locale_tools.template(RULES_DOMAIN) if m.id}
    assert "{minutes} minutes late" in rules and "{minutes} minutes late" not in desk
    folders = {path.split("/")[1] for m in locale_tools.template(RULES_DOMAIN) for path, _n in m.locations}
    assert folders == {"rules"}


def test_at_2_lateness_across_midnight_reads_in_chinese_with_the_minutes(chinese, policy):
    # rule: AT-2 -- 00:10 is 400 minutes into the night shift that began at 17:30.
    late = classify_arrival(night_shift(date(2026, 3, 3)), at(2026, 3, 4, 0, 10), policy)
    assert late.decision.outcome is Outcome.VIOLATION
    assert late.decision.reason == "迟到400分钟，且未在上班前请假（超过20分钟按旷工处理）"
    assert str(late.decision) == "AT-2: 迟到400分钟，且未在上班前请假（超过20分钟按旷工处理）"
    just_late = classify_arrival(night_shift(date(2026, 3, 3)), at(2026, 3, 3, 17, 50), policy)
    assert just_late.decision.reason == "迟到20分钟"


def _leave(kind: LeaveType, filed_at: datetime, shifts=None) -> LeaveRequest:
    shifts = shifts or (day_shift(MON),)
    return LeaveRequest(type=kind, person_id=7, filed_by_id=7, filed_at=filed_at, shifts=tuple(shifts))


def test_lv_2_short_notice_reads_in_chinese_with_the_notice_and_the_chain(chinese, policy):
    late = evaluate_leave(_leave(LeaveType.SPECIAL, at(2026, 3, 9, 7, 31)), policy)
    assert late.outcome is Outcome.NEEDS_APPROVAL and "LV-2" in late.rule_ids
    assert late.reason == (
        "特殊假1天：审批顺序 班长→部门经理；特殊假须提前1小时申请；晚于此时限须经管理层批准方可生效，否则缺勤按旷工处理"
    )
    two_days = evaluate_leave(
        _leave(LeaveType.PERSONAL, at(2026, 3, 9, 8, 31), (day_shift(MON), day_shift(MON + timedelta(1)))),
        policy,
    )
    assert two_days.reason.startswith("事假2天：审批顺序 班长→部门经理→中心总监；普通假须提前1天申请")


def test_lv_3_and_lv_6_read_in_chinese(chinese, policy):
    # rule: LV-3, LV-6
    skipped = check_approval_step((Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR), (), Role.DEPARTMENT_DIRECTOR)
    assert skipped.reason == "下一步由班长审批；不得越级"
    night = evaluate_leave(_leave(LeaveType.PERSONAL, at(2026, 3, 9, 12, 0), (night_shift(MON),)), policy)
    assert night.reason == "晚班请假须在当天12:00前申请"


def test_fn_3_escalating_fines_read_in_chinese_with_amount_count_and_review(chinese, policy):
    # rule: FN-3, FN-10, DS-2 -- 50, doubled the second time, the third raises a dismissal review.
    reasons = [assess_fine(Offence.COMPLAINT, earlier, policy).decision.reason for earlier in range(3)]
    assert reasons == [
        "罚款50元（本月第一次）",
        "罚款100元（本月第二次）",
        "罚款200元；本月第3次违反FN-3：已提交经理层辞退审议",
    ]
    assert check_greeting_delay(timedelta(seconds=61), policy).reason == "61秒后才打招呼：罚款10元"


def test_role_grade_and_list_words_read_in_chinese(chinese, policy):
    # rule: TK-11, SW-4, TK-3
    emergency = check_escalation(Role.AGENT, Role.CENTRE_DIRECTOR, emergency=True)
    assert emergency.reason == "紧急越级上报中心总监；事后告知班长和部门经理"
    swap = SwapRequest(SwapParty(1, Grade.JUNIOR, "phone"), SwapParty(2, Grade.SENIOR, "phone"), day_shift(MON))
    assert check_swap(swap, policy).reason == "双方级别必须相同（初级与高级）"
    busy = SwapParty(1, Grade.JUNIOR, "phone", earlier_swap_days=(date(2026, 3, 2), date(2026, 3, 3)))
    third = SwapRequest(busy, SwapParty(2, Grade.JUNIOR, "phone"), day_shift(MON))
    assert check_swap(third, policy).reason == "1在2026年3月已换班2次；每月最多2次"  # rule: SW-2
    assert greeting_script(12) == "您好，客服12号为您服务，请问有什么可以帮您？"
    assert can(Role.AGENT, Action.APPROVE_LEAVE).reason == "只有班长、部门经理、中心总监可以审批请假"


def test_every_permission_action_reads_in_chinese(chinese):
    # rule: ST-2 -- a refusal names the action; an action added without N_() would read in English.
    assert [a for a in Action if not _chinese(action_label(a))] == []


def test_the_same_decisions_still_read_in_english_by_default(policy):
    late = classify_arrival(night_shift(date(2026, 3, 3)), at(2026, 3, 4, 0, 10), policy)
    assert late.decision.reason == (
        "400 minutes late without leave asked before the shift (more than 20 minutes counts as absenteeism)"
    )
    assert assess_fine(Offence.COMPLAINT, 1, policy).decision.reason == "fine 100 CNY (second offence this month)"
    assert check_escalation(Role.AGENT, Role.CENTRE_DIRECTOR, emergency=True).reason == (
        "emergency escalation to the centre director; inform the squad leader and the department director afterwards"
    )


PURE_AND_CHINESE = """
import importlib, pkgutil, sys
from datetime import datetime
import csdesk.i18n, csdesk.rules
for info in pkgutil.iter_modules(csdesk.rules.__path__):
    importlib.import_module("csdesk.rules." + info.name)
assert csdesk.i18n.install_language("zh_CN") == "zh_CN"
from csdesk.rules.catalog import rule
from csdesk.rules.attendance import check_away, AwayPeriod
from csdesk.policy import default_policy
policy = default_policy()
start = datetime(2026, 3, 9, 10, tzinfo=policy.zone)
print(rule("AT-3").title_text(), check_away(AwayPeriod(start, start.replace(minute=25)), policy).reason)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"textual", "sqlmodel", "sqlalchemy", "babel"})
print(",".join(heavy))
"""


def test_rules_translate_without_pulling_in_the_ui_the_database_or_babel():
    result = subprocess.run([sys.executable, "-c", PURE_AND_CHINESE], capture_output=True, text=True, check=True)
    speech, heavy = result.stdout.splitlines()
    assert speech == "离岗 未经同意离岗25分钟（超过20分钟属违纪）"
    assert heavy == ""
