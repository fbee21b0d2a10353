"""The event page: what, when, where, each ticket type with its tickets left (read live),
a basket across the types with a quantity each, a code field, the questions checkout will
ask; posting it places one hold for the whole basket and opens checkout."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tix.core.catalog.model import Question
from tix.core.catalog.money import format_money
from tix.core.catalog.search import EventDetails, TicketTypeDetails
from tix.core.errors import Invalid, TixError
from tix.web.store import visitor
from tix.web.store.pages import PageRoute, sentence
from tix.web.store.render import page

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.principal import Principal
    from tix.core.vouchers.service import Unlocked

router = APIRouter(route_class=PageRoute)
MOST_IN_A_LIST = 10  # the quantity list's longest; the core enforces the real limits


@router.get("/events/{reference}", response_class=HTMLResponse)
async def event(request: Request, reference: str) -> HTMLResponse:
    if visitor.has_session(request):  # read live for them, in a thread (as a sync route)
        return await run_in_threadpool(_live_event, request, reference)
    # the same for everyone without a session (a draft is its organizer's): kept a second
    # (tix.web.microcache), the tickets left then at most that old; the page itself, with
    # this browser's form token, is made here on the event loop (no I/O: no session)
    runtime = visitor.runtime(request)
    key = ("event page", reference.strip())
    details, questions = await visitor.kept_async(request, key,
                                                  lambda: _read(runtime, reference, None))
    return _page(request, details, questions=questions)


def _live_event(request: Request, reference: str) -> HTMLResponse:
    details, questions = _read(visitor.runtime(request), reference, visitor.principal(request))
    return _page(request, details, questions=questions)


def _read(runtime: Runtime, reference: str, viewer: Principal | None
          ) -> tuple[EventDetails, list[Question]]:
    details = runtime.catalog.show(reference, viewer)
    return details, _questions(runtime, details)


@router.get("/events/{reference}/left")
def tickets_left(request: Request, reference: str) -> JSONResponse:
    """{ticket type id: tickets left} for the event page's script (static/js/live.js)."""
    runtime = visitor.runtime(request)
    details = runtime.catalog.show(reference, visitor.principal(request))
    now = runtime.clock.now()
    return JSONResponse({str(row["id"]): row["available"]  # 0: not to be chosen now
                         for row in (_row(t, now) for t in details.ticket_types)},
                        headers={"Cache-Control": "no-store"})


@router.post("/events/{reference}/hold")
async def hold(request: Request, reference: str) -> Response:
    """The basket held (with its code, whose use the hold takes); or, with "apply", the
    page again with what the code gives: its discount, the hidden types it opens."""
    form = await request.form()
    return await run_in_threadpool(_hold, request, reference, form)


def _hold(request: Request, reference: str, form: FormData) -> Response:
    runtime = visitor.runtime(request)
    details = runtime.catalog.show(reference, visitor.principal(request))
    chosen: dict[str, int] = {}
    code = str(form.get("voucher", "")).strip()[:100]
    unlocked = None
    try:
        unlocked = runtime.vouchers.unlocked(details.summary.id, code,
                                             asker=visitor.asker(request)) if code else None
        if form.get("apply"):
            return _page(request, details, chosen=_chosen(form, details, unlocked),
                         voucher=code, unlocked=unlocked)
        chosen = _chosen(form, details, unlocked)
        if not chosen:
            raise Invalid("Choose how many tickets you want of at least one type.",
                          field="quantity")
        held = runtime.inventory.hold_basket(visitor.shopper(request), list(chosen.items()),
                                             voucher=code or None)
    except TixError as error:
        from tix.error_table import http_status

        fresh = runtime.catalog.show(reference, visitor.principal(request))  # tickets left now
        return _page(request, fresh, status=int(http_status(error)), chosen=chosen,
                     voucher=code, unlocked=_still(runtime, fresh, code, unlocked),
                     error=sentence(error))
    target = f"/holds/{held.id}?" + urlencode({"event": details.summary.id})
    return RedirectResponse(target, status_code=303)


def _chosen(form: FormData, details: EventDetails, unlocked: Unlocked | None
            ) -> dict[str, int]:
    """How many of each type the basket asks for (the types the code opens too)."""
    chosen: dict[str, int] = {}
    for ticket_type in [*details.ticket_types, *(unlocked.ticket_types if unlocked else [])]:
        raw = str(form.get(f"qty-{ticket_type.id}", "0") or "0").strip()
        if not raw.isdigit() or len(raw) > 4:
            raise Invalid(f"{ticket_type.name}: choose how many from the list.",
                          field="quantity")
        if int(raw):
            chosen[ticket_type.id] = int(raw)
    return chosen


def _still(runtime: Runtime, details: EventDetails, code: str, unlocked: Unlocked | None
           ) -> Unlocked | None:
    """The types a code opened, read again for the page that says why a hold failed
    (none when the code itself was refused)."""
    if unlocked is None:
        return None
    try:
        return runtime.vouchers.unlocked(details.summary.id, code)
    except TixError:  # used up meanwhile, say: the page says so and lists no hidden type
        return None


def _page(request: Request, details: EventDetails, *, status: int = 200,
          chosen: dict[str, int] | None = None, voucher: str = "",
          unlocked: Unlocked | None = None, error: str | None = None,
          questions: list[Question] | None = None) -> HTMLResponse:
    runtime = visitor.runtime(request)
    now = runtime.clock.now()
    types = [_row(t, now) for t in details.ticket_types]
    opened = [{**_row(t, now), "unlocked": True}
              for t in (unlocked.ticket_types if unlocked else [])]
    if questions is None:
        questions = _questions(runtime, details)
    on_sale = details.summary.status == "SCHEDULED" and details.summary.starts_at > now
    return page(request, "event.html", status=status, event=details, s=details.summary,
                types=types + opened, chosen=chosen or {}, voucher=voucher,
                gives=_gives(unlocked, opened, details.summary.currency),
                questions=questions, on_sale=on_sale, error=error)


def _gives(unlocked: Unlocked | None, opened: list[dict[str, object]], currency: str
           ) -> str:
    """What an applied code gives, in a sentence for the page."""
    if unlocked is None:
        return ""
    voucher = unlocked.voucher
    parts = []
    if voucher.percent:
        parts.append(f"{voucher.percent}% off")
    elif voucher.amount:
        parts.append(f"{format_money(voucher.amount, currency)} off")
    if opened:
        parts.append("opens " + ", ".join(str(row["name"]) for row in opened))
    said = " and ".join(parts) or "is valid"
    return f"Code {voucher.code} {said}."


def _questions(runtime: Runtime, details: EventDetails) -> list[Question]:
    """What checkout will ask, once (a question per ticket is asked of each)."""
    questions: list[Question] = []
    seen: set[str] = set()
    if details.ticket_types:
        for asked in runtime.orders.questions([(t.id, 1) for t in details.ticket_types]):
            if asked.question.key not in seen:
                seen.add(asked.question.key)
                questions.append(asked.question)
    return questions


def _row(ticket_type: TicketTypeDetails, now: datetime) -> dict[str, object]:
    selling = ((ticket_type.sale_starts_at is None or ticket_type.sale_starts_at <= now)
               and (ticket_type.sale_ends_at is None or now < ticket_type.sale_ends_at))
    most = min(ticket_type.available, ticket_type.limit or MOST_IN_A_LIST, MOST_IN_A_LIST)
    note = "Sold out"
    if ticket_type.sale_starts_at is not None and now < ticket_type.sale_starts_at:
        note = "Not on sale yet"
    elif ticket_type.sale_ends_at is not None and ticket_type.sale_ends_at <= now:
        note = "Sale ended"
    return {"id": ticket_type.id, "name": ticket_type.name, "price": ticket_type.price,
            "currency": ticket_type.currency,
            "available": ticket_type.available if selling else 0,
            "most": most if selling else 0, "note": note}
