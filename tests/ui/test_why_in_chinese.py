"""The "why?" view reads the rulebook in the desk's language (rule catalogue, domain csdesk-rules)."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from csdesk import i18n
from csdesk.rules.catalog import rule
from csdesk.widgets.why import WhyModal


def test_why_shows_each_rules_chinese_title_statement_and_source_at_80x24(drive, tmp_path):
    # rule: AT-2, LV-6 -- what a squad leader reads on asking "why?" about a late arrival.
    app = App()

    async def scenario(pilot):
        app.push_screen(WhyModal(("AT-2", "LV-6")))
        await pilot.pause()
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        for rule_id in ("AT-2", "LV-6"):
            found = rule(rule_id)
            assert f"{rule_id}  {found.title_text()}" in shown
            assert found.title not in shown and found.statement not in shown
        assert "迟到超过20分钟且未在上班前请假的属违纪，按旷工处理。" in shown
        assert "晚班原则上不准假" in shown and "001 请假" in shown
        app.save_screenshot(str(tmp_path / "why.svg"))

    i18n.install_language("zh_CN")
    try:
        drive(app, scenario)
    finally:
        i18n.install_language(None)
    assert "迟到" in (tmp_path / "why.svg").read_text(encoding="utf-8")
