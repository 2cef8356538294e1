"""Money is stored as integer cents: hundredths of the policy's currency unit.

A fine of 10 (yuan) is stored as ``1000``. Integers add up exactly in SQL on
every database, which floats do not; conversion happens only at the edges.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from csdesk.i18n import _

CENTS_PER_UNIT = 100


def to_cents(amount: Decimal | int | str) -> int:
    """``"12.5"`` -> 1250. Refuses amounts finer than a cent instead of rounding them away."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(_("not an amount: {amount!r}").format(amount=amount)) from None
    if not value.is_finite():
        raise ValueError(_("not an amount: {amount!r}").format(amount=amount))
    cents = value * CENTS_PER_UNIT
    if cents != cents.to_integral_value():
        raise ValueError(_("amount has more than two decimals: {amount}").format(amount=amount))
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """1250 -> Decimal("12.50")."""
    return (Decimal(cents) / CENTS_PER_UNIT).quantize(Decimal("0.01"), ROUND_HALF_UP)


def format_cents(cents: int) -> str:
    """1250 -> "12.50", -500 -> "-5.00"."""
    return f"{from_cents(cents):.2f}"
