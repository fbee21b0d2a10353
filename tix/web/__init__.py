"""The web face (`tix serve`): the REST API under /api/ and the storefront's pages, on
FastAPI and uvicorn. Like the CLI and the box office it calls the Runtime's services,
prints the shared JSON shapes (tix.json_shapes) and maps errors through the shared table
(tix.error_table); it never names an adapter.

  app.py        create_app(runtime), the ASGI factory for uvicorn's workers
  security.py   the headers on every response (CSP, HSTS over TLS...), TLS and client host
  sessions.py   the session cookie and who is calling (cookie or Bearer)
  csrf.py       the token every state-changing request of a cookie session carries
  errors.py     tix's errors as problem+json (API) or a page (storefront)
  ops.py        /healthz, /readyz, /metrics, /t/<ticket id>, the verify and reset links
  api/          the REST API, a module per area
"""
