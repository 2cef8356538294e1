"""Every public rule function, fed plausible inputs, answers or refuses plainly.

Inputs are built from each function's type hints, with plausible values for
the basic types (aware times in this century, shift windows from the
policy, counts in the thousands, text of any script). Nothing may escape but
the validation errors the rules document: ``ValueError`` (pydantic's
``ValidationError`` is one), ``PolicyError`` and the catalogue's
``UnknownRule``.
"""

from __future__ import annotations

import collections.abc
import contextlib
import importlib
import inspect
import pkgutil
import types
import typing
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csdesk.rules
from csdesk.policy import Policy, PolicyError, default_policy
from csdesk.rules.catalog import UnknownRule
from csdesk.rules.shifts import ShiftWindow, shift_window
from csdesk.rules.vocab import ShiftKind

POLICY = default_policy()
ZONES = [UTC, POLICY.zone, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe")]
DOCUMENTED = (ValueError, PolicyError, UnknownRule)

days = st.dates(date(2000, 1, 1), date(2099, 12, 31))
moments = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone).astimezone(UTC),
    st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)),
    st.sampled_from(ZONES),
)

st.register_type_strategy(Policy, st.just(POLICY))
st.register_type_strategy(ZoneInfo, st.sampled_from(ZONES[1:]))
st.register_type_strategy(datetime, moments)
st.register_type_strategy(date, days)
st.register_type_strategy(timedelta, st.timedeltas(timedelta(days=-30), timedelta(days=30)))
st.register_type_strategy(int, st.integers(-5000, 5000))
st.register_type_strategy(float, st.floats(-1e6, 1e6, allow_nan=False))
st.register_type_strategy(Fraction, st.fractions(0, 1))
st.register_type_strategy(ShiftWindow, st.builds(shift_window, days, st.sampled_from(ShiftKind), st.just(POLICY)))


# A month's search by the roster solver takes seconds: twenty-five random months of it
# would be most of the suite. Its own tests plan months with the edges that matter
# (leave, fixed days, rest, too few people); the greedy plan it falls back on is fuzzed here.
SEARCHES = {"roster_solver.solve", "roster_solver.plan_month"}


def _public_functions():
    for info in pkgutil.iter_modules(csdesk.rules.__path__):
        module = importlib.import_module(f"csdesk.rules.{info.name}")
        for name, fn in sorted(vars(module).items()):
            public = not name.startswith("_") and inspect.isfunction(fn) and fn.__module__ == module.__name__
            if public and f"{info.name}.{name}" not in SEARCHES:
                yield pytest.param(fn, id=f"{info.name}.{name}")


FUNCTIONS = list(_public_functions())


def test_every_rules_module_is_fuzzed():
    assert len(FUNCTIONS) > 90  # the inventory itself is not empty or half-found


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_rule_answers_or_refuses_with_a_documented_error(fn):
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(
        arguments=st.fixed_dictionaries(
            {name: NAMED[name] if name in NAMED else _plausible(hint) for name, hint in _hints(fn).items()}
        )
    )
    def run(arguments):
        with contextlib.suppress(DOCUMENTED):
            fn(**_within_two_months(arguments))

    run()


# A calendar asked about decades does decades of work: plausible is weeks.
NAMED = {
    "look_back_days": st.integers(-1, 62),
    # Duties come from the policy file, already validated by its loader.
    "duties": st.one_of(st.none(), st.lists(st.sampled_from(POLICY.duties), max_size=3)),
    "duty": st.sampled_from(POLICY.duties),
}


def _within_two_months(arguments):
    start, end = arguments.get("start"), arguments.get("end")
    if isinstance(start, date) and isinstance(end, date) and abs((end - start).days) > 62:
        arguments["end"] = start + timedelta(days=(end - start).days % 63)
    return arguments


def _hints(fn):
    hints = typing.get_type_hints(fn)
    hints.pop("return", None)
    return hints


_LISTS = {collections.abc.Iterable, collections.abc.Collection, collections.abc.Sequence, list, tuple, set, frozenset}


def _plausible(hint):
    """Like ``st.from_type``, but "some iterable" means a short list, never a str or a model."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([_plausible(a) for a in args])
    if origin is tuple and args and args[-1] is not Ellipsis:
        return st.tuples(*(_plausible(a) for a in args))  # fixed length: one value per position
    if origin in _LISTS:
        item = _plausible(args[0]) if args else st.integers(0, 100)
        many = st.lists(item, max_size=8)
        return many.map(tuple) if origin is tuple else many
    if origin in (collections.abc.Mapping, dict):
        return st.dictionaries(_plausible(args[0]), _plausible(args[1]), max_size=6)
    return st.from_type(hint)
