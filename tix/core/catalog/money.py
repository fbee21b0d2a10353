"""Money: integers in minor units with an ISO 4217 currency, never floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from tix.core.errors import Invalid

# ISO 4217 codes tix sells in, with their minor-unit exponent.
CURRENCIES: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "SEK": 2,
    "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2, "BGN": 2, "TRY": 2,
    "BRL": 2, "MXN": 2, "ARS": 2, "CLP": 0, "COP": 2, "ZAR": 2, "INR": 2, "SGD": 2,
    "HKD": 2, "CNY": 2, "TWD": 2, "THB": 2, "MYR": 2, "IDR": 2, "PHP": 2, "ILS": 2,
    "AED": 2, "SAR": 2, "JPY": 0, "KRW": 0, "ISK": 0, "KWD": 3, "BHD": 3,
}


def check_currency(code: str) -> str:
    normal = code.strip().upper()
    if normal not in CURRENCIES:
        raise Invalid(f"currency: unknown code {code!r} (ISO 4217, e.g. EUR, USD, GBP, JPY)")
    return normal


def to_minor(amount: str | int | float | Decimal, currency: str, *, field: str = "price"
             ) -> int:
    """'25.00' EUR -> 2500; refuses fractions the currency does not have."""
    exponent = CURRENCIES[check_currency(currency)]
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise Invalid(f"{field}: {amount!r} is not an amount") from None
    if not value.is_finite():
        raise Invalid(f"{field}: {amount!r} is not an amount")
    minor = value.scaleb(exponent)
    if minor != minor.to_integral_value():
        raise Invalid(f"{field}: {currency} has {exponent} decimal place(s), not {amount}")
    return int(minor)


def format_money(minor: int, currency: str) -> str:
    exponent = CURRENCIES.get(currency, 2)
    value = Decimal(minor).scaleb(-exponent)
    return f"{value:,.{exponent}f} {currency}"
