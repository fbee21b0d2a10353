"""A guest's way back to their order: /orders/<id>?key=… carries the buyer's account id and
an HMAC of the order id and that account with TIX_SECRET_KEY. Holding the link is holding
the order's page, as holding the mail is (a guest has no password)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING

from tix.core.errors import NotFound
from tix.core.principal import Principal, Role

if TYPE_CHECKING:
    from tix.bootstrap import Runtime


def _mac(runtime: Runtime, order_id: str, user_id: str) -> str:
    secret = runtime.secret_key().encode()
    digest = hmac.new(secret, f"tix-order-link\x1f{order_id}\x1f{user_id}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def order_key(runtime: Runtime, order_id: str, user_id: str) -> str:
    return f"{user_id}.{_mac(runtime, order_id, user_id)}"


def order_path(runtime: Runtime, order_id: str, user_id: str) -> str:
    return f"/orders/{order_id}?key={order_key(runtime, order_id, user_id)}"


def buyer_of(runtime: Runtime, order_id: str, key: str) -> Principal:
    """The buyer the key was made for, as the order's reader; a wrong key: not found (an
    order nobody may see does not exist for them)."""
    user_id, _, mac = key.strip().partition(".")
    if not user_id or not hmac.compare_digest(mac, _mac(runtime, order_id, user_id)):
        raise NotFound("order", order_id)
    return Principal(user_id=user_id, email="", name="", role=Role.CUSTOMER, session_id="")
