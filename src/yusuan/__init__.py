"""yusuan — 预算公开文件的读取、审核、编制与汇总.

>>> import yusuan
>>> doc = yusuan.read("examples/2024_xinjiang_hrss_budget.md")
>>> report = yusuan.audit(doc)
>>> report.summary.errors
3
>>> text = report.to_json()
"""

from __future__ import annotations

__version__ = "0.1.0"

from yusuan.audit import Report, audit
from yusuan.errors import InputError, YusuanError
from yusuan.model.document import Document
from yusuan.readers.read import read, read_text
from yusuan.readers.sets import read_set

__all__ = [
    "Document",
    "InputError",
    "Report",
    "YusuanError",
    "__version__",
    "audit",
    "read",
    "read_set",
    "read_text",
]
