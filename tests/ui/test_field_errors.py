"""A field with an error keeps its height and shows what was typed; the field being typed
into is plain to see."""

from __future__ import annotations

from textual.widgets import Input, Select

from csdesk.screens.fines import RewardForm

from .test_fines import centre, desk_app, open_fund  # noqa: F401 - the fixture


def test_a_refused_compact_field_keeps_its_line_and_its_text(db, desk, centre, drive, settle):  # noqa: F811
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_fund(pilot, centre.leader, settle)
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RewardForm)
        form.query_one("#form-person", Select).value = centre.agent.staff_id
        amount = form.query_one("#reward-amount", Input)
        amount.focus()
        await pilot.pause()
        label = amount.parent.query_one(".field-label")
        # The field being typed into stands out from the others.
        assert label.styles.color != form.query_one("#reward-reason").parent.query_one(".field-label").styles.color
        height = amount.region.height
        await pilot.press(*"12abc", "ctrl+s")
        await settle(app)
        await pilot.pause()
        assert amount.parent.has_class("-invalid")
        assert amount.region.height == height == 1
        assert amount.content_region.height == 1 and "12abc" in str(amount.render_line(0).text)

    drive(app, scenario)
