"""Limits on how often one person may do something, with a refusal that says how long to wait."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from tix.core.errors import RuleViolation
from tix.core.ports import RateLimiter


@dataclass(frozen=True)
class Rate:
    limit: int
    window: timedelta


def enforce(limiter: RateLimiter, key: str, rate: Rate, now: datetime, what: str) -> None:
    """Count one attempt; refuse (exit 5) once the rate is used up."""
    decision = limiter.hit(key, limit=rate.limit, window=rate.window, now=now)
    if not decision.allowed:
        raise RuleViolation(f"too many {what}; try again in {_wait(decision.retry_after)}",
                            code="rate_limited", retry_after=retry_seconds(decision.retry_after))


def retry_seconds(delay: timedelta) -> int:
    """Whole seconds, at least one: what a Retry-After header says."""
    return max(1, math.ceil(delay.total_seconds()))


def _wait(delay: timedelta) -> str:
    seconds = retry_seconds(delay)
    return f"{seconds} s" if seconds < 60 else f"{math.ceil(seconds / 60)} min"
