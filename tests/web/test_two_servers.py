"""Two `tix serve` processes on PostgreSQL with Redis, over real sockets: 100 buyers at
once for 10 seats buy exactly 10, whichever process each one reaches."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.catalog_support import an_event, organizer
from tests.conftest import empty_pg
from tests.web.served import serving


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_100_buyers_for_10_seats_across_two_processes_buy_exactly_10(
        pg_database_url, redis_url, make_runtime, tmp_path):
    empty_pg(pg_database_url)
    runtime = make_runtime(pg_database_url, redis_url=redis_url)
    event_id = an_event(runtime, organizer(runtime), ticket_types=[
        {"name": "Last seats", "price": "0.00", "quantity": 10, "limit": 1}])
    seat = runtime.catalog.show(event_id).ticket_types[0]

    with serving(tmp_path, pg_database_url, count=2, redis_url=redis_url) as bases:
        def buy(n: int) -> int:
            with httpx.Client(base_url=bases[n % 2], timeout=30) as client:
                token = client.get("/api/auth/csrf").json()["csrf_token"]
                answer = client.post("/api/orders", headers={"X-XSRF-TOKEN": token}, json={
                    "items": [{"ticket_type": seat.id, "quantity": 1}], "tender": "free",
                    "email": f"buyer{n}@example.com", "name": f"Buyer {n}"})
                assert answer.status_code in (201, 409, 503), answer.text
                return answer.status_code

        with ThreadPoolExecutor(100) as pool:
            outcomes = list(pool.map(buy, range(100)))
        shown = httpx.get(f"{bases[0]}/api/events/{event_id}").json()

    assert outcomes.count(201) == 10, outcomes
    assert shown["ticket_types"][0]["available"] == 0
    with runtime.uow(readonly=True) as uow:
        assert uow.stock.levels([seat.id])[seat.id].available == 0
    sold = [o for o in runtime.orders.list(organizer_principal(runtime), 200)
            if o.status.value == "COMPLETED"]
    assert sum(o.quantity for o in sold) == 10


def organizer_principal(runtime):
    from tests.support import PASSWORD

    return runtime.accounts.login(email="olga@example.com", password=PASSWORD).principal
