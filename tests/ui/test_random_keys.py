"""No key sequence ends the desk with a traceback: a few thousand keys, drawn from a seeded
generator, pressed on every area's screen as a squad leader with work in the queues."""

from __future__ import annotations

import random

from csdesk.rules.vocab import Category, Channel, Role
from csdesk.screens.home import HomeScreen, back_home
from csdesk.services.tickets import escalate, take_in

from .test_queues import app_on, run, settle

# Every key the desk gives a meaning somewhere, and some it does not; never ctrl+q (it quits,
# as it should) nor ctrl+p (the palette's "Sign out" would end the walk, not the desk).
KEYS = [
    *"abcdefghijklmnopqrstuvwxyz0123456789",
    *("enter", "escape", "tab", "shift+tab", "up", "down", "left", "right", "pageup", "pagedown"),
    *("home", "end", "space", "backspace", "left_square_bracket", "right_square_bracket"),
    *("number_sign", "slash", "question_mark", "ctrl+s", "ctrl+o", "f1", "f2", "f3", "f4"),
]
# The areas other screens are reached from; roll call and attendance have their own walk.
AREAS = (
    "csdesk.screens.queues:QueuesScreen",
    "csdesk.screens.intake:IntakeScreen",
    "csdesk.screens.search:SearchScreen",
    "csdesk.screens.inbox:InboxScreen",
    "csdesk.screens.handover:HandoverScreen",
    "csdesk.screens.leave:LeaveScreen",
    "csdesk.screens.swaps:SwapsScreen",
    "csdesk.screens.fines:FinesScreen",
    "csdesk.screens.duties:DutiesScreen",
    "csdesk.screens.interns:InternsScreen",
    "csdesk.screens.contacts:ContactsScreen",
    "csdesk.screens.knowledge:KnowledgeScreen",
    "csdesk.screens.quality:QualityScreen",
    "csdesk.screens.evaluation:EvaluationScreen",
    "csdesk.screens.memo:MemoBookScreen",
)
KEYS_PER_SCREEN = 140


def _screen(path: str):
    from csdesk.screens.registry import Target

    return Target(path)()


def test_random_keys_on_every_screen_never_end_the_desk(desk, make_squad, make_staff, actor_of, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # exports the keys ask for are written where the desk runs
    squad = make_squad("莲花")
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="欧阳娜娜"))
    agent = actor_of(make_staff(squad=squad, employee_number="1113", real_name="赵磊"))
    for n in range(3):
        ticket = take_in(
            desk, agent, Channel.PHONE, Category.COMPLAINT, "钱女士", "13800001111", f"退款未到 {n}", "body"
        )
    escalate(desk, agent, ticket.id, "customer wants the leader", "13800001111")
    take_in(desk, agent, Channel.EMAIL, Category.INQUIRY, "Ann", "ann@example.com", "Where is my parcel", "")
    app = app_on(desk)
    draw = random.Random(16)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            app.signed_in(leader)
            await settle(app)
            await pilot.pause()
            pressed = 0
            for path in AREAS:
                app.push_screen(_screen(path))
                await settle(app)
                for _ in range(KEYS_PER_SCREEN):
                    await pilot.press(draw.choice(KEYS))
                    pressed += 1
                await settle(app)
                assert app.is_running, f"the desk ended after {pressed} keys on {path}"
                # Whatever the keys opened, the walk goes on from home.
                back_home(app)
                while not isinstance(app.screen, HomeScreen) and len(app.screen_stack) > 2:
                    app.pop_screen()
                await settle(app)
            assert pressed == len(AREAS) * KEYS_PER_SCREEN

    run(scenario())


def test_the_interns_screen_answers_its_keys_while_it_is_taken_down(desk, make_staff, actor_of):
    director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002"))
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)):
            app.signed_in(director)
            await settle(app)
            screen = _screen("csdesk.screens.interns:InternsScreen")
            app.push_screen(screen)
            await settle(app)
            screen.views = [object()]  # as if a refresh had just listed one
            await screen.query_one("#interns-table").remove()
            # The footer asks which keys apply; without the table none of the intern's do.
            assert screen.check_action("approve_summary", ()) is False

    run(scenario())
