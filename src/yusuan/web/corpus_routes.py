"""The corpus pages (/corpus…) and their JSON API (/api/corpus/…): read-only browsing of the
store that `yusuan batch` fills. Without `--db`, or while the store cannot be opened, pages
say so and the API answers 503."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from yusuan.web.charts import Chart, columns, grouped_hbars, hbars, wan
from yusuan.web.corpus import Corpus, CorpusUnavailable
from yusuan.web.pages import render

T = TypeVar("T")
_DOC_ID = re.compile(r"[0-9a-f]{64}")


class Problem(BaseModel):
    detail: str


_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": "未配置语料库，或暂时无法打开"},
    422: {"model": Problem, "description": "请求不完整或格式有误"},
}


def plain(value: Any) -> Any:
    """JSON-ready without losing exactness: amounts as decimal strings, never floats."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _year(r: dict[str, Any]) -> str:
    return f"{r['year']} {r['doc_kind']}"


def function_years(rows: list[dict[str, Any]], width: int = 760) -> Chart | None:
    """Each function class (类) year by year (rows of `Corpus.function_by_year`, in year
    order): the classes largest in the latest year first. None below two years."""
    keys = list(dict.fromkeys(_year(r) for r in rows))
    if len(keys) < 2:
        return None
    values = {(_year(r), r["code"]): r["amount_yuan"] for r in rows}
    names: dict[str, str] = {}
    for r in rows:  # the latest year's name of a class
        names[r["code"]] = f"{r['code']} {r['name'] or ''}".strip()
    zero = Decimal(0)

    def order(code: str) -> tuple[Decimal, Decimal, str]:
        latest = values.get((keys[-1], code)) or zero
        most = max((values.get((k, code)) or zero for k in keys), default=zero)
        return (-latest, -most, code)

    codes = sorted(names, key=order)
    return grouped_hbars(
        "支出按功能分类（类）逐年比较",
        [names[c] for c in codes],
        [(k, [values.get((k, c)) for c in codes]) for k in keys],
        width=width,
    )


def _department_charts(corpus: Corpus, department: str, docs: list[dict[str, Any]]) -> list[Chart]:
    charts: list[Chart] = []
    split = corpus.basic_project(department)
    if split:
        years = [f"{r['year']} {r['doc_kind']}" for r in split]
        charts.append(
            columns(
                "基本支出与项目支出",
                years,
                [
                    ("基本支出", [r["basic_yuan"] for r in split]),
                    ("项目支出", [r["project_yuan"] for r in split]),
                ],
                stacked=True,
            )
        )
    sangong = corpus.sangong(department)
    if sangong:
        keys = list(dict.fromkeys(f"{r['year']} {r['doc_kind']}" for r in sangong))
        items = list(
            dict.fromkeys(r["item"] for r in sangong if r["item"] and "合计" not in r["item"])
        )
        values = {(f"{r['year']} {r['doc_kind']}", r["item"]): r["amount_yuan"] for r in sangong}
        charts.append(
            columns(
                "“三公”经费（按项目、年度）",
                keys,
                [(item, [values.get((k, item)) for k in keys]) for item in items],
                stacked=False,
            )
        )
    yearly = function_years(corpus.function_by_year(department))
    if yearly is not None:
        charts.insert(0, yearly)
    latest = next((d for d in docs if d["year"] is not None and d["department"]), None)
    if latest is not None:
        items = corpus.by_function(latest["department"], latest["year"], latest["kind"])
        if items:
            charts.insert(
                0, hbars(f"{latest['year']} 年{latest['kind']}支出（按功能分类·类）", items)
            )
    return charts


def _compare_departments(corpus: Corpus, a: str, b: str) -> dict[str, Any]:
    """Two departments over all their years: totals by year side by side, and each one's
    function classes year by year."""
    sides: list[dict[str, Any]] = []
    for name in (a, b):
        docs = corpus.documents_of(name)
        if not docs:
            raise HTTPException(404)
        split = corpus.basic_project(name)
        chart = function_years(corpus.function_by_year(name), width=540)
        latest = next((d for d in docs if d["year"] is not None and d["department"]), None)
        if chart is None and latest is not None:
            items = corpus.by_function(latest["department"], latest["year"], latest["kind"])
            if items:
                chart = hbars(
                    f"{latest['year']} 年{latest['kind']}支出（按功能分类·类）", items, width=540
                )
        sides.append({"department": name, "docs": docs, "split": split, "chart": chart})
    totals = [{_year(r): r["total_yuan"] for r in side["split"]} for side in sides]
    keys = sorted(set(totals[0]) | set(totals[1]), key=lambda k: (int(k.split(" ")[0]), k))
    chart = None
    if keys:
        chart = columns(
            "支出合计（按年度）",
            keys,
            [
                (side["department"], [t.get(k) for k in keys])
                for side, t in zip(sides, totals, strict=True)
            ],
            stacked=False,
        )
    rows = [{"year": k, "a": totals[0].get(k), "b": totals[1].get(k)} for k in keys]
    return {"sides": sides, "chart": chart, "rows": rows}


def _changes(split: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Total expenditure per year with the change on the year before (same kind), exact."""
    out: list[dict[str, Any]] = []
    last: dict[str, Decimal] = {}
    for r in split:
        total, kind = r["total_yuan"], r["doc_kind"]
        before = last.get(kind)
        change = total - before if total is not None and before is not None else None
        out.append({**r, "change_yuan": change})
        if total is not None:
            last[kind] = total
    return out


def corpus_router(corpus: Corpus) -> APIRouter:
    router = APIRouter()

    def _page(build: Callable[[], str]) -> Response:
        try:
            return HTMLResponse(build())
        except CorpusUnavailable as exc:
            return HTMLResponse(render("corpus/unavailable.html.j2", message=exc.message), 503)

    def _api(build: Callable[[], T]) -> Response:
        try:
            return JSONResponse(plain(build()))
        except CorpusUnavailable as exc:
            return JSONResponse({"detail": exc.message}, status_code=503)

    def _document(doc_id: str) -> dict[str, Any]:
        doc = corpus.document(doc_id) if _DOC_ID.fullmatch(doc_id) else None
        if doc is None:
            raise HTTPException(404)
        return doc

    # ---- pages ---------------------------------------------------------------------------

    @router.get("/corpus", response_class=HTMLResponse, include_in_schema=False)
    def regions_page() -> Response:
        return _page(lambda: render("corpus/regions.html.j2", regions=corpus.regions()))

    @router.get("/corpus/region", response_class=HTMLResponse, include_in_schema=False)
    def region_page(name: str) -> Response:
        return _page(
            lambda: render(
                "corpus/region.html.j2", region=name, departments=corpus.departments(name)
            )
        )

    @router.get("/corpus/department", response_class=HTMLResponse, include_in_schema=False)
    def department_page(name: str) -> Response:
        def build() -> str:
            docs = corpus.documents_of(name)
            if not docs:
                raise HTTPException(404)
            return render(
                "corpus/department.html.j2",
                department=name,
                docs=docs,
                charts=_department_charts(corpus, name, docs),
                changes=_changes(corpus.basic_project(name)),
                others=[d for d in corpus.department_names() if d != name],
                wan=wan,
            )

        return _page(build)

    @router.get("/corpus/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: str) -> Response:
        def build() -> str:
            doc = _document(doc_id)
            chart = None
            if doc["department"] and doc["year"] is not None:
                items = corpus.by_function(doc["department"], doc["year"], doc["kind"])
                if items:
                    chart = hbars("支出（按功能分类·类）", items)
            return render("corpus/document.html.j2", doc=doc, chart=chart)

        return _page(build)

    @router.get(
        "/corpus/documents/{doc_id}/tables/{table_no}",
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    def table_page(doc_id: str, table_no: int) -> Response:
        def build() -> str:
            doc = _document(doc_id)
            table = corpus.table(doc_id, table_no)
            if table is None:
                raise HTTPException(404)
            return render("corpus/table.html.j2", doc=doc, table=table)

        return _page(build)

    @router.get("/corpus/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "") -> Response:
        return _page(lambda: render("corpus/search.html.j2", q=q, found=corpus.search(q), wan=wan))

    @router.get("/corpus/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(a: str, b: str) -> Response:
        def build() -> str:
            sides = []
            for doc_id in (a, b):
                doc = _document(doc_id)
                items = (
                    corpus.by_function(doc["department"], doc["year"], doc["kind"])
                    if doc["department"] and doc["year"] is not None
                    else []
                )
                split = [
                    r
                    for r in corpus.basic_project(doc["department"] or "")
                    if r["year"] == doc["year"] and r["doc_kind"] == doc["kind"]
                ]
                sides.append(
                    {
                        "doc": doc,
                        "chart": hbars("支出（按功能分类·类）", items, width=540)
                        if items
                        else None,
                        "split": split[0] if split else None,
                    }
                )
            return render("corpus/compare.html.j2", sides=sides, wan=wan)

        return _page(build)

    @router.get("/corpus/compare/departments", response_class=HTMLResponse, include_in_schema=False)
    def compare_departments_page(a: str, b: str) -> Response:
        return _page(
            lambda: render(
                "corpus/compare_departments.html.j2", **_compare_departments(corpus, a, b), wan=wan
            )
        )

    # ---- JSON API ------------------------------------------------------------------------

    @router.get(
        "/api/corpus/regions",
        summary="语料库：地区",
        response_description="地区列表",
        responses=_UNAVAILABLE,
    )
    def regions_api() -> Response:
        return _api(corpus.regions)

    @router.get(
        "/api/corpus/departments",
        summary="语料库：某地区的部门",
        response_description="部门列表",
        responses=_UNAVAILABLE,
    )
    def departments_api(region: Annotated[str, Query(description="地区名称")]) -> Response:
        return _api(lambda: corpus.departments(region))

    @router.get(
        "/api/corpus/documents",
        summary="语料库：某部门的各年度文件",
        response_description="文件列表",
        responses=_UNAVAILABLE,
    )
    def documents_api(department: Annotated[str, Query(description="部门名称")]) -> Response:
        return _api(lambda: corpus.documents_of(department))

    @router.get(
        "/api/corpus/documents/{doc_id}",
        summary="语料库：一份文件（表与问题）",
        response_description="文件",
        responses={404: {"model": Problem, "description": "没有这份文件"}, **_UNAVAILABLE},
    )
    def document_api(doc_id: str) -> Response:
        try:
            return _api(lambda: _document(doc_id))
        except HTTPException:
            return JSONResponse({"detail": "没有这份文件"}, status_code=404)

    @router.get(
        "/api/corpus/series",
        summary="语料库：某部门逐年的图表数据（支出合计与基本/项目、按功能分类、三公）",
        response_description="逐年数据，金额为元（十进制字符串）",
        responses={404: {"model": Problem, "description": "没有这个部门"}, **_UNAVAILABLE},
    )
    def series_api(department: Annotated[str, Query(description="部门名称")]) -> Response:
        def build() -> dict[str, Any]:
            if not corpus.documents_of(department):
                raise HTTPException(404)
            return {
                "department": department,
                "totals": _changes(corpus.basic_project(department)),
                "by_function": corpus.function_by_year(department),
                "sangong": corpus.sangong(department),
            }

        try:
            return _api(build)
        except HTTPException:
            return JSONResponse({"detail": "没有这个部门"}, status_code=404)

    @router.get(
        "/api/corpus/search",
        summary="语料库：按部门名称或科目编码查找",
        response_description="查找结果",
        responses=_UNAVAILABLE,
    )
    def search_api(
        q: Annotated[str, Query(description="部门名称中的文字，或科目编码")],
    ) -> Response:
        return _api(lambda: corpus.search(q))

    return router
