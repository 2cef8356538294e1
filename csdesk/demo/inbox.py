"""The demo's inbox: an escalation waiting for Lotus's leader, an emergency that went past
Orchid's leader, and the agreed reply wording in Chinese and English (TK-11, TK-14).

Its rows are written the way the ticket services write them, in the language the
demo is built in, and all of it lies in the last hour, so the inbox shows it
whatever day and hour the demo is built.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from csdesk.i18n import _
from csdesk.models import CannedReply, Notification, NotificationKind, TicketEvent
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.vocabulary import channel_label, role_label

if TYPE_CHECKING:
    from csdesk.demo.centre import DemoBuilder, DemoPerson

# (category, language, title, wording, keeper's number, retired)
CANNED = (
    (
        Category.COMPLAINT,
        "zh_CN",
        "退款进度说明",
        "您好，{customer}！您的工单{ticket}我们已收到，退款{退款金额}元将在3个工作日内原路退回，请留意到账信息。"
        "客服{agent}号为您服务。",
        "1101",
        False,
    ),
    (
        Category.INQUIRY,
        "zh_CN",
        "节假日服务时间",
        "您好，{customer}！节假日期间客服热线照常服务，时间为每天8:30至次日1:00。",
        "1101",
        False,
    ),
    (
        Category.FAULT_REPORT,
        "zh_CN",
        "故障已转后台",
        "您好，{customer}！您反映的问题（工单{ticket}）已转交后台处理，我们会在24个工作小时内答复您。"
        "为保障账户安全，我们不会向您索取密码。",
        "1002",
        False,
    ),
    (
        Category.COMPLAINT,
        "en",
        "Refund on its way",
        "Dear {customer}, your refund of {amount} yuan for {ticket} is on its way and reaches your card within "
        "3 working days. Agent No. {agent}",
        "1101",
        False,
    ),
    (
        Category.INQUIRY,
        "en",
        "Opening hours",
        "Dear {customer}, our hotline answers every day from 08:30 to 01:00, holidays included.",
        "1201",
        False,
    ),
    (
        Category.FAULT_REPORT,
        "en",
        "Passed to the back office",
        "Dear {customer}, we have passed {ticket} to our back office and will answer within 24 working hours. "
        "We will never ask for your password.",
        "1002",
        False,
    ),
    (
        Category.SUGGESTION,
        "en",
        "Thanks for the idea (old wording)",
        "Thank you, {customer}. We have noted your suggestion.",
        "1201",
        True,
    ),
)


def _label(person: DemoPerson) -> str:
    return _("No. {number} {name}").format(number=person.number, name=person.name)


def _escalated_case(
    builder: DemoBuilder,
    agent: DemoPerson,
    to_role: Role,
    skipped: tuple[DemoPerson, ...],
    minutes_ago: int,
    customer: str,
    contact: str,
    subject: str,
    description: str,
) -> int:
    received = builder.now - timedelta(minutes=minutes_ago + 15)
    escalated = builder.now - timedelta(minutes=minutes_ago)
    level = (Role.AGENT, Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR).index(to_role)
    ticket_id = builder.add_ticket(
        channel=Channel.PHONE,
        category=Category.COMPLAINT,
        customer_name=customer,
        customer_contact=contact,
        subject=subject,
        body=description,
        status=TicketStatus.ESCALATED,
        owner_id=agent.id,
        escalation_level=level,
        received_at=received,
        dispatched_at=None,
        first_reply_at=None,
        resolved_at=None,
        promised_at=None,
        special_request=False,
    )
    who = _label(agent)
    lines = [
        (
            "intake",
            received,
            _("{who} took it in by {channel} and owns it").format(who=who, channel=channel_label(Channel.PHONE)),
        )
    ]
    said = (
        _("emergency escalation to the {role} by {who}: {description} — contact: {contact}")
        if skipped
        else _("escalated to the {role} by {who}: {description} — contact: {contact}")
    )
    lines.append(
        (
            "escalate",
            escalated,
            said.format(role=role_label(to_role), who=who, description=description, contact=contact),
        )
    )
    for superior in skipped:
        target = f"{_label(superior)}, {role_label(superior.role)}"
        lines.append(
            (
                "inform",
                escalated,
                _("inform {target} afterwards: the emergency escalation skipped this level").format(target=target),
            )
        )
        builder.rows.add(
            Notification,
            recipient_id=superior.id,
            kind=NotificationKind.ESCALATION_SKIPPED,
            ticket_id=ticket_id,
            sender_id=agent.id,
            role=to_role,
            created_at=escalated,
            read_at=None,
        )
    for kind, at, text in lines:
        builder.rows.add(TicketEvent, ticket_id=ticket_id, at=at, actor_id=agent.id, kind=kind, text=text)
    return ticket_id


def add_inbox(builder: DemoBuilder) -> None:
    people = {p.number: p for p in builder.people}
    # TK-11: Lotus agent 1113 escalated a complaint to the squad leader: it waits for 1101.
    _escalated_case(
        builder,
        people["1113"],
        Role.SQUAD_LEADER,
        (),
        40,
        "钱女士",
        "13800001111",
        "退款三周仍未到账",
        _("customer insists on compensation"),
    )
    # TK-11: Orchid agent 1213 went straight to the department director; 1201 is told.
    _escalated_case(
        builder,
        people["1213"],
        Role.DEPARTMENT_DIRECTOR,
        (people["1201"],),
        25,
        "Tom Harris",
        "tom.harris@example.com",
        "Parcel left at the wrong address twice",
        _("customer threatens to go to the press"),
    )
    for k, (category, language, title, body, keeper, retired) in enumerate(CANNED):
        made = builder.now - timedelta(days=14 - k)
        keeper_id = people[keeper].id
        builder.rows.add(
            CannedReply,
            category=category,
            language=language,
            title=title,
            body=body,
            created_by_id=keeper_id,
            created_at=made,
            updated_by_id=None,
            updated_at=None,
            retired_by_id=keeper_id if retired else None,
            retired_at=made + timedelta(days=3) if retired else None,
            version=1,
        )
