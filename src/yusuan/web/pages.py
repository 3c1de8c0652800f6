"""Jinja2 environment of the web pages: autoescaped, so every string from a document is text."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from yusuan import __version__


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


@cache
def env() -> Environment:
    e = Environment(
        loader=PackageLoader("yusuan.web", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.globals["version"] = __version__
    e.filters["size"] = _size
    return e


def render(name: str, **context: Any) -> str:
    return env().get_template(name).render(**context)


def error_page(message: str, status: int) -> str:
    return render("error.html.j2", message=message, status=status)
