"""/api/users/{id}: GDPR export and erasure, of one's own account ("me" or one's id) or,
for an admin, of anyone's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from tix.core.principal import Principal, Role
from tix.web.api.common import ok
from tix.web.sessions import clear_session_cookie, require_principal, runtime_of

router = APIRouter(prefix="/users", tags=["users"])


def _whose(principal: Principal, user_id: str) -> str:
    if user_id in ("me", principal.user_id):
        return principal.user_id
    principal.require(Role.ADMIN)  # 403: another person's data is an admin's to handle
    return user_id


@router.get("/{user_id}/export")
def export(request: Request, user_id: str) -> JSONResponse:
    """Everything tix holds about the account (`tix account export`)."""
    principal = require_principal(request)
    whose = _whose(principal, user_id)
    data = runtime_of(request).privacy.export(whose, by=principal)
    return ok(data, headers={"Content-Disposition": 'attachment; filename="tix-export.json"'})


@router.delete("/{user_id}")
def erase(request: Request, user_id: str) -> JSONResponse:
    """Anonymise the account for good (orders are kept without the name)."""
    principal = require_principal(request)
    whose = _whose(principal, user_id)
    runtime_of(request).privacy.erase(whose, by=principal)
    if whose == principal.user_id:
        clear_session_cookie(request)
    return ok({"id": whose, "erased": True})
