"""Mail templates with Jinja2: NAME.subject, NAME.txt and NAME.html per mail.

The package ships them in tix/templates/mail; a directory in TIX_TEMPLATE_DIR overrides any
of them file by file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2 import TemplateNotFound as JinjaTemplateNotFound

from tix.core.ports import RenderedMail


class TemplateNotFound(LookupError):
    pass


class JinjaMailRenderer:
    def __init__(self, override_dir: Path | None = None, *,
                 order_page: Callable[[str, str], str] | None = None) -> None:
        """`order_page(order id, buyer id)`: the address of the order's page, for the
        receipt (the web shop's signed link), when there is one."""
        loaders: list[FileSystemLoader | PackageLoader] = []
        if override_dir is not None:
            loaders.append(FileSystemLoader(str(override_dir)))
        loaders.append(PackageLoader("tix", "templates/mail"))
        common = {"loader": ChoiceLoader(loaders), "undefined": StrictUndefined,
                  "keep_trailing_newline": True}
        self._html = Environment(autoescape=True, **common)  # type: ignore[arg-type]
        self._text = Environment(autoescape=False, **common)  # type: ignore[arg-type]
        for environment in (self._html, self._text):
            environment.filters["money"] = _money
            environment.filters["local"] = _local
            environment.filters["until"] = _until
            environment.globals["order_page"] = order_page

    def render(self, template: str, context: dict[str, object]) -> RenderedMail:
        try:
            subject = self._text.get_template(f"{template}.subject").render(context)
            text = self._text.get_template(f"{template}.txt").render(context)
            html = self._html.get_template(f"{template}.html").render(context)
        except JinjaTemplateNotFound as error:
            raise TemplateNotFound(f"mail template {error.name} is missing") from error
        return RenderedMail(subject=" ".join(subject.split()), text=text, html=html)


def _money(minor: int, currency: str) -> str:
    """2550, "EUR" -> "25.50 EUR": amounts travel in minor units."""
    from tix.core.catalog.money import format_money

    return format_money(int(minor), currency)


def _local(moment: str, zone: str) -> str:
    """An ISO time shown in the event's zone: "Sat 1 Mar 2027, 20:00 (Europe/Berlin)"."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(str(moment)).astimezone(ZoneInfo(zone))
    return f"{local:%a %-d %b %Y, %H:%M} ({zone})"


def _until(moment: str) -> str:
    """An ISO expiry as people write it: "14:05 UTC on 3 December 2026"."""
    from datetime import UTC, datetime

    utc = datetime.fromisoformat(str(moment)).astimezone(UTC)
    return f"{utc:%H:%M} UTC on {utc.day} {utc:%B %Y}"
