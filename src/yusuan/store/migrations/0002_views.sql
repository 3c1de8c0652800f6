-- 0002: views for the common questions (docs/store.md has example queries).

-- Every stored cell in a long, tidy layout: one row per printed amount.
CREATE VIEW v_cells AS
SELECT d.doc_id, d.file_name, d.region, d.level AS region_level, d.department, d.unit_name AS budget_unit,
       d.year, d.kind AS doc_kind, d.scope,
       t.table_no, t.table_key, t.kind AS table_kind, t.title AS table_title,
       c.row_no, c.row_kind, c.code, c.name, c.level, c.panel, c.unit_name, c.project,
       c.column_key, c.column_label, c.column_role,
       c.value_yuan, c.value, c.unit, c.text, c.page, c.line, c.sheet, c.cell
FROM cells c
JOIN doc_tables t ON t.doc_id = c.doc_id AND t.table_no = c.table_no
JOIN documents d ON d.doc_id = c.doc_id
WHERE d.status = 'ok';

-- Expenditure by function class (类) per department-year, from the 部门支出总表.
CREATE VIEW v_expense_by_function AS
SELECT region, department, year, doc_kind, code, MIN(name) AS name, SUM(value_yuan) AS amount_yuan
FROM v_cells
WHERE table_kind = 'expense' AND row_kind = 'code' AND level = 1 AND column_role = 'total'
GROUP BY region, department, year, doc_kind, code;

-- 基本支出 / 项目支出 split per department-year (the 总计 row of the 部门支出总表).
CREATE VIEW v_basic_project AS
SELECT region, department, year, doc_kind,
       SUM(CASE WHEN column_role = 'total' THEN value_yuan END) AS total_yuan,
       SUM(CASE WHEN column_role = 'basic' THEN value_yuan END) AS basic_yuan,
       SUM(CASE WHEN column_role = 'project' THEN value_yuan END) AS project_yuan
FROM v_cells
WHERE table_kind = 'expense' AND row_kind = 'total'
GROUP BY region, department, year, doc_kind;

-- 三公 by item per department-year (the 合计 column of the 三公 table).
CREATE VIEW v_sangong AS
SELECT region, department, year, doc_kind, row_no, name AS item, value_yuan AS amount_yuan
FROM v_cells
WHERE table_kind = 'sangong' AND column_role = 'total' AND row_kind IN ('item', 'total');

-- Every finding with its document.
CREATE VIEW v_findings AS
SELECT d.file_name, d.region, d.department, d.year, d.kind AS doc_kind,
       f.rule, f.slug, f.severity, f.page, f.lines, f.table_name, f.message, f.doc_id, f.seq
FROM findings f JOIN documents d ON d.doc_id = f.doc_id;
