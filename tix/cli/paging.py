"""Pages of a listing: --page to an offset, and the line on stderr saying what is left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tix.core.errors import Invalid

if TYPE_CHECKING:
    from tix.core.catalog.search import SearchPage


def page_offset(page: int | None, offset: int, limit: int) -> int:
    """--page N (1-based, --limit a page) or the older --offset, not both."""
    if page is None:
        return offset
    if offset:
        raise Invalid("--page and --offset: give one of them")
    return (page - 1) * limit


def page_hint(page: SearchPage) -> str | None:
    """'20 of 31 — --limit/--page for more' when a page is not everything, None when it is.
    A count that stopped at its cap reads '1,000+'."""
    shown = len(page.results)
    plus = "+" if page.total_is_at_least else ""
    total, pages = f"{page.total:,}{plus}", f"{-(-page.total // page.limit):,}{plus}"
    number = page.offset // page.limit + 1
    numbered = page.offset % page.limit == 0  # an --offset may start anywhere
    more = page.offset + shown < page.total or page.total_is_at_least
    if shown == 0:
        if page.offset == 0 or page.total == 0:
            return None
        where = f"page {number}" if numbered else f"--offset {page.offset}"
        return f"nothing on {where}: {total} in all, {pages} page(s) of {page.limit}"
    if page.offset == 0:
        return f"{shown} of {total} — --limit/--page for more" if more else None
    span = f"{page.offset + 1:,}-{page.offset + shown:,} of {total}"
    if not numbered:
        return span + (" — --offset for more" if more else "")
    return f"{span} (page {number} of {pages})" + (
        f" — --page {number + 1} for more" if more else "")
