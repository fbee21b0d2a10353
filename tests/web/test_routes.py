"""How the routes are declared: no route pays a second thread hop for its caller."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.routing import iter_route_contexts

from tix.bootstrap import Runtime
from tix.web.app import create_app


def dependencies(dependant: Any) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from dependencies(dependency)


def test_no_route_has_a_dependency_that_fastapi_would_run_in_a_thread_of_its_own(
        sqlite_runtime: Runtime):
    # FastAPI runs a plain-function dependency in a worker thread before the route's own
    # thread: a route reads its caller in its body instead (tix.web.api.common).
    routes = [r for r in iter_route_contexts(create_app(sqlite_runtime).routes)
              if getattr(r, "dependant", None) is not None]
    assert {"/api/orders", "/api/events/{event}"} <= {r.path for r in routes}
    checked = [(route.path, dependency.call) for route in routes
               for dependency in dependencies(route.dependant)]
    assert any(call.__name__ == "check_csrf" for _, call in checked)  # the app's own too
    assert [(path, call.__name__) for path, call in checked
            if not inspect.iscoroutinefunction(call)] == []
