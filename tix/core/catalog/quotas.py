"""The event file's `capacity` and `quotas`: tickets several ticket types share, checked
field by field like the rest of the file (spec.py). The inventory keeps what is left.

    capacity: 800            # the venue: every ticket type draws on it
    quotas:
      - name: Standing       # Standing and Standing + drink share 500
        quantity: 500
        ticket_types: [Standing, Standing + drink]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tix.core.errors import Invalid

MAX_QUOTAS = 20
MAX_QUOTA = 1_000_000
QUOTA_FIELDS = {"name", "quantity", "ticket_types"}


@dataclass(frozen=True)
class CheckedQuota:
    """A quota as declared: `name` None is the event's capacity (every ticket type)."""

    name: str | None
    quantity: int
    ticket_types: tuple[str, ...]  # ticket type names, as the event's types spell them


def check_quotas(capacity: Any, raw: Any, type_names: list[str]) -> tuple[CheckedQuota, ...]:
    """The capacity (first, if any) and the named quotas; each error names its field."""
    checked: list[CheckedQuota] = []
    if capacity is not None and capacity != "":
        checked.append(CheckedQuota(None, _quantity(capacity, "capacity"), tuple(type_names)))
    if raw is None:
        return tuple(checked)
    if not isinstance(raw, list):
        raise Invalid("quotas: a list of {name, quantity, ticket_types}", field="quotas")
    if len(raw) > MAX_QUOTAS:
        raise Invalid(f"quotas: at most {MAX_QUOTAS}", field="quotas")
    by_name = {name.lower(): name for name in type_names}
    for index, item in enumerate(raw):
        checked.append(_quota(item, f"quotas[{index}]", by_name))
    names = [q.name.lower() for q in checked if q.name is not None]
    if len(set(names)) != len(names):
        raise Invalid("quotas: two quotas have the same name", field="quotas")
    return tuple(checked)


def quotas_as_spec(quotas: list[tuple[str | None, int, list[str]]]) -> dict[str, Any]:
    """(name, quantity, ticket type names) as the event file writes them."""
    spec: dict[str, Any] = {}
    for name, quantity, types in quotas:
        if name is None:
            spec["capacity"] = quantity
        else:
            spec.setdefault("quotas", []).append(
                {"name": name, "quantity": quantity, "ticket_types": types})
    return spec


def _quota(raw: Any, where: str, types: dict[str, str]) -> CheckedQuota:
    if not isinstance(raw, Mapping):
        raise Invalid(f"{where}: must be a mapping with name, quantity and ticket_types",
                      field=where)
    unknown = sorted(set(raw) - QUOTA_FIELDS)
    if unknown:
        raise Invalid(f"{where}.{unknown[0]}: unknown field (known: "
                      f"{', '.join(sorted(QUOTA_FIELDS))})", field=f"{where}.{unknown[0]}")
    name = " ".join(str(raw.get("name") or "").split())
    if not name:
        raise Invalid(f"{where}.name: required (e.g. Standing)", field=f"{where}.name")
    if len(name) > 100:
        raise Invalid(f"{where}.name: longer than 100 characters", field=f"{where}.name")
    quantity = _quantity(raw.get("quantity"), f"{where}.quantity")
    members = raw.get("ticket_types")
    if not isinstance(members, list) or not members:
        raise Invalid(f"{where}.ticket_types: the names of the ticket types that share it",
                      field=f"{where}.ticket_types")
    found = []
    for member in members:
        known = types.get(" ".join(str(member).split()).lower())
        if known is None:
            raise Invalid(f"{where}.ticket_types: {member!r} is not one of the event's "
                          "ticket types", field=f"{where}.ticket_types")
        if known not in found:
            found.append(known)
    return CheckedQuota(name, quantity, tuple(found))


def _quantity(value: Any, where: str) -> int:
    if isinstance(value, bool) or value is None:
        raise Invalid(f"{where}: a whole number of tickets", field=where)
    try:
        quantity = int(str(value).strip())
    except ValueError:
        raise Invalid(f"{where}: must be a whole number, not {value!r}", field=where) from None
    if not 1 <= quantity <= MAX_QUOTA:
        raise Invalid(f"{where}: must be between 1 and {MAX_QUOTA:,}", field=where)
    return quantity
