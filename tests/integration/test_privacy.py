"""GDPR: export everything held about a user; erase irreversibly."""

import json
import os
import stat

import pytest

from tests.catalog_support import on_every_team
from tests.cli.conftest import Tix
from tests.support import PASSWORD, deliver, logged_in
from tix.core.errors import NotAuthenticated, NotFound, RuleViolation
from tix.core.principal import Role


def test_the_export_holds_profile_sessions_mails_and_audit(runtime):
    me = logged_in(runtime)
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    data = runtime.privacy.export(me.user_id)
    assert data["profile"]["email"] == "ann@example.com"
    assert data["profile"]["name"] == "Ann Example"
    assert len(data["sessions"]) == 1
    assert [n["template"] for n in data["notifications"]] == ["password_reset"]
    assert {"account.registered", "login.succeeded"} <= {a["action"] for a in data["audit"]}


def test_erasure_wipes_personal_data_and_makes_login_impossible(runtime, mailer):
    me = logged_in(runtime)
    login = runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    reset_token = mailer.last_to("ann@example.com").text.split("reset-password ")[1].split()[0]
    runtime.privacy.erase(me.user_id)
    with pytest.raises(NotAuthenticated):
        runtime.accounts.authenticate(login.token)
    with pytest.raises(NotAuthenticated):
        runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    with pytest.raises(RuleViolation):
        runtime.accounts.reset_password(reset_token, "Another-pass-9!")  # retired
    data = runtime.privacy.export(me.user_id)
    assert data["profile"]["email"].endswith("@erased.invalid")
    assert data["profile"]["name"] == "(erased)" and data["profile"]["date_of_birth"] is None
    assert all(n["subject"] == "" for n in data["notifications"])
    with pytest.raises(RuleViolation, match="already erased"):
        runtime.privacy.erase(me.user_id)
    runtime.accounts.register(email="ann@example.com", password=PASSWORD, name="Ann Again",
                              date_of_birth=None)  # the address is free again


def test_erasure_tells_the_other_modules(runtime):
    me = logged_in(runtime)
    runtime.privacy.erase(me.user_id)
    names = [e.name for e in runtime.outbox.claim("test")]
    assert "AccountErased" in names


def test_the_cli_exports_to_a_private_file_and_erases_only_with_yes(runtime, tmp_path):
    tix = Tix(runtime)
    logged_in(runtime)
    tix.login("ann@example.com", PASSWORD)
    target = tmp_path / "me.json"
    assert tix("account", "export", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert json.loads(target.read_text())["profile"]["email"] == "ann@example.com"
    assert tix("account", "delete").exit_code == 2
    assert tix("account", "delete", "--yes").exit_code == 0
    assert tix("whoami").exit_code == 3
    assert tix.login("ann@example.com", PASSWORD).exit_code == 3


def test_an_admin_exports_and_erases_a_user(runtime):
    tix = Tix(runtime)
    logged_in(runtime)
    exported = tix("admin", "export", "ann@example.com")
    assert exported.exit_code == 0 and exported.json()["profile"]["name"] == "Ann Example"
    assert tix("admin", "erase", "ann@example.com", "--yes").exit_code == 0
    assert tix("admin", "export", "ann@example.com").exit_code == 4
    with pytest.raises(NotFound):
        runtime.accounts.id_of("ann@example.com")


def test_erasure_keeps_orders_and_tickets_without_the_names(runtime):
    from tests.catalog_support import an_event
    from tix.core.orders.model import Tender

    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    event_id = an_event(runtime)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH,
                               holders=["Clara Clerk", "Her Friend"], tendered=9000)
    deliver(runtime)
    runtime.privacy.erase(clerk.user_id)
    deliver(runtime)
    admin = logged_in(runtime, "root@example.com", role=Role.ADMIN)
    kept = runtime.orders.show(admin, order.number)
    assert kept.holders == ["(erased)", "(erased)"] and kept.amount == 9000
    with runtime.uow(readonly=True) as uow:
        assert {t.holder for t in uow.tickets.of_order(order.id)} == {"(erased)"}


def test_erasure_voids_and_refunds_future_tickets_under_the_policy(runtime, clock):
    from datetime import timedelta

    from tests.catalog_support import an_event, organizer
    from tix.core.orders.model import OrderStatus, Tender
    from tix.core.tickets.model import TicketStatus

    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    policy = [{"before_hours": 168, "percent": 100}, {"before_hours": 24, "percent": 50}]
    olga = organizer(runtime)
    soon = runtime.catalog.show(an_event(runtime, olga, days=3, cancellation_policy=policy))
    later_id = an_event(runtime, olga, days=30, name="Later", cancellation_policy=policy)
    later = runtime.catalog.show(later_id)
    past = runtime.catalog.show(an_event(runtime, olga, days=1, name="Tonight"))
    on_every_team(runtime, clerk)
    orders = {name: runtime.orders.buy(clerk, event.ticket_types[0].id, 2, tender=Tender.CASH,
                                       tendered=9000)
              for name, event in (("soon", soon), ("later", later), ("past", past))}
    deliver(runtime)
    clock.advance(timedelta(days=2))  # "Tonight" has been; "soon" is a day away
    runtime.privacy.erase(clerk.user_id)
    deliver(runtime)
    admin = logged_in(runtime, "root@example.com", role=Role.ADMIN)
    after = {name: runtime.orders.show(admin, o.number) for name, o in orders.items()}
    assert after["later"].status is OrderStatus.CANCELLED
    assert after["later"].refunded_amount == 9000  # a week or more ahead: 100%
    assert after["soon"].status is OrderStatus.CANCELLED
    assert after["soon"].refunded_amount == 4500  # a day ahead: 50%
    assert after["past"].status is OrderStatus.COMPLETED  # kept for accounting as it was
    with runtime.uow(readonly=True) as uow:
        status = {name: {t.status for t in uow.tickets.of_order(o.id)}
                  for name, o in orders.items()}
    assert status == {"soon": {TicketStatus.VOIDED}, "later": {TicketStatus.VOIDED},
                      "past": {TicketStatus.VALID}}
    availability = runtime.catalog.show(later_id).ticket_types[0].available
    assert availability == later.ticket_types[0].quantity  # the seats are for sale again


def test_the_export_holds_the_users_orders_and_tickets(runtime):
    from tests.catalog_support import an_event
    from tix.core.orders.model import Tender

    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    other = logged_in(runtime, "bob@example.com", role=Role.CLERK, name="Bob")
    standing = runtime.catalog.show(an_event(runtime)).ticket_types[0]
    on_every_team(runtime, clerk)
    mine = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH,
                              holders=["Clara Clerk", "Her Friend"], tendered=9000)
    on_every_team(runtime, other)
    runtime.orders.buy(other, standing.id, 1, tender=Tender.CASH, tendered=4500)
    deliver(runtime)
    data = json.loads(json.dumps(runtime.privacy.export(clerk.user_id), default=str))
    assert [o["number"] for o in data["orders"]] == [mine.number]
    assert data["orders"][0]["holders"] == ["Clara Clerk", "Her Friend"]
    assert data["orders"][0]["total"] == 9000
    assert sorted(t["holder"] for t in data["tickets"]) == ["Clara Clerk", "Her Friend"]
    assert {t["order_id"] for t in data["tickets"]} == {mine.id}
