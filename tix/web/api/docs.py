"""GET /api/docs: the API's routes on a plain page, from the OpenAPI document (no script:
FastAPI's own docs page loads its scripts from a CDN, which the CSP forbids)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    rows = []
    for path, operations in sorted(schema.get("paths", {}).items()):
        for method, operation in operations.items():
            summary = operation.get("description") or operation.get("summary") or ""
            rows.append(f"<tr><td><code>{escape(method.upper())}</code></td>"
                        f"<td><code>{escape(path)}</code></td>"
                        f"<td>{escape(summary.splitlines()[0] if summary else '')}</td></tr>")
    return HTMLResponse(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>tix API</title>"
        "</head><body><h1>tix REST API</h1><p>The whole description: "
        "<a href='/api/openapi.json'>/api/openapi.json</a> (OpenAPI 3). Bodies are the "
        "shapes of <code>tix … --json</code>; errors are application/problem+json.</p>"
        "<table><tr><th>method</th><th>path</th><th>what</th></tr>"
        + "".join(rows) + "</table></body></html>")
