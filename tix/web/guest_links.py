"""A guest's way back to their order: the signed link of tix/order_links.py, made and
read with this runtime's TIX_SECRET_KEY."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tix import order_links
from tix.core.errors import NotFound
from tix.core.principal import Principal, Role

if TYPE_CHECKING:
    from tix.bootstrap import Runtime


def order_key(runtime: Runtime, order_id: str, user_id: str) -> str:
    return order_links.order_key(runtime.secret_key(), order_id, user_id)


def order_path(runtime: Runtime, order_id: str, user_id: str) -> str:
    return order_links.order_path(runtime.secret_key(), order_id, user_id)


def buyer_of(runtime: Runtime, order_id: str, key: str) -> Principal:
    """The buyer the key was made for, as the order's reader; a wrong key: not found (an
    order nobody may see does not exist for them)."""
    user_id = order_links.buyer_id(runtime.secret_key(), order_id, key)
    if user_id is None:
        raise NotFound("order", order_id)
    return Principal(user_id=user_id, email="", name="", role=Role.CUSTOMER, session_id="")
