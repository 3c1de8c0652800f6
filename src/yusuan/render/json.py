"""A Document as JSON (amounts as strings), through the same `write(doc, path)` contract."""

from __future__ import annotations

from pathlib import Path

from yusuan.build.export import to_json
from yusuan.model.document import Document

__all__ = ["to_json", "write"]


def write(doc: Document, path: Path) -> None:
    path.write_text(to_json(doc), encoding="utf-8")
