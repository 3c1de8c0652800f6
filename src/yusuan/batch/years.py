"""Across years, in the store: each stored document against the same department's document of
the year before (rule family H, documented in `yusuan.audit.rules.years`).

Department identity is the normalised department name plus region, kind (预算/决算) and scope
(部门/单位); the match is recorded in `doc_matches` with what the comparison found. Run after
every batch over the pairs that involve a document of the batch, so the order in which a batch
stores the years does not matter, and a pair is compared once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yusuan.audit.registry import get_rule
from yusuan.store import Store
from yusuan.store.base import now
from yusuan.text import normalize_name

METHOD = "部门名称+地区+类型+范围"
_WAN = Decimal(10000)


@dataclass
class YearsResult:
    pairs: int = 0
    checks: int = 0
    errors: int = 0
    notices: int = 0


def _key(
    department: str, region: str | None, kind: str | None, scope: str | None
) -> tuple[str, ...]:
    return (normalize_name(department), region or "", kind or "", scope or "")


def _wan(yuan: Decimal) -> str:
    return f"{yuan / _WAN:,.2f}"


def check_years(store: Store, doc_ids: Iterable[str], tool_version: str) -> YearsResult:
    """Compare every (document, previous year) pair that involves one of `doc_ids`."""
    result = YearsResult()
    wanted = set(doc_ids)
    _, docs = store.query(
        "SELECT doc_id, department, region, year, kind, scope, file_name, n_statements "
        "FROM documents WHERE status = 'ok' AND department IS NOT NULL AND year IS NOT NULL"
    )
    groups: dict[tuple[str, ...], dict[int, list[tuple[Any, ...]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for d in docs:
        groups[_key(d[1], d[2], d[4], d[5])][int(d[3])].append(d)
    done = {
        (str(r[0]), str(r[1])) for r in store.execute("SELECT doc_id, previous_id FROM doc_matches")
    }
    for years in groups.values():
        for year, current in years.items():
            before = years.get(year - 1)
            if not before:
                continue
            # Several files of one year (报表 and 说明 published apart): the one saying most.
            prev = max(before, key=lambda d: (d[7] or 0, d[0]))
            for doc in current:
                if (doc[0], prev[0]) in done or (doc[0] not in wanted and prev[0] not in wanted):
                    continue
                _compare(store, doc, prev, tool_version, result)
    return result


def _statements(store: Store, doc_id: str) -> list[tuple[Any, ...]]:
    _, rows = store.query(
        "SELECT seq, section, subject, amount_yuan, amount_half_yuan, last_year_yuan, "
        "last_year_half_yuan, change_word, text, page, line FROM statements WHERE doc_id = ? "
        "ORDER BY seq",
        (doc_id,),
    )
    return rows


def _compare(
    store: Store, doc: tuple[Any, ...], prev: tuple[Any, ...], version: str, result: YearsResult
) -> None:
    rule = get_rule("H101")
    assert rule is not None
    published: dict[tuple[str, str], tuple[Any, ...]] = {}
    by_subject: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for st in _statements(store, prev[0]):
        if st[3] is None:
            continue
        subject = normalize_name(st[2])
        published.setdefault((st[1] or "", subject), st)
        by_subject[subject].append(st)
    seq = int(store.execute("SELECT COUNT(*) FROM findings WHERE doc_id = ?", (doc[0],))[0][0])
    rows: list[tuple[Any, ...]] = []
    checks = errors = notices = 0
    for st in _statements(store, doc[0]):
        last, half = st[5], st[6]
        if last is None:
            continue
        subject = normalize_name(st[2])
        other = published.get((st[1] or "", subject))
        if other is None and len(by_subject.get(subject, ())) == 1:
            other = by_subject[subject][0]  # the section was renamed, the subject is unique
        if other is None:
            continue
        checks += 1
        diff = abs(last - other[3])
        if diff == 0:
            continue
        allowance = (half or 0) + (other[4] or 0)
        severity = "notice" if diff <= allowance else "error"
        if severity == "error":
            errors += 1
        else:
            notices += 1
        seq += 1
        message = (
            f"「{st[2]}」比上年{st[7] or '增减'}所隐含的上年数为 {_wan(last)} 万元，"
            f"而 {prev[3]} 年公开文件（{prev[6]}）中为 {_wan(other[3])} 万元，相差 {_wan(diff)} 万元"
            + ("（在四舍五入范围内）" if severity == "notice" else "")
        )
        rows.append(
            (
                doc[0],
                seq,
                rule.id,
                rule.slug,
                severity,
                message,
                None,
                st[2],
                None,
                st[1],
                st[9],
                None if st[10] is None else str(st[10]),
                None,
                None,
                _wan(other[3]),
                _wan(last),
                _wan(diff),
                f"{st[10]}: {st[8]}" if st[10] is not None else st[8],
            )
        )
    from yusuan.store.records import FINDING_COLUMNS

    store.begin()
    try:
        claimed = store.execute(
            "INSERT INTO doc_matches (doc_id, previous_id, method, department, region, checks, "
            "errors, notices, tool_version, matched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (doc_id, previous_id) DO NOTHING RETURNING doc_id",
            (doc[0], prev[0], METHOD, doc[1], doc[2], checks, errors, notices, version, now()),
        )
        if not claimed:  # a concurrent batch compared this pair first
            store.rollback()
            return
        if rows:
            store.bulk_insert("findings", FINDING_COLUMNS, rows)
        store.execute(
            "UPDATE documents SET errors = errors + ?, notices = notices + ?, checks = checks + ? "
            "WHERE doc_id = ?",
            (errors, notices, checks, doc[0]),
        )
        store.commit()
    except BaseException:
        store.rollback()
        raise
    result.pairs += 1
    result.checks += checks
    result.errors += errors
    result.notices += notices
