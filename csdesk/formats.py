"""Dates, numbers and money as the person's language writes them.

One place for every screen and export, so "2026年11月25日 周三" and
"Wed 25 Nov 2026" are decided here and nowhere else. Times of day are
``HH:MM`` in both languages. Amounts are stored in cents and shown in the
centre's currency (``[centre] currency`` in the policy).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from csdesk.i18n import is_chinese

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# How each language names a currency after an amount; others show the ISO code.
_CURRENCY_ZH = {"CNY": "元", "RMB": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元"}


def weekday(day: date) -> str:
    """``Wed`` / ``周三``."""
    return (_WEEKDAYS_ZH if is_chinese() else _WEEKDAYS_EN)[day.weekday()]


def day_month(day: date) -> str:
    """``25 Nov`` / ``11月25日`` (``09 Mar`` / ``3月9日``)."""
    if is_chinese():
        return f"{day.month}月{day.day}日"
    return f"{day.day:02d} {_MONTHS_EN[day.month - 1]}"


def short_date(day: date) -> str:
    """``Wed 25 Nov`` / ``11月25日 周三``: a day of the current weeks."""
    if is_chinese():
        return f"{day_month(day)} {weekday(day)}"
    return f"{weekday(day)} {day_month(day)}"


def full_date(day: date) -> str:
    """``Wed 25 Nov 2026`` / ``2026年11月25日 周三``."""
    if is_chinese():
        return f"{day.year}年{day_month(day)} {weekday(day)}"
    return f"{short_date(day)} {day.year}"


def month_year(day: date) -> str:
    """``March 2026`` / ``2026年3月``: the calendar month ``day`` falls in."""
    if is_chinese():
        return f"{day.year}年{day.month}月"
    return f"{day:%B %Y}"


def weekday_and_day(day: date) -> str:
    """``Wed 25 Nov`` / ``11月25日 周三``: a day of a week's list, written as every other day is."""
    return short_date(day)


def day_column(day: date) -> str:
    """A week grid's column heading: ``M09`` / ``一09`` (the weekday's letter, the day)."""
    return f"{weekday(day)[-1 if is_chinese() else 0]}{day.day:02d}"


def clock(moment: datetime) -> str:
    """``17:30`` in both languages."""
    return f"{moment:%H:%M}"


def day_and_time(moment: datetime) -> str:
    """``25 Nov 17:30`` / ``11月25日 17:30``: the one way a list writes a moment (12 / 14 columns)."""
    return f"{day_month(moment.date())} {clock(moment)}"


def day_and_clock(moment: datetime) -> str:
    """``Wed 25 Nov 17:30`` / ``11月25日 周三 17:30``."""
    return f"{short_date(moment.date())} {clock(moment)}"


def recent(moment: datetime) -> str:
    """A time of the past days: ``02 Mar 18:00`` / ``3月2日 18:00``, as every list writes a moment."""
    return day_and_time(moment)


def number(value: int | float | Decimal, decimals: int = 0) -> str:
    """Grouped by thousands in both languages: ``12,345`` / ``1,234.50``."""
    return f"{value:,.{decimals}f}"


def money(cents: int, *, signed: bool = False) -> str:
    """Cents as currency units with thousands separators: 123450 -> ``1,234.50``."""
    text = f"{Decimal(cents).scaleb(-2):,.2f}"
    return f"+{text}" if signed and cents > 0 else text


def currency_name(code: str) -> str:
    """``CNY`` in English, ``元`` in Chinese."""
    if is_chinese():
        return _CURRENCY_ZH.get(code.upper(), code)
    return code


def priced(cents: int, code: str, *, signed: bool = False) -> str:
    """``1,234.50 CNY`` / ``1,234.50 元``."""
    return f"{money(cents, signed=signed)} {currency_name(code)}"
