"""The generic profile: what a document of an unknown template is read and audited with.

`generic_base()` holds only what every disclosure shares (narrative sections recognised by
common headings); the tables of each document are added by inference from the document
itself (`yusuan.readers.assemble.generic.infer_profile`), so the identities checked are only
those its header rows and codes establish. Chosen automatically when no bundled profile
recognises a table, or forced with `--profile generic`.
"""

from __future__ import annotations

from functools import cache

from yusuan.profiles.schema import Profile

GENERIC_ID = "generic"
GENERIC_NAME = "通用（未识别的模板）"
# Lower than any real match can be worth: a bundled profile that recognises one table of
# eleven (0.09) is still preferred, since `choose_profile` only falls back when none does.
GENERIC_CONFIDENCE = 0.05


@cache
def generic_base() -> Profile:
    return Profile.model_validate(
        {
            "id": GENERIC_ID,
            "name": GENERIC_NAME,
            "region": "（任意）",
            "kind": "预算",
            "unit": "万元",
            "tables": [],
            "sections": [
                {
                    "key": "overview",
                    "title": "部门概况",
                    "kind": "overview",
                    "match": [
                        "部门概况",
                        "单位概况",
                        "部门职责",
                        "主要职能",
                        "主要职责",
                        "机构设置",
                        "部门情况说明",
                        "单位情况说明",
                        "部门基本情况",
                    ],
                },
                {"key": "glossary", "title": "名词解释", "kind": "glossary", "match": ["名词解释"]},
                {
                    # Any other heading of a 情况说明: statements are read (so year-on-year
                    # changes, shares and stated sums are checked) but bound to no table.
                    "key": "narrative",
                    "title": "情况说明",
                    "kind": "statements",
                    "match": [
                        "说明",
                        "情况",
                        "预算",
                        "决算",
                        "收入",
                        "支出",
                        "经费",
                        "采购",
                        "资产",
                        "绩效",
                        "结转",
                    ],
                },
            ],
        }
    )
