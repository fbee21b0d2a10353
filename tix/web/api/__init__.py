"""The REST API under /api/: a module per area, each an APIRouter. Bodies are the shapes
`--json` prints (tix.json_shapes); errors are problem+json (tix.web.errors)."""

from fastapi import APIRouter

from tix.web.api import auth, docs, events, holds, orders, tickets, users

router = APIRouter(prefix="/api")
for area in (auth, events, holds, orders, tickets, users, docs):
    router.include_router(area.router)
