"""Email syntax checks (no DNS: tix must work offline)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from tix.core.errors import Invalid


def normalize_email(address: str) -> str:
    try:
        result = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise Invalid(f"{address!r} is not a valid email address: {error}",
                      code="invalid_email") from None
    return result.normalized
