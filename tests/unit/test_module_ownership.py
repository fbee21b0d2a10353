"""Each core module touches only its own repositories on the unit of work.

A module reads another's data through that module's `public.py` (functions that take the
caller's unit of work) or from the messages it receives, never as `uow.<its repository>`.
This reads the source with `ast`, so a break fails here naming the file and the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "tix" / "core"

# Repository on the unit of work -> the module that owns its tables.
OWNERS = {
    "users": "accounts", "account_tokens": "accounts", "sessions": "accounts",
    "catalog": "catalog",
    "stock": "inventory", "holds": "inventory",
    "orders": "orders", "answers": "orders", "tills": "orders",
    "tickets": "tickets",
    "notifications": "notifications",
    "audit": "audit",
    "vouchers": "vouchers",
}

# The modules held to it. Every module of the core is in one of these two lists; a new
# module that cannot comply at once waits in PENDING, and joins CHECKED when it does.
CHECKED = ["accounts", "audit", "catalog", "inventory", "notifications", "orders", "tickets",
           "vouchers"]
PENDING: list[str] = []


def foreign_reads(source: str, module: str, filename: str = "<source>") -> list[str]:
    """`file:line: module touches uow.<repo> (owned by <owner>)` for each access to a
    repository `module` does not own, on any name that holds a unit of work: `uow`, a
    parameter annotated UnitOfWork, or what `with ...uow...() as name` binds."""
    tree = ast.parse(source, filename)
    holders = {"uow"}
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None and \
                "UnitOfWork" in ast.unparse(node.annotation):
            holders.add(node.arg)
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name) \
                and "uow" in ast.unparse(node.context_expr).lower():
            holders.add(node.optional_vars.id)
    reads = sorted((node.lineno, node.value.id, node.attr) for node in ast.walk(tree)
                   if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                   and node.value.id in holders and node.attr in OWNERS
                   and OWNERS[node.attr] != module)
    return [f"{filename}:{line}: {module} touches {holder}.{repo} (owned by {OWNERS[repo]})"
            for line, holder, repo in reads]


def repositories_of_the_unit_of_work() -> set[str]:
    """The properties of the UnitOfWork protocol: its repositories."""
    tree = ast.parse((CORE / "ports.py").read_text())
    protocol = next(node for node in tree.body
                    if isinstance(node, ast.ClassDef) and node.name == "UnitOfWork")
    return {item.name for item in protocol.body if isinstance(item, ast.FunctionDef)
            and any(ast.unparse(d) == "property" for d in item.decorator_list)}


def test_every_repository_of_the_unit_of_work_has_an_owner():
    assert repositories_of_the_unit_of_work() == set(OWNERS)


def test_every_module_of_the_core_is_listed():
    modules = {path.parent.name for path in CORE.glob("*/__init__.py")}
    assert modules == set(CHECKED) | set(PENDING)
    assert not set(CHECKED) & set(PENDING)
    assert set(OWNERS.values()) <= modules


def test_modules_touch_only_their_own_repositories():
    found = []
    for module in CHECKED:
        for path in sorted((CORE / module).glob("*.py")):
            found += foreign_reads(path.read_text(), module,
                                   str(path.relative_to(CORE.parents[1])))
    assert found == [], "\n".join(found)


def test_the_check_sees_a_read_of_another_modules_table():
    """The check itself: each way a unit of work is held is seen."""
    source = '''
def generate(msg, uow):
    uow.catalog.ticket_type(msg.ticket_type_id)
    uow.tickets.of_order(msg.order_id)

def door(work: UnitOfWork):
    return work.orders.get("x")

def show(self):
    with self._uow(readonly=True) as tx:
        return tx.users.get("u")
'''
    assert foreign_reads(source, "tickets", "tickets/service.py") == [
        "tickets/service.py:3: tickets touches uow.catalog (owned by catalog)",
        "tickets/service.py:7: tickets touches work.orders (owned by orders)",
        "tickets/service.py:11: tickets touches tx.users (owned by accounts)",
    ]
