"""Email syntax checks (no DNS: tix must work offline)."""

from __future__ import annotations

from tix.core.errors import Invalid


def normalize_email(address: str) -> str:
    from email_validator import EmailNotValidError, validate_email  # 30 ms: only when used

    try:
        result = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise Invalid(f"{address!r} is not a valid email address: {error}",
                      code="invalid_email") from None
    return result.normalized
