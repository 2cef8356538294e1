"""The demo centre's knowledge base (KB-1, KB-2): business notices turned into answers.

Most entries are published, in Chinese and English, across a small
catalogue; a few are still on their way through the editorial steps (one
waits for the director to read it), and two were removed when a later notice
replaced them. Every step has its time, each a few hours after the last.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from csdesk.models import KnowledgeEntry, KnowledgeStateChange
from csdesk.rules.knowledge import EDITORIAL_ORDER, KbState
from csdesk.rules.vocab import Role

if TYPE_CHECKING:
    from csdesk.demo.centre import DemoBuilder

# (catalogue, title, customer-facing answer, issuing department)
PUBLISHED = (
    (
        "计费/退款",
        "宽带退款到银行卡",
        "宽带退款在审核通过后七个工作日内退回您付款时使用的银行卡。"
        "如超过七个工作日仍未到账,请提供受理单号,我们为您查询。",
        "计费部",
    ),
    (
        "计费/退款",
        "重复扣费退款",
        "如同一笔话费被扣了两次,我们核实后会在三个工作日内把多扣的金额退回原账户,无需您另行申请。",
        "计费部",
    ),
    (
        "计费/话费查询",
        "话费余额查询",
        "发送短信 CXHF 到 10000,或拨打 10000 按 1 键,即可查询当前话费余额和本月消费。",
        "计费部",
    ),
    (
        "计费/话费查询",
        "月结账单说明",
        "每月 1 日生成上月账单,账单包含套餐费、超出套餐的通话和流量费用,可在网上营业厅下载电子账单。",
        "计费部",
    ),
    (
        "计费/缴费",
        "自动扣款签约",
        "在营业厅或网上营业厅绑定银行卡后,每月 5 日自动扣缴话费;余额不足时会短信提醒。",
        "计费部",
    ),
    (
        "宽带/故障",
        "宽带无法上网排查",
        "请先重启光猫和路由器,等待两分钟;若光猫 LOS 灯红色闪烁,说明线路故障,我们会在 24 小时内安排师傅上门。",
        "网络运维部",
    ),
    (
        "宽带/故障",
        "网速慢",
        "请用网线直连电脑测速;若直连正常,多为无线信号问题,建议把路由器放在开阔位置或升级双频路由器。",
        "网络运维部",
    ),
    (
        "宽带/装机",
        "新装宽带预约",
        "新装宽带在受理后 48 小时内由装维人员电话预约上门时间,安装当天请保证家中有人。",
        "网络运维部",
    ),
    ("宽带/装机", "移机办理", "宽带移机需本人携带身份证到营业厅办理,新地址具备资源时五个工作日内完成。", "市场部"),
    (
        "移动/漫游",
        "国际漫游开通",
        "出国前拨打 10000 或在网上营业厅开通国际漫游,开通即时生效,资费按目的地计算。",
        "市场部",
    ),
    (
        "移动/漫游",
        "日韩漫游流量包",
        "日本、韩国漫游流量包 30 元一天,不限量,前 3GB 高速;到达后首次上网自动生效。",
        "市场部",
    ),
    (
        "移动/携号转网",
        "携号转网条件",
        "携号转网需满足:在网满 120 天、无欠费、无合约期限制。发送 CXXZ#姓名#证件号 到 10086 可查询是否符合条件。",
        "市场部",
    ),
    ("移动/套餐", "套餐变更生效时间", "套餐变更次月 1 日生效,当月仍按原套餐计费;降档套餐每月只能办理一次。", "市场部"),
    (
        "账户/安全",
        "服务密码重置",
        "服务密码可凭本人身份证到营业厅重置,或在网上营业厅通过短信验证码重置。客服人员不会向您索要密码。",
        "客户服务部",
    ),
    ("账户/安全", "实名登记", "依据规定,手机卡须实名登记。请本人携带有效身份证件到营业厅办理补登记。", "客户服务部"),
    (
        "Billing/Refunds",
        "Refund to a bank card",
        "Approved refunds reach the card you paid with within "
        "7 working days. After that, give us the case number and we will trace the payment.",
        "Billing",
    ),
    (
        "Billing/Invoices",
        "Monthly invoice",
        "Invoices are issued on the 1st of each month for the month before "
        "and can be downloaded from the online account as PDF.",
        "Billing",
    ),
    (
        "Billing/Invoices",
        "Company invoices (VAT)",
        "A company invoice needs the tax number and the registered "
        "address; it is sent by email within 3 working days of the request.",
        "Finance",
    ),
    (
        "Broadband/Faults",
        "No internet connection",
        "Restart the modem and router and wait two minutes. "
        "If the LOS light blinks red the line is down: an engineer visits within 24 hours.",
        "Network operations",
    ),
    (
        "Broadband/Faults",
        "Slow Wi-Fi",
        "Test the speed with a cable first. If the cable is fast, the Wi-Fi "
        "signal is the cause: move the router to an open spot or use the 5 GHz network.",
        "Network operations",
    ),
    (
        "Mobile/Roaming",
        "Roaming in the EU",
        "Calls, texts and data in the EU cost the same as at home, within the fair-use limit of the plan.",
        "Marketing",
    ),
    (
        "Mobile/Plans",
        "Changing the plan",
        "A new plan starts on the 1st of next month; a cheaper plan can be chosen once a month.",
        "Marketing",
    ),
    (
        "Accounts/Security",
        "Never ask for a password",
        "Staff never ask for a PIN or password. If a caller claims to be us and asks for one, hang up and call 10000.",
        "Customer service",
    ),
)

# Entries still in the editorial steps: (catalogue, title, notice, issuing department, state reached).
IN_PROGRESS = (
    (
        "移动/漫游",
        "东南亚漫游资费下调",
        "关于下调东南亚地区漫游资费的通知:自下月 1 日起,泰国、越南、新加坡漫游通话资费由每分钟 2.99 元下调至 0.99 元。",
        "市场部",
        KbState.NOTICE_RECEIVED,
    ),
    (
        "宽带/装机",
        "千兆宽带提速",
        "关于千兆宽带免费提速活动的通知:现有 500M 用户可免费提速至千兆,活动期三个月。",
        "市场部",
        KbState.UNDERSTOOD,
    ),
    (
        "计费/缴费",
        "支付宝缴费上线",
        "关于开通支付宝缴费渠道的通知:即日起用户可通过支付宝生活缴费为手机充值。",
        "计费部",
        KbState.ENTERED,
    ),
    (
        "Mobile/Plans",
        "Student plan",
        "Notice: the student plan (30 GB, 19 a month) opens to full-time "
        "students with a valid student card from next month.",
        "Marketing",
        KbState.CONFIRMED,
    ),
    (
        "Broadband/Installation",
        "Installation appointment by SMS",
        "Notice: installers now confirm the appointment by SMS the day before the visit.",
        "Network operations",
        KbState.REWRITTEN,
    ),
)

# Published, then removed when a later notice replaced them.
REMOVED = (
    ("移动/漫游", "日韩漫游流量包(旧)", "日本、韩国漫游流量包 25 元一天,前 1GB 高速。", "市场部", "已被新资费通知替代"),
    (
        "Billing/Invoices",
        "Paper invoices by post",
        "Paper invoices are posted on the 3rd of each month.",
        "Billing",
        "paper invoices discontinued by notice 2026-07",
    ),
)

NOTES = {
    KbState.READ_BY_DIRECTOR: "read at the morning meeting",
    KbState.MATERIAL_COLLECTED: "tariff sheet and FAQ from the issuing department",
}


def add_knowledge(builder: DemoBuilder) -> None:
    """Adds the entries and every editorial step, all in the past."""
    editors = [p for p in builder.people if p.role is Role.SQUAD_LEADER]
    director = next(p for p in builder.people if p.role is Role.DEPARTMENT_DIRECTOR)
    # Its own generator, so adding entries leaves the rest of the centre as it was.
    rng = random.Random(f"knowledge-{builder.today.isoformat()}")

    def entry(
        k: int,
        start: datetime,
        catalogue: str,
        title: str,
        original: str,
        body: str,
        source: str,
        until: KbState,
        removal: str = "",
        gap_hours: int = 5,
    ) -> None:
        editor = editors[k % len(editors)]
        steps = EDITORIAL_ORDER[: EDITORIAL_ORDER.index(until) + 1]
        entered = EDITORIAL_ORDER.index(until) >= EDITORIAL_ORDER.index(KbState.ENTERED)
        row = {
            "title": title,
            "catalogue": catalogue,
            "original": original,
            "body": body if entered else "",
            "state": (KbState.REMOVED if removal else until).value,
            "created_at": start,
            "removed_at": None,
        }
        entry_id = builder.rows.add(KnowledgeEntry, **row)
        at = start
        for step in steps:
            who = director if step is KbState.READ_BY_DIRECTOR else editor
            if step is KbState.NOTICE_RECEIVED:
                note = f"from {source}"
            elif step is KbState.CONFIRMED:
                note = f"{source}: confirmed by phone"
            else:
                note = NOTES.get(step, "")
            builder.rows.add(
                KnowledgeStateChange, entry_id=entry_id, state=step.value, actor_id=who.id, at=at, note=note
            )
            at += timedelta(hours=rng.randint(1, gap_hours), minutes=rng.randint(0, 59))
        if removal:
            removed = min(at + timedelta(days=3), builder.now - timedelta(hours=1))
            builder.rows.add(
                KnowledgeStateChange,
                entry_id=entry_id,
                state=KbState.REMOVED.value,
                actor_id=editor.id,
                at=removed,
                note=removal,
            )
            builder.rows.tables[KnowledgeEntry][-1]["removed_at"] = removed

    # The replaced entries are the oldest; the rest follow about a day apart.
    finished = [(c, t, b, s, reason) for c, t, b, s, reason in REMOVED]
    finished += [(c, t, b, s, "") for c, t, b, s in PUBLISHED]
    for k, (catalogue, title, body, source, removal) in enumerate(finished):
        start = builder.now - timedelta(days=len(finished) + 2 - k, hours=rng.randint(2, 9))
        notice = f"【{source}】{title}\n\n{body}"
        entry(k, start, catalogue, title, notice, body, source, KbState.PUBLISHED, removal)
    for i, (catalogue, title, original, source, state) in enumerate(IN_PROGRESS):
        start = builder.now - timedelta(hours=60 - 10 * i)
        entry(i, start, catalogue, title, original, original, source, state, gap_hours=2)
