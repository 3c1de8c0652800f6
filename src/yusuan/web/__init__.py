"""`yusuan serve`: the web application — upload and audit, report pages, a JSON API.

A FastAPI application rendering its pages server-side with Jinja2; every asset (CSS, the few
lines of JavaScript) is served by the application itself, nothing comes from a CDN. Documents
are hostile input: see `security.py` and docs/web.md.

>>> from yusuan.web import Settings, create_app
>>> app = create_app(Settings(data_dir=Path("/tmp/yusuan-web")))  # doctest: +SKIP
"""

from __future__ import annotations

from yusuan.web.app import create_app
from yusuan.web.settings import Settings

__all__ = ["Settings", "create_app"]
