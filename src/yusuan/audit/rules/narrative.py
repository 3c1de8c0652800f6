"""N3xx — the narrative against the tables: amounts, shares, (项) paragraphs, projects,
涉密 and 绩效 summaries, and the 部门概况 counts."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from yusuan.audit.binding import (
    bind,
    find_row_by_bracketed_code,
    find_row_by_code,
    find_row_by_names,
    row_index,
)
from yusuan.audit.context import (
    ZERO,
    AuditContext,
    Unresolved,
    Value,
    fmt,
    total_of,
)
from yusuan.audit.findings import Location, Severity
from yusuan.audit.registry import Rule, register
from yusuan.audit.rules.percent import judge_percent
from yusuan.model.narrative import Figure, Project
from yusuan.model.provenance import Loc
from yusuan.model.tables import Row, RowKind, Table
from yusuan.text import normalize_name

_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTICE


@register
class NarrativeAmount(Rule):
    id = "N301"
    slug = "narrative-amount"
    title = "说明中的金额与表格一致"
    emits = (_E, _W, _N)
    description = (
        "情况说明中每一个可以对应到表格的金额都与表格一致：收支总预算、各收入来源、基本支出/项目支出、"
        "财政拨款、一般公共预算各类、每个（项）段落（按 类/款/项 路径在表5 中查找）、人员经费/公用经费、"
        "“三公”各项、上年结转结余、机关运行经费（不超过公用经费）。对应关系由模板的 `sections` 声明。"
    )
    bad = "“社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）：2024 年预算数为 4,764.82 万元”，表5 为 4,746.82"
    good = "“…行政运行（项）：2024 年预算数为 4,746.82 万元”"

    def run(self, ctx: AuditContext) -> None:
        for st in ctx.doc.statements:
            if st.amount is None:
                continue
            try:
                binding = bind(ctx, st)
            except Unresolved as exc:
                ctx.skip(f"「{st.subject}」：{exc.reason}", ctx.where(st))
                continue
            if binding is None:
                continue
            stated = Value.of_figure(st.amount, "说明")
            table_value = binding.value
            if binding.missing and st.amount.value == 0:
                ctx.passed()
                continue
            if binding.relation == "eq" and _tail_adjusted(stated, table_value):
                # 北京 prints 万元 to six decimals in the tables and two in the narrative, and
                # adjusts the parts' last digit so they add up to the rounded total (尾差调整).
                ctx.report(
                    _N,
                    "「{subject}」：说明 {stated}，{table_label} {table_amount}，"
                    "相差不到末位 1 个单位（四舍五入或尾差调整）",
                    ctx.where(st, table_value.locs),
                    params={
                        "subject": st.subject,
                        "stated": fmt(stated.amount, stated.decimals),
                        "table_label": table_value.label,
                        "table_amount": fmt(table_value.in_unit(stated.unit).amount, 6),
                    },
                    check=binding.key,
                    counts_as_passed=True,
                )
                continue
            ctx.compare(
                stated,
                table_value,
                subject=f"「{st.subject}」",
                location=partial(ctx.where, st, table_value.locs),
                relation=binding.relation,
                severity=Severity(binding.severity),
                check=binding.key,
            )


def _tail_adjusted(stated: Value, table: Value) -> bool:
    """A stated amount one unit of its last printed digit off a table figure printed with more
    decimals (7,633.51 for 7,633.516247): rounding, or the parts adjusted to add up to the
    rounded total — no inconsistency."""
    right = table.in_unit(stated.unit)
    if right.decimals <= stated.decimals or stated.decimals <= 0:
        return False
    diff = abs(stated.amount - right.amount)
    return stated.half_unit < diff < Decimal(1).scaleb(-stated.decimals)


@register
class NarrativeShare(Rule):
    id = "N302"
    slug = "narrative-share"
    title = "说明中的占比"
    emits = (_E, _N)
    description = (
        "“占 Y%”等于 该项金额 ÷ 基数 × 100，保留两位小数；基数由模板的 `share_base` 给出"
        "（收入说明为收入总计，支出说明为支出总计，当年拨款结构为一般公共预算总计）。"
        "与四舍五入结果相差 0.01 个百分点（常见于为凑足 100% 的尾差调整）记为提示。"
    )
    bad = "“教育支出（类）9,915.07 万元，占 19.76%”（52,864.04 的 18.76%）"
    good = "“教育支出（类）9,915.07 万元，占 18.76%”"

    def run(self, ctx: AuditContext) -> None:
        for st in ctx.doc.statements:
            if st.share is None or st.section is None:
                continue
            spec = ctx.section(st.section)
            if spec is None or not spec.share_base:
                continue
            if st.amount is None:
                ctx.skip(f"「{st.subject}」有占比但没有金额", ctx.where(st))
                continue
            try:
                bases = [ctx.resolve(r) for r in spec.share_base]
            except Unresolved as exc:
                ctx.skip(f"「{st.subject}」的占比基数：{exc.reason}", ctx.where(st))
                continue
            base = bases[0] if len(bases) == 1 else total_of(bases, "基数")
            part = Value.of_figure(st.amount, st.subject)
            judge_percent(
                ctx,
                stated=st.share,
                numerator=part,
                denominator=base,
                subject=f"「{st.subject}」占比",
                formula=partial(_share_formula, part, base),
                location=partial(ctx.where, st, base.locs),
            )


def _share_formula(part: Value, base: Value) -> str:
    return f"{fmt(part.amount, part.decimals)} ÷ {base.label} {fmt(base.amount)}"


@register
class ItemParagraphMissing(Rule):
    id = "N303"
    slug = "item-paragraph-missing"
    title = "每个（项）都有说明段落"
    emits = (_E,)
    description = (
        "一般公共预算当年拨款具体使用情况须逐项说明：表5 中每个金额不为零的（项）科目都应有一段"
        "“类（类）款（款）项（项）：…预算数为 X 万元…”的说明。"
    )
    bad = "表5 有 `2080101 行政运行 4,746.82`，说明中没有“…行政运行（项）”段落"
    good = "“5、社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）：2024 年预算数为 4,746.82 万元…”"

    def run(self, ctx: AuditContext) -> None:
        for spec in ctx.profile.sections:
            names = spec.names
            if names is None or not names.require_items:
                continue
            if spec.key not in ctx.doc.sections_found:
                continue  # C704 reports the missing section
            table = ctx.table(names.table)
            index = row_index(ctx, table)
            covered: set[str] = set()
            for st in ctx.doc.statements_in(spec.key):
                if not st.path:
                    # `行政运行（2010301）1,501.46万元` (西安): the 项 by name and code.
                    row = find_row_by_bracketed_code(index, st.subject)
                    if row is not None and row.code:
                        covered.add(row.code)
                    continue
                row = find_row_by_names(index, st.path, []) or find_row_by_code(index, st)
                if row is not None and row.code:
                    covered.add(row.code)
            levels = {r.level for r in table.rows if r.code in covered and r.level is not None}
            if not levels:
                ctx.skip(
                    f"“{spec.title}”中没有读到按科目（类/款/项）说明的段落，未核对逐项说明",
                    Location.of(table.loc, table=table.name, section=spec.title),
                )
                continue
            # Templates that explain per 类 (上海: `“社会保障和就业支出”科目132万元`) or per 款
            # are held to the deepest level the narrative itself uses.
            depth = min(3, max(levels))
            for row in table.rows:
                if row.level != depth or row.code is None or row.value(names.column) == 0:
                    continue
                if row.code in covered:
                    ctx.passed()
                    continue
                cell = row.cell(names.column)
                amount = fmt(row.value(names.column), cell.decimals if cell else 2)
                unit = table.unit.value if table.unit else "万元"
                ctx.report(
                    _E,
                    "{table} {code} {name} {amount} {unit}在“{section}”中没有对应的（{level}）段落",
                    Location.of(
                        [row.loc], table=table.name, section=spec.title, row=row.describe()
                    ),
                    params={
                        "table": table.name,
                        "code": row.code,
                        "name": row.label,
                        "amount": amount,
                        "unit": unit,
                        "section": spec.title,
                        "level": "类款项"[depth - 1],
                    },
                    expected=f"{row.code} {row.label}",
                )


def _project_index(ctx: AuditContext, table: Table) -> dict[str, list[Row]]:
    """The table's project rows by normalised project name, built once per audit: looking
    each project up is then constant time (a scan per project is quadratic in a ledger-sized
    document)."""
    memo = ctx.cache.setdefault("project-rows", {})
    index = memo.get(id(table))
    if index is None:
        rows: dict[str, list[Row]] = {}
        for row in table.rows:
            if row.kind is RowKind.PROJECT and row.project is not None:
                rows.setdefault(normalize_name(row.project), []).append(row)
        memo[id(table)] = index = rows
    return index  # type: ignore[return-value]


def _project_rows(ctx: AuditContext, table: Table, project: Project, column: str) -> list[Value]:
    unit = normalize_name(project.unit_name) if project.unit_name else None
    out = []
    for row in _project_index(ctx, table).get(normalize_name(project.name), ()):
        if unit is not None and row.unit_name is not None and normalize_name(row.unit_name) != unit:
            continue
        out.append(Value.of_cell(row.cell(column), "", table.unit, row.loc))
    return out


@register
class ProjectScale(Rule):
    id = "N304"
    slug = "project-scale"
    title = "项目预算安排规模与表7 一致"
    emits = (_E, _N)
    description = (
        "项目支出情况说明中每个项目的“预算安排规模”等于表7 中该单位该项目各行（可能分列在多个科目下）之和。"
        "项目名称比较时忽略空格和全角/半角括号差异。"
    )
    bad = "“项目名称：自治区人事人才项目 … 预算安排规模：538.00万元”，表7 本级该项目 4.50 + 249.50 + 329.00 = 583.00"
    good = "“预算安排规模：583.00万元”"

    def run(self, ctx: AuditContext) -> None:
        spec = ctx.profile.projects
        if spec is None:
            return
        table = ctx.table(spec.table)
        for project in ctx.doc.projects:
            if project.scale is None:
                continue
            rows = _project_rows(ctx, table, project, spec.column)
            where = Location.of(
                [project.loc, project.scale.loc, *(loc for v in rows for loc in v.locs)],
                section="项目支出情况说明",
                table=table.name,
                row=project.name,
            )
            if not rows:
                ctx.report(
                    _E,
                    "项目「{project}」（{unit}）预算安排规模 {scale} 万元，但{table}中没有该单位的这个项目",
                    where,
                    params={
                        "project": project.name,
                        "unit": project.unit_name or "未注明单位",
                        "scale": fmt(project.scale.value),
                        "table": table.name,
                    },
                    expected=project.name,
                )
                continue
            ctx.compare(
                Value.of_figure(project.scale, "预算安排规模"),
                total_of(rows, f"{table.name}该项目合计"),
                subject=f"项目「{project.name}」",
                location=where,
                check=project.name,
            )


@register
class ProjectMissing(Rule):
    id = "N305"
    slug = "project-missing"
    title = "表7 的项目都有说明"
    emits = (_E,)
    description = (
        "表7 中每个单位的每个项目都应在“项目支出情况说明”中有一段说明（涉密项目写明不予公开）。"
    )
    bad = "表7 公共就业服务中心有“公共就业服务专项 5.00”，说明中没有该项目"
    good = "“（一十六）项目名称：公共就业服务专项 … 项目承担单位：新疆维吾尔自治区公共就业服务中心”"

    def run(self, ctx: AuditContext) -> None:
        spec = ctx.profile.projects
        if spec is None:
            return
        section = next((s for s in ctx.profile.sections if s.kind == "projects"), None)
        if section is not None and section.key not in ctx.doc.sections_found:
            return  # C704 reports the missing section
        table = ctx.table(spec.table)
        described = {
            (normalize_name(p.unit_name or ""), normalize_name(p.name)) for p in ctx.doc.projects
        }
        names_only = {normalize_name(p.name) for p in ctx.doc.projects if not p.unit_name}
        seen: set[tuple[str, str]] = set()
        for row in table.rows:
            if row.kind is not RowKind.PROJECT or row.project is None:
                continue
            key = (normalize_name(row.unit_name or ""), normalize_name(row.project))
            if key in seen:
                continue
            seen.add(key)
            if key in described or key[1] in names_only:
                ctx.passed()
                continue
            ctx.report(
                _E,
                "{table}中 {unit} 的项目「{project}」在项目支出情况说明中没有说明",
                Location.of([row.loc], table=table.name, row=row.project),
                params={"table": table.name, "unit": row.unit_name or "", "project": row.project},
                expected=row.project,
            )


def _secret_projects(ctx: AuditContext) -> tuple[int, Value] | None:
    spec = ctx.profile.projects
    if spec is None:
        return None
    table = ctx.table(spec.table)
    secret = [p for p in ctx.doc.projects if p.secret]
    values: list[Value] = []
    for p in secret:
        values.extend(_project_rows(ctx, table, p, spec.column))
    return len(secret), total_of(values, f"{table.name}涉密项目合计")


@register
class SecretProjects(Rule):
    id = "N306"
    slug = "secret-projects"
    title = "涉密项目个数与金额"
    emits = (_E,)
    description = (
        "说明中“N 个涉密项目，涉及预算资金 X 万元”与项目说明中标注“完全不予公开”的项目个数、"
        "以及这些项目在表7 中的金额合计一致。"
    )
    bad = (
        "“部门有 18 个涉密项目，涉及预算资金 3,480.67 万元”，而 18 个涉密项目在表7 中合计 3,080.67"
    )
    good = "“部门有 18 个涉密项目，涉及预算资金 3,080.67 万元”"

    def run(self, ctx: AuditContext) -> None:
        statements = [c for c in ctx.doc.counted if "涉密" in c.label]
        if not statements:
            return
        found = _secret_projects(ctx)
        if found is None:
            return
        count, total = found
        for c in statements:
            ok_count = c.count.value == count
            stated = Value.of_figure(c.amount, "说明")
            verdict_ok = abs(stated.amount - total.amount) <= Decimal("0.005") * max(1, total.terms)
            if ok_count and verdict_ok:
                ctx.passed()
                continue
            template = (
                "说明称 {stated_count} 个涉密项目涉及 {stated_amount} 万元；"
                "项目说明中涉密项目 {count} 个，在表7 中合计 {amount} 万元"
            )
            params: dict[str, object] = {
                "stated_count": c.count.raw,
                "stated_amount": fmt(c.amount.value),
                "count": count,
                "amount": fmt(total.amount),
            }
            evidence: list[Loc | None] = [c.loc, *total.locs]  # the sentence and its 表7 rows
            carry = _carryover_secret(ctx)
            if carry is not None and not verdict_ok and stated.amount - total.amount == carry[1]:
                template += (
                    "；差额 {carryover_amount} 与表11 涉密项目（{carryover_projects}）金额相同，"
                    "似将结转项目计入金额而未计入个数"
                )
                params |= {"carryover_amount": fmt(carry[1]), "carryover_projects": carry[0]}
                evidence += carry[2]
            where = Location.of(evidence, section=ctx.section_title(c.section))
            ctx.report(
                _E,
                template,
                where,
                params=params,
                expected=f"{count} 个 / {fmt(total.amount)}",
                actual=f"{c.count.raw} 个 / {fmt(c.amount.value)}",
                difference=fmt(abs(stated.amount - total.amount)),
            )


def _carryover_secret(ctx: AuditContext) -> tuple[str, Decimal, list[Loc]] | None:
    spec = ctx.profile.projects
    if spec is None or spec.carryover_table is None:
        return None
    table = ctx.doc.tables.get(spec.carryover_table)
    if table is None:
        return None
    names = []
    locs: list[Loc] = []
    amount = ZERO
    for row in table.rows:
        if row.kind is RowKind.PROJECT and row.project:
            names.append(row.project)
            locs.append(row.loc)
            amount += row.value("total")
    return ("、".join(names), amount, locs) if names else None


@register
class PerformanceSummary(Rule):
    id = "N307"
    slug = "performance-summary"
    title = "绩效目标个数与金额"
    emits = (_W,)
    description = (
        "预算绩效情况中“整体预算绩效目标 N 个，涉及金额 X 万元”“当年财政拨款项目 N 个，涉及预算金额 X 万元”"
        "“当年非财政拨款项目 N 个 …”与其后的绩效目标表一致：个数为相应的表数，金额为表中资金之和。"
        "口径可能不同（例如金额按全部项目支出、个数按公开的表），故记为警告，并列出表中实际的个数与金额。"
    )
    bad = "“当年财政拨款项目 12 个，涉及预算金额 34,530.67 万元”，而 12 张项目绩效目标表的财政拨款合计 31,947.00"
    good = "“当年财政拨款项目 12 个，涉及预算金额 31,947.00 万元”"

    def run(self, ctx: AuditContext) -> None:
        projects = [p for p in ctx.doc.performance if p.kind == "project"]
        overall = [p for p in ctx.doc.performance if p.kind == "overall"]
        for c in ctx.doc.counted:
            if c.section is None or _section_kind(ctx, c.section) != "performance":
                continue
            label = c.label
            options: list[tuple[str, int, Decimal]] = []
            if "整体" in label:
                total = sum(
                    (
                        _fig(p.fiscal) + _fig(p.other) if p.total is None else p.total.value
                        for p in overall
                    ),
                    ZERO,
                )
                options.append(("部门整体绩效目标表", len(overall), total))
            elif "非财政" in label:
                with_other = [p for p in projects if _fig(p.other) > 0]
                no_fiscal = [p for p in projects if _fig(p.fiscal) == 0]
                options.append(
                    (
                        "其他资金大于 0 的项目绩效目标表",
                        len(with_other),
                        sum((_fig(p.other) for p in with_other), ZERO),
                    )
                )
                options.append(
                    (
                        "无财政拨款的项目绩效目标表",
                        len(no_fiscal),
                        sum((_total(p) for p in no_fiscal), ZERO),
                    )
                )
            elif "财政拨款" in label:
                fiscal = [p for p in projects if _fig(p.fiscal) > 0]
                options.append(
                    (
                        "有财政拨款的项目绩效目标表",
                        len(fiscal),
                        sum((_fig(p.fiscal) for p in fiscal), ZERO),
                    )
                )
                options.append(
                    (
                        "有财政拨款的项目绩效目标表（按年度预算总额）",
                        len(fiscal),
                        sum((_total(p) for p in fiscal), ZERO),
                    )
                )
            else:
                continue
            if any(
                n == c.count.value and abs(a - c.amount.value) < Decimal("0.01")
                for _, n, a in options
            ):
                ctx.passed()
                continue
            found = "；".join(f"{name} {n} 张，合计 {fmt(a)} 万元" for name, n, a in options)
            ctx.report(
                _W,
                "说明称“{label}” {stated_count} 个、{stated_amount} 万元，与绩效目标表不符：{found}",
                Location.of([c.loc], section=ctx.section_title(c.section)),
                params={
                    "label": label,
                    "stated_count": c.count.raw,
                    "stated_amount": fmt(c.amount.value),
                    "found": found,
                },
                expected=found,
                actual=f"{c.count.raw} 个 / {fmt(c.amount.value)}",
            )


def _section_kind(ctx: AuditContext, key: str) -> str | None:
    spec = ctx.section(key)
    return spec.kind if spec else None


def _fig(f: Figure | None) -> Decimal:
    return f.value if f is not None else ZERO


def _total(p: object) -> Decimal:
    total = getattr(p, "total", None)
    if total is not None:
        return Decimal(total.value)
    return _fig(getattr(p, "fiscal", None)) + _fig(getattr(p, "other", None))


@register
class OverviewCounts(Rule):
    id = "N308"
    slug = "overview-counts"
    title = "部门概况中的个数"
    emits = (_E,)
    description = (
        "部门概况中的个数与所列名单一致：“本级及下属 N 家预算单位”= 名单 − 1（本级），"
        "“行政单位 a 家，（参公单位 c 家，）事业单位 b 家”之和 = 名单数，“下设 N 个处室，分别是：…”= 所列处室数。"
    )
    bad = "“下属 8 家预算单位”，名单列出 1 个本级和 7 个下属单位"
    good = "“下属 8 家预算单位”，名单列出本级和 8 个下属单位"

    def run(self, ctx: AuditContext) -> None:
        ov = ctx.doc.overview
        listed = len(ov.units)
        if listed and ov.subunits_stated is not None:
            self._count(
                ctx, ov.subunits_stated, listed - 1, "下属预算单位", [u.loc for u in ov.units]
            )
        if listed and ov.admin_units is not None and ov.public_units is not None:
            kinds = [ov.admin_units, ov.public_units]
            if ov.quasi_units is not None:
                kinds.insert(1, ov.quasi_units)
            stated = Figure(
                sum((k.value for k in kinds), Decimal(0)),
                "家",
                "+".join(k.raw for k in kinds),
                ov.admin_units.loc,
            )
            what = "行政、参公与事业单位" if ov.quasi_units is not None else "行政单位与事业单位"
            self._count(ctx, stated, listed, what, [u.loc for u in ov.units])
        if ov.offices and ov.offices_stated is not None:
            self._count(
                ctx, ov.offices_stated, len(ov.offices), "内设处室", [o.loc for o in ov.offices]
            )

    @staticmethod
    def _count(ctx: AuditContext, stated: Figure, listed: int, what: str, locs: list[Loc]) -> None:
        if stated.value == listed:
            ctx.passed()
            return
        ctx.report(
            _E,
            "部门概况称{what} {stated} 个（家），所列名单为 {listed} 个",
            Location.of([stated.loc, *locs], section="部门概况"),
            params={"what": what, "stated": stated.raw, "listed": listed},
            expected=str(listed),
            actual=stated.raw,
        )
