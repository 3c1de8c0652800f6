"""Everything users can name is documented: rules, commands, options, JSON fields, profiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from yusuan.audit.registry import Rule, all_rules
from yusuan.audit.report import Report
from yusuan.cli import app
from yusuan.profiles import list_profiles
from yusuan.rules_doc import rules_markdown

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_rules_md_is_generated_from_the_registry() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `make docs`"
    )


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_has_its_doc_entry(rule: Rule) -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    rid, slug = rule.id, rule.slug
    assert re.fullmatch(r"[A-Z]\d{3}", rid) and re.fullmatch(r"[a-z]+(-[a-z]+)*", slug)
    for attr in ("title", "description", "bad", "good"):
        assert len(getattr(rule, attr)) >= 4, f"{rid} has no {attr}"
    section = text.split(f"### {rid} {slug}\n", 1)
    assert len(section) == 2, f"{rid} {slug} missing from docs/rules.md"
    body = section[1].split("\n### ", 1)[0]
    assert "错误示例" in body and "正确示例" in body


def _commands() -> dict[str, typer.main.click.Command]:  # type: ignore[name-defined]
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_and_option_is_documented() -> None:
    cli_md = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name, command in _commands().items():
        doc = DOCS / f"{name}.md"
        text = (
            cli_md
            if f"`yusuan {name}" in cli_md
            else (doc.read_text(encoding="utf-8") if doc.exists() else "")
        )
        assert f"yusuan {name}" in text, f"command {name} is not documented"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in text, f"option {opt} of `yusuan {name}` is not documented"


def test_json_report_fields_are_documented(sample_report: Report) -> None:
    doc = (DOCS / "json-report.md").read_text(encoding="utf-8")
    data = sample_report.to_dict()
    keys = set(data) | {f"summary.{k}" for k in data["summary"]}
    keys |= {f"document.{k}" for k in data["document"]}
    keys |= {f"findings[].{k}" for k in data["findings"][0]}
    keys |= {f"findings[].location.{k}" for k in data["findings"][0]["location"]}
    for key in sorted(keys):
        leaf = key.rsplit(".", 1)[-1]
        forms = (f"`{leaf}`", f"`{key}`", f"`{key}[]`", f"`{leaf}[]`", f"/ `{leaf}`")
        assert any(form in doc for form in forms), f"{key} is not documented"


def test_every_profile_is_documented() -> None:
    text = (DOCS / "profiles.md").read_text(encoding="utf-8")
    for profile in list_profiles():
        assert f"`{profile.id}`" in text


def test_readme_front_door() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((docs/[^)#]+)\)", readme):
        assert (ROOT / link).exists(), f"README links to missing {link}"


def test_readme_python_example_runs() -> None:
    import yusuan

    doc = yusuan.read(ROOT / "examples" / "2024_xinjiang_hrss_budget.md")
    row = doc.tables["T6"].rows[1]
    assert (row.code, str(row.value("total"))) == ("301", "14983.05")
    report = yusuan.audit(doc)
    assert (report.summary.errors, report.summary.checks) == (3, 1674)
    assert '"rule": "F601"' in report.to_json()


def test_every_kind_and_role_is_documented() -> None:
    from yusuan.kinds import catalogue

    doc = (ROOT / "docs" / "kinds.md").read_text(encoding="utf-8")
    for item in [*catalogue().kind, *catalogue().role]:
        assert f"`{item.id}`" in doc, f"{item.id} is not documented in docs/kinds.md"
