"""The core's services on the in-memory fakes, wired as `tix.bootstrap` wires them on a
database: unit tests of the rules of selling, in milliseconds and without servers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.fakes import FixedClock
from tests.unit.fakes import (
    FakeCardGateway,
    HmacSigner,
    MemoryRateLimiter,
    MemoryStore,
    NoCache,
)
from tix.adapters.payments.offline import OfflineGateway
from tix.core.accounts.model import User
from tix.core.audit.service import AuditService
from tix.core.catalog.model import TeamMember, TeamRole
from tix.core.catalog.service import CatalogService
from tix.core.ids import new_id
from tix.core.inventory.ports import StockLevel
from tix.core.inventory.service import InventoryService
from tix.core.orders.model import Order, Tender
from tix.core.orders.ports import PaymentGateway
from tix.core.orders.service import OrderService
from tix.core.principal import Principal, Role
from tix.core.tickets.model import Ticket
from tix.core.tickets.service import TicketService


class NoSearch:
    """These tests never search the catalog: a search fails loudly (no method here)."""


class MemoryCore:
    """One "installation": a store, a clock moved by hand, and the services on them."""

    def __init__(self, *, holds_per_minute: int = 20) -> None:
        self.store = MemoryStore()
        self.clock = FixedClock()
        self.limiter = MemoryRateLimiter()
        self.card = FakeCardGateway()
        self.audit = AuditService(uow=self.store, clock=self.clock, origin="unit-test")
        self.catalog = CatalogService(uow=self.store, clock=self.clock, cache=NoCache(),
                                      search=NoSearch(),  # type: ignore[arg-type]
                                      audit=self.audit)
        self.inventory = InventoryService(uow=self.store, clock=self.clock,
                                          limiter=self.limiter,
                                          holds_per_minute=holds_per_minute)
        self.tickets = TicketService(uow=self.store, clock=self.clock, signer=HmacSigner(),
                                     audit=self.audit, limiter=self.limiter)
        offline = OfflineGateway()
        gateways: dict[Tender, PaymentGateway] = {
            Tender.CASH: offline, Tender.COMP: offline, Tender.CARD: self.card}
        self.orders = OrderService(uow=self.store, clock=self.clock, audit=self.audit,
                                   gateways=gateways, inventory=self.inventory)
        self.orders.issue_tickets = self.tickets.issue_with_sale  # as bootstrap does

    # -- people and events -----------------------------------------------------------------

    def person(self, role: Role = Role.CUSTOMER, name: str = "Bea Buyer") -> Principal:
        """Someone logged in (their account stored: the door names who let a ticket in)."""
        user_id = new_id()
        email = f"{name.split()[0].lower()}-{user_id[:8]}@example.com"
        with self.store() as uow:
            uow.users.add(User(id=user_id, email=email, name=name, date_of_birth=None,
                               password_hash="!", role=role, created_at=self.clock.now()))
            uow.commit()
        return Principal(user_id=user_id, email=email, name=name, role=role,
                         session_id=new_id())

    def event(self, owner: Principal | None = None, *, days: int = 30,
              **overrides: Any) -> str:
        """An event `days` from now, created by `owner` (a new organizer if none):
        Standing (45.00 EUR, 100, at most 4 per person) and Seated (65.50 EUR, 20)."""
        start = self.clock.now() + timedelta(days=days)
        spec: dict[str, Any] = {
            "name": "Nils Frahm live", "description": "Piano and synthesizers.",
            "category": "music", "venue": "Funkhaus", "city": "Berlin",
            "starts": f"{start:%Y-%m-%dT%H:%M}",
            "ends": f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}",
            "timezone": "UTC", "currency": "EUR",
            "ticket_types": [
                {"name": "Standing", "price": "45.00", "quantity": 100, "limit": 4},
                {"name": "Seated", "price": "65.50", "quantity": 20}]}
        spec.update(overrides)
        return self.catalog.create(owner or self.person(Role.ORGANIZER, "Olga Organizer"),
                                   spec)

    def on_team(self, event_id: str, person: Principal,
                role: TeamRole = TeamRole.CLERK) -> Principal:
        """Put `person` on the event's team (a clerk sells and scans only there)."""
        with self.store() as uow:
            uow.catalog.put_team_member(TeamMember(
                event_id=event_id, user_id=person.user_id, role=role,
                added_at=self.clock.now(), added_by=person.user_id))
            uow.commit()
        return person

    def clerk(self, at: str, name: str = "Clara Clerk") -> Principal:
        """A new clerk on the team of the event `at` names (it, or one of its ticket
        types)."""
        with self.store(readonly=True) as uow:
            view = uow.catalog.ticket_type(at)
        return self.on_team(view.event_id if view else at, self.person(Role.CLERK, name))

    def ticket_type_event(self, ticket_type_id: str) -> str:
        with self.store(readonly=True) as uow:
            view = uow.catalog.ticket_type(ticket_type_id)
        assert view is not None
        return view.event_id

    def ticket_type(self, event_id: str, name: str) -> str:
        with self.store(readonly=True) as uow:
            event = uow.catalog.get(event_id)
        assert event is not None
        return next(t.id for t in event.ticket_types if t.name == name)

    # -- what the tests look at --------------------------------------------------------------

    def stock(self, ticket_type_id: str) -> StockLevel:
        with self.store(readonly=True) as uow:
            return uow.stock.levels([ticket_type_id])[ticket_type_id]

    def order(self, order_id: str) -> Order:
        with self.store(readonly=True) as uow:
            order = uow.orders.get(order_id)
        assert order is not None
        return order

    def tickets_of(self, order_id: str) -> list[Ticket]:
        with self.store(readonly=True) as uow:
            return uow.tickets.of_order(order_id)
