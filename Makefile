# The two front-door commands (see README): `make demo` and `make test`.
# Both create the virtual environment on first use, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
SAMPLE = examples/2024_xinjiang_hrss_budget.md

.PHONY: demo test lint typecheck unit docs bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,pdf,xlsx,docx,corpus,web]'
	@touch $@

## demo: audit the bundled sample; writes out/report.html and prints the report
demo: $(BIN)/.installed
	@mkdir -p out
	$(BIN)/yusuan audit $(SAMPLE) --format html --output out/report.html || [ $$? -eq 1 ]
	$(BIN)/yusuan audit $(SAMPLE) || [ $$? -eq 1 ]
	@echo "HTML 报告：out/report.html（样例含真实错误，审核退出码为 1）"

## test: lint, type-check and run the test suite
test: lint typecheck unit

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(BIN)/.installed
	$(BIN)/mypy

unit: $(BIN)/.installed
	@scripts/ensure-libreoffice
	@scripts/ensure-chromium
	$(BIN)/python -m pytest

## docs: regenerate docs/rules.md from the rule registry
docs: $(BIN)/.installed
	$(BIN)/yusuan rules --format markdown > docs/rules.md

## bench: print the benchmark figures recorded in docs/benchmarks.md
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/audit_sample.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
