"""yusuan's own JSON (`yusuan build -f json`, `yusuan.render.json`) read back to its Document.

The JSON is the model itself, not a disclosure to be read: it opens with a format marker
(`"$format": "yusuan-document/1"`), and every field is rebuilt by the model's own type hints
— amounts from their strings to Decimal, enums from their values, tuples and nested records
as declared. A field the file lacks takes the model's default (a file from an older yusuan);
a field the model does not know is an error, because it would be silently lost.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any

from yusuan.errors import InputError
from yusuan.model.document import Document
from yusuan.model.provenance import SourceInfo
from yusuan.profiles.schema import Profile

FORMAT_KEY = "$format"
FORMAT = "yusuan-document/1"
_MARKER = re.compile(r'^\ufeff?\s*\{\s*"\$format"\s*:\s*"yusuan-document/')


def is_document_json(text: str) -> bool:
    """Whether a text is yusuan's JSON of a Document (by its leading format marker)."""
    return bool(_MARKER.match(text[:200]))


def document_from_json(text: str, path: str = "") -> Document:
    """The Document a `yusuan.render.json` file holds. InputError when it is damaged or of
    a format version this yusuan does not know."""
    name = path or "JSON"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name} 是 yusuan 的 JSON 文档，但已损坏（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"
        ) from exc
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT:
        found = data.get(FORMAT_KEY) if isinstance(data, dict) else None
        raise InputError(f"{name} 的格式「{found}」不是本版 yusuan 能读的 {FORMAT}")
    data = {k: v for k, v in data.items() if k != FORMAT_KEY}
    try:
        doc = _load(Document, data, "")
    except (TypeError, ValueError, KeyError, InvalidOperation) as exc:
        raise InputError(f"{name} 不是完整的 yusuan JSON 文档：{exc}") from exc
    assert isinstance(doc, Document)
    # Provenance stays as it was, and so does the source's format: pages and boxes are the
    # PDF's the document was first read from (rules on PDF pages still apply). Only the path
    # names this file, as the one given.
    doc.source = dataclasses.replace(doc.source, path=path or doc.source.path)
    return doc


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, localns={"Profile": Profile, "SourceInfo": SourceInfo})


def _load(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        if value is None and type(None) in options:
            return None
        last: Exception | None = None
        for option in options:
            if option is type(None):
                continue
            try:
                return _load(option, value, where)
            except (TypeError, ValueError, KeyError, InvalidOperation) as exc:
                last = exc  # a record of another shape: its fields are not these
        raise TypeError(f"{where}：{value!r} 不符合 {tp}") from last
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_load(item, v, f"{where}[{n}]") for n, v in enumerate(_seq(value, where))]
    if origin is tuple:
        args = typing.get_args(tp)
        items = _seq(value, where)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v, f"{where}[{n}]") for n, v in enumerate(items))
        if len(args) != len(items):
            raise ValueError(f"{where}：应有 {len(args)} 项，实有 {len(items)} 项")
        return tuple(
            _load(a, v, f"{where}[{n}]") for n, (a, v) in enumerate(zip(args, items, strict=True))
        )
    if origin is dict:
        key_type, value_type = typing.get_args(tp)
        if not isinstance(value, dict):
            raise TypeError(f"{where}：应为对象")
        return {
            _load(key_type, k, where): _load(value_type, v, f"{where}.{k}")
            for k, v in value.items()
        }
    if isinstance(tp, type):
        return _scalar_or_record(tp, value, where)
    raise TypeError(f"{where}：不支持的类型 {tp}")


def _scalar_or_record(tp: type, value: Any, where: str) -> Any:
    if tp is Decimal:
        if not isinstance(value, str):  # amounts are written as strings, never floats
            raise TypeError(f"{where}：金额应为字符串")
        return Decimal(value)
    if issubclass(tp, Enum):
        return tp(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{where}：应为 true/false")
        return value
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # a coordinate written without decimals
    if tp in (int, float, str):
        if not isinstance(value, tp) or isinstance(value, bool):
            raise TypeError(f"{where}：应为 {tp.__name__}")
        return value
    if issubclass(tp, Profile):
        return Profile.model_validate(value)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise TypeError(f"{where}：应为对象")
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        unknown = set(value) - names
        if unknown:
            raise KeyError(
                f"{where or tp.__name__} 有模型中没有的字段：{'、'.join(sorted(unknown))}"
            )
        kwargs = {k: _load(hints[k], v, f"{where}.{k}" if where else k) for k, v in value.items()}
        return tp(**kwargs)
    raise TypeError(f"{where}：不支持的类型 {tp.__name__}")


def _seq(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{where}：应为数组")
    return value
