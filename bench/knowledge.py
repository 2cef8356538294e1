"""Knowledge search (KB-2) over 5,000 published entries, Chinese and English.

Each query runs through ``search_knowledge`` (permission, the dialect's
filter, views) and, as the floor, the same compiled SELECT through plain
``sqlite3``. Queries of one and two Chinese characters make no trigram, so
they scan the entries; three or more go through the FTS5 index: both kinds
are timed, with the query plan of each.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.actions import summary

ENTRIES = 5000
QUERIES = {
    "1 Chinese character": "款",
    "2 Chinese characters": "退款",
    "3 Chinese characters": "银行卡",
    "Chinese phrase": "七个工作日内",
    "two Chinese words": "漫游 流量",
    "English word": "refund",
    "no match": "不存在的问题",
}
_HANZI = [
    "宽带",
    "退款",
    "银行卡",
    "话费",
    "余额",
    "查询",
    "套餐",
    "变更",
    "漫游",
    "流量",
    "开通",
    "携号转网",
    "实名登记",
    "服务密码",
    "重置",
    "账单",
    "发票",
    "缴费",
    "故障",
    "光猫",
    "路由器",
    "网速",
    "装机",
    "预约",
    "移机",
    "身份证",
    "营业厅",
    "工作日",
    "客户",
    "短信",
    "资费",
    "下调",
    "提速",
    "活动",
    "国际",
    "日本",
    "韩国",
    "七个工作日内",
    "请您",
    "我们",
    "办理",
    "需要",
    "如果",
    "可以",
    "本人",
    "携带",
    "原件",
    "退回",
    "到账",
    "审核",
    "通过",
    "后",
    "在",
    "的",
    "了",
    "和",
]
_WORDS = [
    "refund",
    "bank",
    "card",
    "balance",
    "plan",
    "roaming",
    "data",
    "invoice",
    "payment",
    "fault",
    "modem",
    "router",
    "speed",
    "install",
    "appointment",
    "identity",
    "password",
    "account",
    "message",
    "tariff",
    "promotion",
    "upgrade",
    "customer",
    "working",
    "days",
]


def _text(rng: random.Random, chinese: bool, length: int) -> str:
    if chinese:
        return "".join(rng.choice(_HANZI) for _ in range(length // 2)) + "。"
    return " ".join(rng.choice(_WORDS) for _ in range(length // 5)).capitalize() + "."


def build(folder: Path, entries: int = ENTRIES, seed: int = 5) -> Path:
    """A fresh centre holding ``entries`` published entries (half Chinese)."""
    from sqlalchemy import insert

    from csdesk.models import KnowledgeEntry
    from csdesk.rules.knowledge import KbState
    from csdesk.store import create_database

    rng = random.Random(seed)
    path = folder / "knowledge.db"
    db = create_database(path)
    now = datetime(2026, 3, 9, tzinfo=UTC)
    rows = []
    for n in range(entries):
        chinese = n % 2 == 0
        catalogue = rng.choice(("计费/退款", "宽带/故障", "移动/漫游", "Billing/Refunds", "Mobile/Plans"))
        rows.append(
            {
                "title": _text(rng, chinese, 8)[:40],
                "catalogue": catalogue,
                "body": _text(rng, chinese, rng.randint(80, 240)),
                "original": "notice",
                "state": KbState.PUBLISHED.value,
                "created_at": now,
            }
        )
    with db.write() as session:
        session.execute(insert(KnowledgeEntry), rows)
    db.close()
    return path


def run(rounds: int, entries: int = ENTRIES) -> dict[str, Any]:
    from sqlmodel import select

    from csdesk.fulltext import terms_of, with_match
    from csdesk.models import KnowledgeEntry
    from csdesk.policy import default_policy
    from csdesk.rules.vocab import Role
    from csdesk.services.base import Actor, Desk
    from csdesk.services.knowledge import search_knowledge
    from csdesk.store import open_database

    out: dict[str, Any] = {"entries": entries, "queries": {}}
    with tempfile.TemporaryDirectory(prefix="csdesk-bench-kb-") as scratch:
        started = time.perf_counter()
        path = build(Path(scratch), entries)
        out["build_s"] = round(time.perf_counter() - started, 2)
        db = open_database(path)
        desk = Desk(db=db, policy=default_policy())
        agent = Actor(1, "1110", "bench", Role.AGENT)
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for name, query in QUERIES.items():
            statement = with_match(
                select(KnowledgeEntry).where(KnowledgeEntry.state == "published"), "sqlite", terms_of(query)
            ).limit(20)
            compiled = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
            plan = [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {compiled}")]
            found = len(search_knowledge(desk, agent, query))
            desk_times, floor_times = [], []
            for _ in range(rounds):
                at = time.perf_counter()
                raw.execute(compiled).fetchall()
                floor_times.append(time.perf_counter() - at)
                at = time.perf_counter()
                search_knowledge(desk, agent, query)
                desk_times.append(time.perf_counter() - at)
            out["queries"][name] = {
                "query": query,
                "found": found,
                "desk": summary(desk_times),
                "floor": summary(floor_times),
                "plan": plan,
                "uses_index": any("VIRTUAL TABLE INDEX" in p for p in plan),
            }
        raw.close()
        db.close()
    return out
