"""The centre's policy file: every number the rules use, validated once at start-up.

`load_policy()` reads `data/policy.toml` (or the file named by `--policy` or the
`CSDESK_POLICY` variable) into a `Policy`. Any problem with the file becomes a
single `PolicyError` line naming the key, so a leader editing the file sees what
to fix instead of a traceback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import date, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from csdesk.errors import ExplainedError
from csdesk.i18n import N_, _, ngettext
from csdesk.rules.vocab import Grade, Role, ShiftKind
from csdesk.settings import POLICY_ENV, shipped_policy_text

# The variable naming the policy file, read here and when the desk's language is chosen.
ENV_VAR = POLICY_ENV

PositiveInt = Annotated[int, Field(gt=0)]
Minutes = Annotated[int, Field(ge=0)]
Money = Annotated[int, Field(gt=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]


class PolicyError(ExplainedError):
    """A policy file that can't be used; str() is one line meant for the user."""


class _Section(BaseModel):
    # Frozen so one loaded policy can be shared everywhere; extra="forbid" so a
    # misspelt key is an error rather than a silently ignored setting.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Centre(_Section):
    timezone: str = "Asia/Shanghai"
    currency: str = Field(default="CNY", min_length=1)
    # TK-12, TK-15: the country a phone number written without "+" belongs to (ISO 3166 code).
    phone_region: str = "CN"

    @field_validator("phone_region")
    @classmethod
    def _country_code(cls, value: str) -> str:
        if len(value) != 2 or not value.isascii() or not value.isupper():
            raise ValueError(_("must be a two-letter country code like CN"))
        return value

    # The desk's language when neither --lang nor $CSDESK_LANG names one (e.g. "zh_CN");
    # unset: the system locale's.
    language: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(_("is not a known time zone")) from None
        return value


class ShiftDef(_Section):
    """SC-1. An end at or before the start means the shift ends the next day."""

    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def length(self) -> timedelta:
        minutes = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        if self.crosses_midnight:
            minutes += 24 * 60
        return timedelta(minutes=minutes)


class Shifts(_Section):
    day: ShiftDef = ShiftDef(start=time(8, 30), end=time(17, 30))
    night: ShiftDef = ShiftDef(start=time(17, 30), end=time(1, 0))

    def of(self, kind: ShiftKind) -> ShiftDef:
        return getattr(self, ShiftKind(kind).value)


class Roster(_Section):
    max_consecutive_days: PositiveInt = 6
    roll_call_lead_minutes: Minutes = 10
    roll_call_opens_before_minutes: Minutes = 60
    # ST-4: interns are planned for at most this many hours a week (Monday to Sunday).
    intern_max_hours_per_week: Annotated[float, Field(gt=0, le=168)] = 45


class Attendance(_Section):
    absenteeism_after_minutes_late: Minutes = 20
    away_limit_minutes: Minutes = 20
    weekly_min_hours: Annotated[float, Field(ge=0, le=168)] = 30
    duty_leader_warnings: Annotated[int, Field(ge=0)] = 1
    handover_before_clock_out: tuple[Role, ...] = (Role.SQUAD_LEADER, Role.DEPUTY_LEADER)


class Leave(_Section):
    ordinary_notice_hours: Minutes = 24
    special_notice_minutes: Minutes = 60
    department_director_final_max_days: PositiveInt = 1
    night_shift_deadline: time = time(12, 0)
    public_holiday_notice_days: Minutes = 2
    management_role: Role = Role.DEPARTMENT_DIRECTOR


class Swaps(_Section):
    max_per_month: Annotated[int, Field(ge=0)] = 2
    min_rest_minutes: Minutes = 60


class Tickets(_Section):
    phone_pickup_rings: PositiveInt = 3
    forum_answer_minutes: PositiveInt = 10
    complaint_dispatch_minutes: PositiveInt = 60
    back_office_hours: PositiveInt = 24
    return_visit_hours: PositiveInt = 72
    return_visit_max_attempts: Annotated[int, Field(ge=3, le=5)] = 3
    chat_greeting_seconds: PositiveInt = 30
    due_soon_fraction: Fraction = 0.2


class EscalatingFine(_Section):
    """FN-1, FN-3: the n-th offence in a month costs amount * multiplier**(n-1)."""

    amount: Money
    multiplier: Annotated[int, Field(ge=1)] = 2
    dismissal_review_at: Annotated[int, Field(ge=2)] = 3


class FlatFine(_Section):
    amount: Money


class GreetingFine(_Section):
    """FN-2 / TK-13."""

    grace_seconds: Minutes = 30
    per_seconds: PositiveInt = 30
    amount: Money = 5


class Fines(_Section):
    handover: EscalatingFine = EscalatingFine(amount=10)
    complaint: EscalatingFine = EscalatingFine(amount=50)
    non_work: FlatFine = FlatFine(amount=10)
    desk_not_clean: FlatFine = FlatFine(amount=10)
    contact_disclosure: FlatFine = FlatFine(amount=10)
    greeting_delay: GreetingFine = GreetingFine()


class Rewards(_Section):
    min_amount: Money = 10
    max_amount: Money = 100

    @model_validator(mode="after")
    def _ordered(self) -> Rewards:
        if self.max_amount < self.min_amount:
            raise ValueError(
                _("max_amount ({max}) is below min_amount ({min})").format(max=self.max_amount, min=self.min_amount)
            )
        return self


class Criterion(_Section):
    """QA-1: one line of the inspection rubric, scored from 0 to ``max`` points."""

    # Stored in each inspection's scores, so it stays fixed once used.
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    label: str = Field(min_length=1, max_length=60)
    max: PositiveInt


class Quality(_Section):
    # QA-1: 1-5 samples per agent per month.
    min_samples_per_month: Annotated[int, Field(ge=0)] = 1
    max_samples_per_month: PositiveInt = 5
    # QA-1, QA-2: the rubric; a sample's total is out of the maxima added up.
    rubric: Annotated[list[Criterion], Field(min_length=1)] = [
        Criterion(key="service_language", label="Service language", max=20),
        Criterion(key="attitude", label="Attitude", max=25),
        Criterion(key="tone", label="Tone", max=15),
        Criterion(key="eliciting_needs", label="Eliciting needs", max=20),
        Criterion(key="responsiveness", label="Responsiveness", max=20),
    ]
    # QA-3: percentage of a criterion's max below which training is suggested.
    training_below: Annotated[float, Field(ge=0, le=100)] = 70
    # QA-3: at most this many weakest criteria are named per agent.
    weakest_criteria: PositiveInt = 2

    @model_validator(mode="after")
    def _ordered(self) -> Quality:
        if self.max_samples_per_month < self.min_samples_per_month:
            raise ValueError(_("max_samples_per_month is below min_samples_per_month"))
        keys = [c.key for c in self.rubric]
        if len(set(keys)) != len(keys):
            raise ValueError(_("a rubric key appears twice"))
        return self

    @property
    def criteria(self) -> list[str]:
        """The rubric's keys, in the order the sheet shows them."""
        return [c.key for c in self.rubric]

    @property
    def total_max(self) -> int:
        return sum(c.max for c in self.rubric)

    def scale(self, key: str) -> int:
        """The max points of criterion ``key``."""
        return next(c.max for c in self.rubric if c.key == key)


class TypingBars(_Section):
    junior: PositiveInt = 30
    intermediate: PositiveInt = 50
    senior: PositiveInt = 50

    def bar(self, grade: Grade) -> int:
        return getattr(self, Grade(grade).value)


class Interns(_Section):
    training_hours: Annotated[float, Field(ge=0)] = 40
    check_ins: Annotated[int, Field(ge=0)] = 2


class SignIn(_Section):
    # ST-2: wrong PINs in a row (at sign-in or when changing your own) before a lockout.
    wrong_pins_before_lockout: PositiveInt = 3
    # ST-2: the first lockout; each further one lasts `lockout_growth` times the one before.
    first_lockout_seconds: PositiveInt = 60
    lockout_growth: Annotated[float, Field(ge=1)] = 2
    # ST-2: after this many lockouts in a row only a leader's PIN reset opens the account.
    lockouts_before_reset: PositiveInt = 5


class Evaluation(_Section):
    attendance_weight: Fraction = 0.4
    quality_weight: Fraction = 0.4
    fines_weight: Fraction = 0.2
    name_best_and_worst: PositiveInt = 1
    # AT-6, AT-2: a late arrival costs this share of a missed shift; absenteeism a whole one.
    late_weight: Fraction = 0.5
    # AT-6, AT-4: the share of the attendance part given by hours worked against those rostered.
    hours_share: Fraction = 0.25

    @model_validator(mode="after")
    def _weights_add_up(self) -> Evaluation:
        total = self.attendance_weight + self.quality_weight + self.fines_weight
        if abs(total - 1) > 1e-9:
            raise ValueError(_("weights must add up to 1, got {total:g}").format(total=total))
        return self


def _month_day(value: str) -> str:
    try:
        date.fromisoformat(f"2000-{value}")  # a leap year, so 02-29 is a day
    except ValueError:
        raise ValueError(_("must be a month and day like 10-01")) from None
    if len(value) != 5:
        raise ValueError(_("must be a month and day like 10-01"))
    return value


MonthDay = Annotated[str, AfterValidator(_month_day)]


class Holidays(_Section):
    country: str = ""
    dates: list[date] = []
    # Holidays on the same day every year ("10-01"), so they never run out.
    annual: list[MonthDay] = []
    # Weekend days worked in lieu of a holiday: working days for the working calendar.
    working_dates: list[date] = []

    def is_holiday(self, day: date) -> bool:
        return (
            day in self.dates
            or day.strftime("%m-%d") in self.annual
            or (bool(self.country) and day in _country_holidays(self.country, day.year))
        )


@cache
def _country_holidays(country: str, year: int) -> frozenset[date]:
    # Optional: the `holidays` package is not a dependency, the listed dates always apply.
    try:
        import holidays as holidays_pkg
    except ImportError:
        return frozenset()
    try:
        return frozenset(holidays_pkg.country_holidays(country, years=year))
    except NotImplementedError:
        return frozenset()


Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS: tuple[Weekday, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class WorkingHours(_Section):
    """TK-5, TK-8: the working calendar of the timers that run only in working time."""

    # The rules whose timers count working time only; the others run round the clock.
    rules: list[Literal["TK-5", "TK-8"]] = ["TK-5", "TK-8"]
    weekdays: Annotated[list[Weekday], Field(min_length=1)] = ["MO", "TU", "WE", "TH", "FR"]
    start: time = time(9, 0)
    end: time = time(18, 0)
    # Public holidays ([holidays]) are days off for these timers.
    public_holidays_off: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> WorkingHours:
        if self.end <= self.start:
            raise ValueError(_("end must be later than start"))
        return self

    def counts(self, rule_id: str) -> bool:
        """Whether the timer of ``rule_id`` counts working time only."""
        return rule_id in self.rules


class Duty(_Section):
    """SC-5: one recurring duty; see rules.calendar for how it expands."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    rule_ids: list[str] = []
    freq: Literal["daily", "weekly", "monthly"]
    weekdays: list[Weekday] = []
    month_days: list[Annotated[int, Field(ge=1, le=31)]] = []
    times: Annotated[list[time], Field(min_length=1)]
    remind_minutes: Minutes = 60
    # SC-5, TK-17: the roles that hold the duty and mark it done; others are refused.
    # Empty: any leader or inspector.
    responsible: list[Role] = []
    # A squad's own duty (each squad marks its own) rather than one for the whole centre.
    per_squad: bool = False


class Relay(_Section):
    """The SMTP relay replies leave through. No host: the centre sends no mail."""

    host: str = ""
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    starttls: bool = True
    user: str = ""
    # The relay password is never written here nor given on a command line: it is read
    # from this file (first line), else from this environment variable.
    password_file: Path | None = None
    password_env: str = "CSDESK_SMTP_PASSWORD"
    # A private CA's certificate for STARTTLS; unset, the system's trusted ones.
    ca_file: Path | None = None
    timeout_seconds: PositiveInt = 30


class Mail(_Section):
    """Mail in (``csdesk mailgate``) and out (``csdesk mail send``), TK-7 and TK-14."""

    # The address customers write to and replies come from; unset, replies stay on the desk.
    from_address: str = ""
    from_name: str = ""
    # Larger messages are refused back to the sender.
    max_message_bytes: PositiveInt = 10 * 1024 * 1024
    # An attachment up to this size is kept; a larger one is recorded by name and size only.
    max_attachment_bytes: Annotated[int, Field(ge=0)] = 5 * 1024 * 1024
    # Sending: tries before a reply is marked failed, and the waits between them, doubling.
    max_attempts: PositiveInt = 10
    retry_first_seconds: PositiveInt = 60
    retry_max_seconds: PositiveInt = 3600
    # A send taking longer than this is taken to have died with its sender; another may retry it.
    sending_lease_minutes: PositiveInt = 15
    # `csdesk check` reports an outbox whose oldest waiting reply is older than this.
    outbox_alarm_minutes: PositiveInt = 30
    relay: Relay = Relay()

    @field_validator("from_address")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip()
        if value and (value.count("@") != 1 or value.startswith("@") or value.endswith("@") or " " in value):
            raise ValueError(_("is not an email address"))
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Mail:
        if self.retry_max_seconds < self.retry_first_seconds:
            raise ValueError(_("retry_max_seconds is below retry_first_seconds"))
        if self.relay.host and not self.from_address:
            raise ValueError(_("a relay host needs a from_address to send from"))
        return self

    @property
    def sends(self) -> bool:
        """Whether replies to email tickets go out by mail."""
        return bool(self.from_address and self.relay.host)


class ChannelDemand(_Section):
    """How one channel's load turns into agents (TK-3, TK-5..TK-7, TK-13).

    ``erlang_c``: a live queue; ``service_level`` of contacts are answered within
    ``answer_seconds``. ``workload``: deferred work answered within
    ``answer_seconds`` (its SLA window). Left out, the answer time is the
    channel's own SLA from [tickets] (see csdesk.rules.demand.answer_seconds).
    """

    method: Literal["erlang_c", "workload"]
    handle_seconds: PositiveInt
    answer_seconds: PositiveInt | None = None
    service_level: Annotated[float, Field(gt=0, lt=1)] = 0.8


def _default_channels() -> dict[str, ChannelDemand]:
    return {
        "phone": ChannelDemand(method="erlang_c", handle_seconds=240),
        "chat": ChannelDemand(method="erlang_c", handle_seconds=300),
        "forum": ChannelDemand(method="workload", handle_seconds=360),
        "email": ChannelDemand(method="workload", handle_seconds=420),
        "back_office": ChannelDemand(method="workload", handle_seconds=1200),
    }


DEMAND_CHANNELS = ("phone", "chat", "forum", "email", "back_office")


class Demand(_Section):
    """Staff needed per shift from the centre's own ticket history (SC-1, SC-2)."""

    # The history the load is averaged over, ending the day before "now".
    history_weeks: PositiveInt = 8
    interval_minutes: Literal[15, 30, 60] = 30
    # Share of rostered time not spent on contacts (breaks, meetings, training).
    shrinkage: Annotated[float, Field(ge=0, lt=1)] = 0.3
    # Agents are never planned busier than this on average.
    max_occupancy: Annotated[float, Field(gt=0, le=1)] = 0.85
    # TK-3: a phone is answered within [tickets] phone_pickup_rings rings of this length.
    ring_seconds: PositiveInt = 5
    channels: dict[str, ChannelDemand] = Field(default_factory=_default_channels)

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: dict[str, ChannelDemand]) -> dict[str, ChannelDemand]:
        unknown = sorted(set(value) - set(DEMAND_CHANNELS))
        if unknown:
            raise ValueError(
                _("{names} is not a channel; channels are {known}").format(
                    names=", ".join(unknown), known=", ".join(DEMAND_CHANNELS)
                )
            )
        return value


class Policy(_Section):
    centre: Centre = Centre()
    shifts: Shifts = Shifts()
    roster: Roster = Roster()
    attendance: Attendance = Attendance()
    leave: Leave = Leave()
    swaps: Swaps = Swaps()
    tickets: Tickets = Tickets()
    fines: Fines = Fines()
    rewards: Rewards = Rewards()
    qa: Quality = Quality()
    typing_bars: TypingBars = TypingBars()
    interns: Interns = Interns()
    sign_in: SignIn = SignIn()
    evaluation: Evaluation = Evaluation()
    holidays: Holidays = Holidays()
    working_hours: WorkingHours = WorkingHours()
    demand: Demand = Demand()
    duties: list[Duty] = []
    mail: Mail = Mail()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.centre.timezone)

    @model_validator(mode="after")
    def _unique_duties(self) -> Policy:
        seen: set[str] = set()
        for duty in self.duties:
            if duty.id in seen:
                raise ValueError(_("duty id {id!r} appears twice").format(id=duty.id))
            seen.add(duty.id)
        return self


# --- loading ---------------------------------------------------------------

# Translated where a message is put together, so a later change of language applies.
_PHRASES = {
    "greater_than": N_("must be > {gt}"),
    "greater_than_equal": N_("must be >= {ge}"),
    "less_than": N_("must be < {lt}"),
    "less_than_equal": N_("must be <= {le}"),
    "extra_forbidden": N_("is not a known setting"),
    "missing": N_("is required"),
    "too_short": N_("must have at least {min_length} item(s)"),
    "string_too_short": N_("must not be empty"),
    "time_parsing": N_("must be a time like 08:30"),
    "time_type": N_("must be a time like 08:30"),
    "date_parsing": N_("must be a date like 2026-10-01"),
    "date_from_datetime_parsing": N_("must be a date like 2026-10-01"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
    "model_type": N_("must be a table"),
    "model_attributes_type": N_("must be a table"),
    "literal_error": N_("must be one of {expected}"),
    "bool_type": N_("must be true or false"),
}


def _describe(error: Mapping[str, Any]) -> str:
    where = ""
    for part in error["loc"]:
        where += f"[{part}]" if isinstance(part, int) else f".{part}" if where else str(part)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _PHRASES:
        if "expected" in ctx:  # "'daily', 'weekly' or 'monthly'"
            # Translators: the word between the last two choices a setting may take.
            ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", _(" or "))}
        problem = _(_PHRASES[kind]).format(**ctx)
    elif kind == "value_error":
        problem = str(ctx.get("error", error["msg"]))
    else:
        problem = error["msg"][:1].lower() + error["msg"][1:]
    given = error.get("input")
    show_input = kind not in {"missing", "extra_forbidden"} and not isinstance(given, dict | list)
    if where and show_input:
        return _("{key} {problem}, got {given!r}").format(key=where, problem=problem, given=given)
    if where:
        return _("{key} {problem}").format(key=where, problem=problem)
    if show_input:
        return _("{problem}, got {given!r}").format(problem=problem, given=given)
    return problem


def _format_validation(name: str, exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    problem = _describe(errors[0])
    more = len(errors) - 1
    if more:
        return ngettext(
            "{name}: {problem} (and {n} more problem)", "{name}: {problem} (and {n} more problems)", more
        ).format(name=name, problem=problem, n=more)
    return _("{name}: {problem}").format(name=name, problem=problem)


def parse_policy(text: str, name: str = "policy.toml") -> Policy:
    """Parse policy TOML text; `name` is how the file is called in error messages."""
    return _parsed(text, name)


# A command line reads the policy up to three times (language, settings, the command),
# and the mail system starts one per message: the same text is parsed once. A policy is
# frozen, so one object may serve every caller; a broken file is never cached.
@lru_cache(maxsize=8)
def _parsed(text: str, name: str) -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(_("{name}: not valid TOML: {error}").format(name=name, error=exc)) from None
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        raise PolicyError(_format_validation(name, exc)) from None


def load_policy(path: str | Path | None = None) -> Policy:
    """Load the policy from `path`, else $CSDESK_POLICY, else the shipped file."""
    if path is None and os.environ.get(ENV_VAR):
        path = os.environ[ENV_VAR]
    if path is None:
        return parse_policy(shipped_policy_text(), "policy.toml")
    target = Path(path)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(_("{path}: policy file not found").format(path=target)) from None
    except OSError as exc:
        raise PolicyError(
            _("{path}: cannot read policy file: {reason}").format(path=target, reason=exc.strerror)
        ) from None
    except UnicodeDecodeError:
        raise PolicyError(_("{path}: policy file is not UTF-8 text").format(path=target)) from None
    return parse_policy(text, target.name)


@cache
def default_policy() -> Policy:
    """The policy in effect when nothing else is given, loaded once per process."""
    return load_policy()
