"""Who works at the demo centre: fixed names, so the same seed gives the same centre."""

from __future__ import annotations

from csdesk.rules.vocab import Role, ShiftKind

DEMO_PIN = "1234"

# (employee number, name, role) for the people above the squads.
MANAGEMENT = (
    ("1001", "周建国", Role.CENTRE_DIRECTOR),
    ("1002", "María González", Role.DEPARTMENT_DIRECTOR),
    ("1003", "陈静", Role.INSPECTOR),
)

# Squad name, the shift it works (None: alternates week by week), leader, deputy.
SQUADS = (
    ("Lotus", ShiftKind.DAY, ("1101", "李娜"), ("1102", "James Carter")),
    ("Orchid", ShiftKind.NIGHT, ("1201", "Carmen Ruiz"), ("1202", "刘洋")),
    ("Bamboo", None, ("1301", "Emily Johnson"), ("1302", "赵磊")),
)

AGENT_NAMES = (
    "王芳",
    "张伟",
    "Lucía Pérez",
    "Oliver Brown",
    "王秀英",
    "Javier Morales",
    "杨帆",
    "Grace Miller",
    "黄丽",
    "Sofía Herrera",
    "吴强",
    "Henry Wilson",
    "孙悦",
    "Diego Torres",
    "Chloe Davis",
    "徐明",
    "Valentina Castro",
    "Samuel Taylor",
    "马琳",
    "Andrés Romero",
    "Hannah Moore",
    "胡军",
    "Camila Vargas",
    "Lucas Anderson",
    "郭敏",
    "Isabel Navarro",
    "Ava Thomas",
    "何静",
    "Mateo Silva",
    "Ethan Clark",
)

CUSTOMER_NAMES = (
    "赵先生",
    "钱女士",
    "孙小姐",
    "李明",
    "周婷",
    "Pedro Jiménez",
    "Laura Gómez",
    "Marta Ruiz",
    "Tom Harris",
    "Sarah Lee",
    "Kevin White",
    "Ana Morales",
    "吴磊",
    "郑洁",
    "冯涛",
    "Rosa Díaz",
)

SUBJECTS = {
    "inquiry": (
        "Where is my parcel?",
        "How do I change my plan?",
        "Opening hours on holidays",
        "Invoice for last month",
        "积分怎么兑换？",
    ),
    "complaint": (
        "Charged twice for one order",
        "Rude answer on the phone",
        "Refund still missing",
        "送货太慢",
        "Wrong item delivered",
    ),
    "fault_report": (
        "App crashes at checkout",
        "No signal since yesterday",
        "Cannot log in",
        "网页打不开",
        "Payment page times out",
    ),
    "suggestion": (
        "Please add night delivery",
        "Dark mode for the app",
        "More payment options",
        "希望增加微信支付",
        "Shorter phone menu",
    ),
    "business_registration": (
        "Open a business account",
        "Register a second shop",
        "企业认证申请",
        "Change company address",
        "Add a sub-account",
    ),
}

NOTICES = (
    ("Refund window extended to 15 days", "From today refunds are accepted within 15 days of delivery."),
    ("双十一活动说明", "活动期间满300减40，优惠券不可叠加。"),
    ("New escalation form", "Fill in the description and the customer's contact before escalating."),
    ("System maintenance Sunday 02:00-04:00", "The ticket queue is read-only during maintenance."),
)
