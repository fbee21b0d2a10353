"""Mail templates with Jinja2: NAME.subject, NAME.txt and NAME.html per mail.

The package ships them in tix/templates/mail; a directory in TIX_TEMPLATE_DIR overrides any
of them file by file.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2 import TemplateNotFound as JinjaTemplateNotFound

from tix.core.ports import RenderedMail


class TemplateNotFound(LookupError):
    pass


class JinjaMailRenderer:
    def __init__(self, override_dir: Path | None = None) -> None:
        loaders: list[FileSystemLoader | PackageLoader] = []
        if override_dir is not None:
            loaders.append(FileSystemLoader(str(override_dir)))
        loaders.append(PackageLoader("tix", "templates/mail"))
        common = {"loader": ChoiceLoader(loaders), "undefined": StrictUndefined,
                  "keep_trailing_newline": True}
        self._html = Environment(autoescape=True, **common)  # type: ignore[arg-type]
        self._text = Environment(autoescape=False, **common)  # type: ignore[arg-type]

    def render(self, template: str, context: dict[str, object]) -> RenderedMail:
        try:
            subject = self._text.get_template(f"{template}.subject").render(context)
            text = self._text.get_template(f"{template}.txt").render(context)
            html = self._html.get_template(f"{template}.html").render(context)
        except JinjaTemplateNotFound as error:
            raise TemplateNotFound(f"mail template {error.name} is missing") from error
        return RenderedMail(subject=" ".join(subject.split()), text=text, html=html)
