"""Pages from the templates in tix/web/templates/store/: one Jinja environment, the
filters every page uses (money, a moment in the venue's zone), and what every page gets
(who is logged in, the CSRF token for its forms)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChainableUndefined, Environment, FileSystemLoader, select_autoescape

from tix.core.catalog.money import format_money
from tix.web.store import visitor

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment() -> Environment:
    # A form not filled yet has no fields: they render empty (ChainableUndefined).
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      undefined=ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = format_money
    env.filters["local"] = local_time
    return env


def local_time(moment: datetime, zone: str, style: str = "long") -> str:
    """A moment as the venue's clock shows it: 'Sat 12 Dec 2026, 20:00'."""
    at = moment.astimezone(ZoneInfo(zone))
    if style == "short":
        return f"{at:%a %d %b, %H:%M}"
    return f"{at:%a %d %b %Y, %H:%M}"


def page(request: Request, template: str, status: int = HTTPStatus.OK,
         **context: Any) -> HTMLResponse:
    principal = visitor.principal(request)
    for name in ("notice", "error", "query_text"):
        context.setdefault(name, None)
    html = environment().get_template(f"store/{template}").render(
        request=request, me=principal if principal and visitor.is_member(principal) else None,
        csrf_token=visitor.csrf_token(request), **context)
    return HTMLResponse(html, status_code=int(status), headers={"Cache-Control": "no-store"})
