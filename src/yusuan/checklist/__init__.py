"""The inspection checklist (检查表): rows, verdicts, compliance score, and comparison with an
inspector's filled checklist. `items.toml` says which finding feeds which row."""

from yusuan.checklist.build import (
    CONFIRM,
    FAIL,
    MANUAL,
    PASS,
    Checklist,
    Item,
    build_checklist,
    item_key,
)

__all__ = [
    "CONFIRM",
    "FAIL",
    "MANUAL",
    "PASS",
    "Checklist",
    "Item",
    "build_checklist",
    "item_key",
]
