"""A Document as JSON: every table, statement, project and 绩效目标表, amounts as strings.

Decimals are written as strings (`"58654.04"`) so that no reader turns them into floats.
The source text lines are left out (they are the input, not the document). The file opens
with its format (`"$format": "yusuan-document/1"`), by which `yusuan.read` knows it for
yusuan's own and reads it back to the same Document (`yusuan.readers.document_json`).
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from yusuan.model.document import Document
from yusuan.readers.document_json import FORMAT, FORMAT_KEY


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):  # an inferred profile travels with its document
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            if f.name == "lines" and type(value).__name__ == "SourceInfo":
                continue
            out[f.name] = _plain(getattr(value, f.name))
        return out
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_json(doc: Document) -> str:
    return json.dumps({FORMAT_KEY: FORMAT, **_plain(doc)}, ensure_ascii=False, indent=1) + "\n"


def write(doc: Document, path: Path) -> None:
    Path(path).write_text(to_json(doc), encoding="utf-8")
