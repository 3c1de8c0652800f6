"""Names of classification codes: the department file first, then the catalog's edition for
the budget year, then any other edition. A code with no name is an unknown code."""

from __future__ import annotations

from yusuan.catalog import load_catalog


class CodeNames:
    def __init__(self, year: int, extra: dict[str, str]) -> None:
        self.year = year
        self.extra = {k.strip(): v.strip() for k, v in extra.items()}
        self._cat = load_catalog()
        self._cache: dict[tuple[str, str], str | None] = {}

    def name(self, code: str, list_name: str = "function") -> str | None:
        key = (list_name, code)
        if key in self._cache:
            return self._cache[key]
        found: str | None = self.extra.get(code)
        if found is None:
            try:
                edition = self._cat.edition_for(list_name, self.year)
            except ValueError:
                edition = None
            entry = self._cat.entry(code, list_name, edition) if edition is not None else None
            if entry is None:
                entry = self._cat.entry(code, list_name)
            found = entry.name if entry is not None else None
        self._cache[key] = found
        return found

    def _path_known(self, code: str, list_name: str) -> bool:
        return all(self.name(code[:n], list_name) for n in range(3, len(code) + 1, 2))

    def known_function(self, code: str) -> bool:
        return self._path_known(code, "function")

    def known_economic(self, code: str) -> bool:
        return self._path_known(code, "economic_dept")

    def _missing(self, code: str, list_name: str) -> str:
        return next(
            code[:n] for n in range(3, len(code) + 1, 2) if not self.name(code[:n], list_name)
        )

    def unknown_function(self, code: str) -> str:
        missing = self._missing(code, "function")
        return (
            f"未知的功能科目编码「{missing}」（{self.year} 年科目目录中没有；"
            f"如确有此科目，请在部门文件 [codes] 中写明名称）"
        )

    def unknown_economic(self, code: str) -> str:
        if not self._path_known(code, "economic_dept"):
            missing = self._missing(code, "economic_dept")
            return (
                f"未知的经济科目编码「{missing}」（{self.year} 年部门预算支出经济分类中没有；"
                f"如确有此科目，请在部门文件 [codes] 中写明名称）"
            )
        return f"经济科目「{code}」的类 {code[:3]} 不是表7 的列（301、302、303、307、309–313、399）"

    def gov_class(self, econ: str, agency: bool) -> str | None:
        """The 政府预算支出经济分类 类 of a 部门预算支出经济分类 款, for a 机关 (`agency`) or a
        事业单位 (catalog `economic_map.csv`); None when the table does not map it."""
        gov = self._cat.economic_gov(econ, agency)
        return gov[:3] if gov else None

    def gov_item(self, econ: str, agency: bool) -> str | None:
        """The 政府预算支出经济分类 款 of a 部门预算支出经济分类 款 (see `gov_class`)."""
        return self._cat.economic_gov(econ, agency)

    def level1_functions(self) -> list[tuple[str, str]]:
        """Every 类 of the 功能分类 in the budget year's edition (表1、表4 print them all)."""
        edition = self._cat.edition_for("function", self.year)
        return [(e.code, e.name) for e in self._cat.entries_in("function", edition) if e.level == 1]
