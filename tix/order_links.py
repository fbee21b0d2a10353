"""A buyer's way back to their order without a password: /orders/<id>?key=… carries the
buyer's account id and an HMAC of the order id and that account with TIX_SECRET_KEY. The
web shop opens it (tix.web.store); the receipt mail carries it. Holding the link is holding
the order's page, as holding the mail is."""

from __future__ import annotations

import base64
import hashlib
import hmac


def _mac(secret: str, order_id: str, user_id: str) -> str:
    key = hashlib.sha256(b"tix-order-link\x1f" + secret.encode()).digest()  # not the sessions'
    digest = hmac.new(key, f"{order_id}\x1f{user_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def order_key(secret: str, order_id: str, user_id: str) -> str:
    return f"{user_id}.{_mac(secret, order_id, user_id)}"


def order_path(secret: str, order_id: str, user_id: str) -> str:
    return f"/orders/{order_id}?key={order_key(secret, order_id, user_id)}"


def buyer_id(secret: str, order_id: str, key: str) -> str | None:
    """The buyer's account id the key was made for, or None for a wrong key."""
    user_id, _, mac = key.strip().partition(".")
    if not user_id or not hmac.compare_digest(mac, _mac(secret, order_id, user_id)):
        return None
    return user_id
