"""The buildable templates: each worked example of a ledger and its department file.

A template can be built when an example shows it: `examples/ledger/<name>_ledger.<csv|xlsx>`
beside `<name>_department.<toml|yaml|yml>`. The list is found in the folder, not written here,
so that a template whose example is added joins the round-trip tests (build → every format →
read → audit) and the docs without a change to code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The checkout's examples (tests only: they are not installed with the package).
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "ledger"
LEDGER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
DEPARTMENT_SUFFIXES = (".toml", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Example:
    name: str  # the files' common stem: `2024_xinjiang_hrss`
    ledger: Path
    department: Path


def buildable(folder: Path = EXAMPLES) -> list[Example]:
    """Every example ledger with its department file in `folder`, by name."""
    if not folder.is_dir():
        return []
    found: list[Example] = []
    for ledger in sorted(folder.iterdir()):
        stem = ledger.stem
        if not stem.endswith("_ledger") or ledger.suffix.lower() not in LEDGER_SUFFIXES:
            continue
        name = stem.removesuffix("_ledger")
        for suffix in DEPARTMENT_SUFFIXES:
            department = folder / f"{name}_department{suffix}"
            if department.is_file():
                found.append(Example(name, ledger, department))
                break
    return found
