"""Build a disclosure from a ledger (台账) and a department file.

    >>> from yusuan.compose import build
    >>> result = build("examples/ledger/2024_xinjiang_hrss_ledger.csv",
    ...                "examples/ledger/2024_xinjiang_hrss_department.toml")
    >>> result.document.tables["T1"].title
    '部门收支总体情况表'

The ledger gives every figure; the department file what a ledger cannot (names, texts,
reasons, 政府采购, 国有资产, 绩效目标). Tables are compiled exactly in 分 and rounded to
0.01 万元 when printed; the narrative is written from the same exact sums. The Document is
the one every reader produces, so it audits, renders and compares like a read disclosure.
See docs/build.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yusuan.compose.compile import Compiled, compile_tables
from yusuan.compose.department import Department, load_department
from yusuan.compose.errors import BuildError, Issue
from yusuan.compose.ledger import Ledger, read_ledger
from yusuan.compose.names import CodeNames
from yusuan.compose.narrative import Claim, Para, PerfRef, TableRef
from yusuan.compose.story import narrative_ids, write_story
from yusuan.compose.template import Template, load_template
from yusuan.errors import ProfileError
from yusuan.gc_pause import gc_paused
from yusuan.model.document import (
    Document,
    ParagraphPlace,
    PerformancePlace,
    Place,
    TablePlace,
)
from yusuan.model.provenance import Loc, SourceInfo
from yusuan.profiles import list_profiles, load_profile
from yusuan.readers.assemble import assemble
from yusuan.readers.ir import RawDocument, RawParagraph, RawTable

__all__ = [
    "BuildError",
    "BuildResult",
    "Issue",
    "build",
    "build_document",
    "buildable_profiles",
    "prepare",
]


def buildable_profiles() -> list[str]:
    """Ids of the bundled profiles a ledger can be built into: each has its narrative's
    Jinja2 template in compose/narratives/ and tables the builder can lay out."""
    out: list[str] = []
    for profile in list_profiles():
        if profile.id not in narrative_ids():
            continue
        try:
            load_template(profile)
        except ProfileError:
            continue
        out.append(profile.id)
    return out


@dataclass(slots=True)
class BuildResult:
    document: Document
    claims: list[Claim]  # the figures the narrative states, as written
    missing: list[str]  # department-file keys left as visible placeholders
    compiled: Compiled


def prepare(dept: Department, dept_path: str = "部门文件") -> tuple[Template, CodeNames]:
    """The template (from the department file's profile) and the code names for its year."""
    try:
        profile = load_profile(dept.profile)
        template = load_template(profile, dept.sangong_codes)
        if profile.id not in narrative_ids():
            raise ProfileError(
                f"模板「{profile.id}」不能用于编制：没有说明模板（compose/narratives/{profile.id}.md.j2）"
            )
    except ProfileError as exc:
        raise BuildError([Issue(dept_path, exc.message, column="profile")]) from exc
    return template, CodeNames(dept.year, dept.codes)


def build(ledger_path: str | Path, dept_path: str | Path) -> BuildResult:
    """Read, validate and compile. Raises BuildError (never returns a partial document)."""
    dpath = Path(dept_path)
    dept = load_department(dpath)
    template, names = prepare(dept, str(dpath))
    with gc_paused():  # a million lines make millions of objects that all live on
        ledger = read_ledger(Path(ledger_path), template, dept, names)
        compiled = compile_tables(ledger, template, dept, names)
        # Compiled, the lines are in the tables and totals: a ledger of a million lines
        # (~350 MB) need not stay while the narrative is written and read back.
        ledger.lines = {}
        return build_document(ledger, dept, template, names, str(dpath), compiled=compiled)


def build_document(
    ledger: Ledger,
    dept: Department,
    template: Template,
    names: CodeNames,
    dept_path: str = "部门文件",
    compiled: Compiled | None = None,
) -> BuildResult:
    """The Document of a validated ledger (`compiled`: its tables, when already compiled)."""
    if compiled is None:
        compiled = compile_tables(ledger, template, dept, names)
    story = write_story(dept, compiled, template, names, dept_path)
    raw = RawDocument()
    order: list[Place] = []
    nowhere = Loc()  # a built paragraph was read from no place: one Loc serves them all
    paragraphs = raw.paragraphs
    for block in story.blocks:
        if isinstance(block, Para):
            order.append(ParagraphPlace(len(paragraphs)))
            paragraphs.append(RawParagraph(block.text, nowhere, heading_level=block.level))
        elif isinstance(block, TableRef):
            order.append(TablePlace(block.key))
        elif isinstance(block, PerfRef):
            order.append(PerformancePlace(block.index))
    # The blocks are paragraphs now: let a million of them go before the narrative is read.
    story.blocks = []
    # Statements are read with the department's name removed from their subjects; a table's
    # 编制部门 line is how the assembler knows it (the typed tables are attached below).
    raw.tables.append(RawTable(title="", title_loc=Loc(), org=dept.department))
    source = SourceInfo(path=ledger.path, format="ledger", encoding=None)
    # The shared assembler reads the narrative exactly as it reads a published one (the
    # reading order is the blocks', set below: `raw.order` is left empty).
    doc = assemble(raw, source, template.profile)
    doc.extra_tables = []
    doc.department = dept.department
    doc.year = dept.year
    for para, read in zip(doc.paragraphs, paragraphs, strict=True):
        para.level = read.heading_level
    doc.tables = compiled.tables
    doc.performance = story.performance
    doc.order = order
    doc.profile_confidence = 1.0  # built from this profile, whatever the titles say
    return BuildResult(doc, story.claims, story.missing, compiled)
