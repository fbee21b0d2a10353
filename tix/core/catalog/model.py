"""Events, their ticket types and their teams."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from tix.core.errors import Invalid
from tix.core.principal import Principal, Role


class Category(StrEnum):
    MUSIC = "music"
    SPORTS = "sports"
    THEATRE = "theatre"
    COMEDY = "comedy"
    CONFERENCE = "conference"
    FESTIVAL = "festival"
    FAMILY = "family"
    OTHER = "other"


class EventStatus(StrEnum):
    DRAFT = "DRAFT"  # seen by its organizer and admins, sold by nobody, until published
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class RefundRule:
    """At least `before` ahead of the start, a cancellation refunds `percent` of the price."""

    before: timedelta
    percent: int


# Full refund up to 7 days before, half up to 2 days before, nothing after.
DEFAULT_CANCELLATION_POLICY = (
    RefundRule(before=timedelta(days=7), percent=100),
    RefundRule(before=timedelta(days=2), percent=50),
)


def ticket_type_ref(event_number: int, number: int) -> str:
    """`E12-T2`: a letter after the dash keeps it apart from ticket numbers (E12-000123)
    and nothing in it needs quoting in a shell."""
    return f"E{event_number}-T{number}"


@dataclass
class TicketType:
    id: str
    event_id: str
    name: str
    price: int  # minor units of the event's currency
    quantity: int
    per_person_limit: int | None = None
    sale_starts_at: datetime | None = None
    sale_ends_at: datetime | None = None
    position: int = 0
    number: int = 0  # within its event, never reused: referenced as E12-T2
    hidden: bool = False  # sold only with a code that unlocks it (press, crew, presale)


class QuestionKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes_no"
    EMAIL = "email"  # an attendee's address, asked per ticket


class QuestionScope(StrEnum):
    TICKET = "ticket"  # asked of each ticket (each attendee)
    ORDER = "order"  # asked once of the buyer


@dataclass(frozen=True)
class Question:
    """What the event asks its attendees or buyers at checkout (the event file's
    `questions`); the answers are kept by orders."""

    key: str
    text: str
    kind: QuestionKind = QuestionKind.TEXT
    choices: tuple[str, ...] = ()
    required: bool = False
    per: QuestionScope = QuestionScope.TICKET
    types: tuple[str, ...] = ()  # ticket type names it is asked for; () for every type

    def asked_of(self, ticket_type_name: str) -> bool:
        """Whether a ticket of this type is asked it (a per-ticket question)."""
        return not self.types or ticket_type_name.lower() in {t.lower() for t in self.types}


@dataclass
class Event:
    id: str
    number: int  # readable: tickets are numbered E<number>-000123
    organizer_id: str
    name: str
    description: str
    category: Category
    venue: str
    city: str
    starts_at: datetime  # aware UTC
    ends_at: datetime
    timezone: str  # IANA name of the venue's zone
    currency: str  # ISO 4217
    created_at: datetime
    address: str | None = None
    image_url: str | None = None
    status: EventStatus = EventStatus.SCHEDULED
    cancellation_policy: tuple[RefundRule, ...] = DEFAULT_CANCELLATION_POLICY
    ticket_types: list[TicketType] = field(default_factory=list)
    questions: tuple[Question, ...] = ()
    max_per_order: int | None = None  # tickets of every type in one order
    max_per_person: int | None = None  # tickets of every type one buyer holds and bought
    test_mode: bool = False  # its orders are test orders, left out of sales reports

    def refund_terms(self, now: datetime) -> RefundTerms:
        """The rule of the policy a cancellation at `now` falls under, and its share."""
        ahead = self.starts_at - now
        earlier: timedelta | None = None  # the bound of the more generous rule before it
        for rule in sorted(self.cancellation_policy, key=lambda r: r.before, reverse=True):
            if ahead >= rule.before:
                return RefundTerms(rule.percent, at_least=rule.before, less_than=earlier)
            earlier = rule.before
        return RefundTerms(0, at_least=None, less_than=earlier)


@dataclass(frozen=True)
class RefundTerms:
    """"50 %: less than 7 days before the start": the share, and the window it holds in."""

    percent: int
    at_least: timedelta | None  # None: after the last rule (nothing is refunded)
    less_than: timedelta | None  # None: the most generous rule

    def refund_of(self, amount: int) -> int:
        """What comes back of `amount` (minor units), rounded down."""
        return amount * self.percent // 100

    def describe(self) -> str:
        if self.less_than is not None:
            why = f"less than {duration_words(self.less_than)} before the start"
        elif self.at_least:
            why = f"{duration_words(self.at_least)} or more before the start"
        else:
            why = "until the start"
        return f"{self.percent} %: {why}"


def duration_words(span: timedelta) -> str:
    """A policy's bound as people say it: "7 days", "36 hours"."""
    hours = int(span.total_seconds() // 3600)
    if hours >= 24 and hours % 24 == 0:
        return f"{hours // 24} day{'s' if hours != 24 else ''}"
    return f"{hours} hour{'s' if hours != 1 else ''}"


@dataclass(frozen=True)
class TicketTypeView:
    """What selling a ticket type needs to know about it and its event (read by orders)."""

    id: str
    name: str
    price: int
    currency: str
    quantity: int
    per_person_limit: int | None
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None
    event_id: str
    event_number: int
    event_name: str
    event_status: EventStatus
    event_starts_at: datetime
    event_ends_at: datetime
    event_timezone: str
    organizer_id: str
    venue: str
    city: str
    number: int = 0  # within its event (E12-T2)
    hidden: bool = False  # sold only with a code that unlocks it
    event_max_per_order: int | None = None  # the event's limits, over all its types
    event_max_per_person: int | None = None
    event_has_questions: bool = False  # a sale of it reads them (catalog.public.questions)
    event_test_mode: bool = False  # an order of it is a test order

    @property
    def ref(self) -> str:
        return ticket_type_ref(self.event_number, self.number)


@dataclass(frozen=True)
class EventLabel:
    """How people recognise an event in a list of orders: its number and name."""

    id: str
    number: int
    name: str


class TeamRole(StrEnum):
    """What a person does for one event, on its team: the role counts for that event
    alone, whatever the person's global role (a customer on the door scans that event)."""

    CO_ORGANIZER = "co-organizer"
    CLERK = "clerk"
    DOOR = "door"

    @classmethod
    def parse(cls, value: str) -> TeamRole:
        try:
            return cls(value.strip().lower())
        except ValueError:
            roles = ", ".join(r.value for r in cls)
            raise Invalid(f"unknown team role {value!r}; choose one of {roles}",
                          field="role", choices=roles) from None


class Act(StrEnum):
    """What one may be allowed to do on an event."""

    MANAGE = "manage"  # the organizer's work: update, publish, codes, sales, door lists
    SELL = "sell"  # take money at the counter (cash), the box office's sale, the till
    SCAN = "scan"  # check tickets in, door packs, the door's counts and lookups


# The event's organizer and admins may do all of these, and what no team role grants:
# cancel the event and choose its co-organizers.
GRANTS: dict[TeamRole, frozenset[Act]] = {
    TeamRole.CO_ORGANIZER: frozenset({Act.MANAGE, Act.SELL, Act.SCAN}),
    TeamRole.CLERK: frozenset({Act.SELL, Act.SCAN}),
    TeamRole.DOOR: frozenset({Act.SCAN}),
}


@dataclass(frozen=True)
class TeamMember:
    event_id: str
    user_id: str
    role: TeamRole
    added_at: datetime
    added_by: str  # a user id


def allows(principal: Principal, organizer_id: str, role: TeamRole | None, act: Act) -> bool:
    """Whether `principal` may `act` on an event organized by `organizer_id`, on whose
    team they have `role` (None: not on it). Admins and the organizer may do anything."""
    if principal.role is Role.ADMIN or principal.user_id == organizer_id:
        return True
    return role is not None and act in GRANTS[role]
