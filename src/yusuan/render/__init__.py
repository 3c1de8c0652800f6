"""Renderers print a Document (read or built) to a file format. They never compute.

Each format is a module `yusuan.render.<fmt>` with `write(doc: Document, path: Path) -> None`
(and, for text formats, a `to_<fmt>(doc) -> str`). `write` here dispatches by format name.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from yusuan.errors import YusuanError
from yusuan.model.document import Document

FORMATS = ("md", "html", "xlsx", "docx", "pdf", "json")


def write(doc: Document, fmt: str, path: Path) -> None:
    if fmt not in FORMATS:
        raise YusuanError(f"不支持的输出格式「{fmt}」（可用：{'、'.join(FORMATS)}）")
    module = importlib.import_module(f"yusuan.render.{'markdown' if fmt == 'md' else fmt}")
    module.write(doc, path)
