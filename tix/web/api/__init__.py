"""The REST API under /api/: a module per area, each an APIRouter. Bodies are the shapes
`--json` prints (tix.json_shapes); errors are problem+json (tix.web.errors)."""

from fastapi import APIRouter

from tix.web.api import auth

router = APIRouter(prefix="/api")
router.include_router(auth.router)
