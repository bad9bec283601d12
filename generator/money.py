"""Money arithmetic and display: 元 in, 万元 out, ROUND_HALF_UP per displayed cell (spec §8)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
YUAN_PER_WAN = Decimal(10000)
ZERO = Decimal(0)


def wan(yuan: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """元 → 万元 with 2 decimals, half-up: 22,050元 → 2.21 (never float's 2.2); a document
    that cuts the third decimal off instead passes `rounding=ROUND_DOWN`."""
    return (yuan / YUAN_PER_WAN).quantize(CENT, rounding=rounding)


def percent(part: Decimal, base: Decimal) -> Decimal | None:
    """part / base × 100, half-up to 2 decimals, from displayed figures; None if base is 0."""
    if not base:
        return None
    return (part / base * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def table_amount(value: Decimal) -> str:
    """A table cell in 万元: plain, 2 decimals, no separator; zero is a blank cell."""
    return "" if not value else f"{value:.2f}"


def text_amount(value: Decimal, *, zero: str = "0", thousands: bool = True) -> str:
    """An amount in running text: 2,730.51; zero as the edition prints it."""
    if not value:
        return zero
    return f"{value:,.2f}" if thousands else f"{value:.2f}"


def text_percent(value: Decimal | None, *, zero: str = "0%") -> str:
    if not value:
        return zero
    return f"{value:.2f}%"


def yuan_amount(value: Decimal) -> str:
    """元 in the performance tables: 5,040,000 and 37,668.75 (cents only when present)."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
