"""The ASGI application of `tix serve`: create_app(runtime) for tests and one process,
`from_environment` for uvicorn's workers (each bootstraps its own Runtime from Settings).

Mounted: the REST API (/api/..., tix.web.api), the storefront's pages when they exist
(tix.web.store.routes:router), /healthz, /readyz, /metrics, /t/<ticket id> and the
account links (tix.web.ops), static files at /static. Every route runs the CSRF check
(tix.web.csrf); every response gets the security headers (tix.web.security); public
catalog reads are kept for a second (tix.web.microcache).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from tix.heap import settle
from tix.web import api, ops
from tix.web.csrf import check_csrf, csrf_key
from tix.web.errors import install_error_handlers
from tix.web.microcache import Kept, MicroCache
from tix.web.security import SecurityMiddleware

if TYPE_CHECKING:
    from tix.bootstrap import Runtime

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
STOREFRONT = "tix.web.store.routes"


def create_app(runtime: Runtime, *, owns_runtime: bool = False,
               long_running: bool = False) -> FastAPI:
    """The application on `runtime`; `owns_runtime`: close it when the server stops;
    `long_running`: a server's process (not a test's), its start-up frozen (tix.heap)."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # built before the first requests, not by several threads at once on their arrival
        for service in ("engine", "accounts", "catalog", "inventory", "orders", "tickets",
                        "privacy"):
            getattr(runtime, service)
        _one_thread_per_connection(runtime)
        if long_running:
            # start-up done: full collections skip what lives as long as the worker (each
            # scanned it all, every request waiting: p99 of orders 170-190 -> 103-112 ms)
            settle()
        yield
        if owns_runtime:
            runtime.close()

    app = FastAPI(title="tix", version=_version(), lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  dependencies=[Depends(check_csrf)])
    app.state.runtime = runtime
    app.state.csrf_key = csrf_key(runtime.secret_key())
    app.state.error_page = None
    install_error_handlers(app)
    app.include_router(api.router)
    store = storefront()
    if store is not None:
        app.include_router(store.router)
        app.state.error_page = getattr(store, "error_page", None)
    app.include_router(ops.router)  # after the storefront: its /verify and /reset win
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    app.state.kept = Kept(runtime.settings.web_cache_seconds)
    app.add_middleware(MicroCache, kept=app.state.kept)
    app.add_middleware(SecurityMiddleware, settings=runtime.settings)  # the outermost
    return app


def storefront() -> ModuleType | None:
    """The storefront's routes, or None while the package has none."""
    try:
        return importlib.import_module(STOREFRONT)
    except ModuleNotFoundError as error:
        if error.name in ("tix.web.store", STOREFRONT):
            return None
        raise


def _one_thread_per_connection(runtime: Runtime) -> None:
    """As many request threads as the pool keeps connections. With more (anyio's 40), a
    thread beyond the pool opens an overflow connection for its request and closes it
    after: a new PostgreSQL backend per request, PostgreSQL's CPU spent starting them."""
    from anyio.to_thread import current_default_thread_limiter
    from sqlalchemy.pool import QueuePool

    pool = runtime.engine.pool
    if isinstance(pool, QueuePool):
        current_default_thread_limiter().total_tokens = pool.size()


def from_environment() -> FastAPI:
    """uvicorn's factory (`tix serve --workers N`): a Runtime from TIX_* and config.toml."""
    from tix.bootstrap import bootstrap

    return create_app(bootstrap(), owns_runtime=True, long_running=True)


def _version() -> str:
    from tix import __version__

    return __version__
