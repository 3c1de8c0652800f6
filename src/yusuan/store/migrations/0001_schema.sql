-- 0001: documents, their tables, cells, narrative statements, findings and the runs that stored them.
-- The same DDL runs on DuckDB and PostgreSQL; statements marked /*postgresql*/ run on PostgreSQL only
-- (indexes: DuckDB scans its column segments by zone maps and needs none for these queries).

CREATE TABLE runs (
    run_id        TEXT PRIMARY KEY,
    tool_version  TEXT NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    mode          TEXT NOT NULL,          -- local / cluster
    jobs          INTEGER,
    command       TEXT,
    files         INTEGER NOT NULL DEFAULT 0,
    stored        INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    doc_id              TEXT PRIMARY KEY,  -- sha256 of the file's bytes
    file_name           TEXT NOT NULL,
    path                TEXT NOT NULL,
    size_bytes          BIGINT NOT NULL,
    status              TEXT NOT NULL,     -- ok / failed
    reason              TEXT,              -- why it failed, in Chinese
    format              TEXT,              -- text / pdf / xlsx …
    region              TEXT,              -- 广州市, 上海市 … (from the department's name)
    level               TEXT,              -- 省 / 市
    department          TEXT,
    unit_name           TEXT,              -- the 预算单位 of a 单位预算
    year                INTEGER,
    kind                TEXT,              -- 预算 / 决算
    scope               TEXT,              -- 部门 / 单位
    profile             TEXT,              -- the template (profile id) the document was read with
    profile_name        TEXT,
    profile_confidence  DOUBLE PRECISION,
    pages               INTEGER,
    n_tables            INTEGER NOT NULL DEFAULT 0,
    n_cells             INTEGER NOT NULL DEFAULT 0,
    n_statements        INTEGER NOT NULL DEFAULT 0,
    errors              INTEGER NOT NULL DEFAULT 0,
    warnings            INTEGER NOT NULL DEFAULT 0,
    notices             INTEGER NOT NULL DEFAULT 0,
    checks              INTEGER NOT NULL DEFAULT 0,
    not_run             INTEGER NOT NULL DEFAULT 0,
    unread              TEXT,              -- what could not be read, in Chinese
    seconds             DOUBLE PRECISION,  -- read + audit time
    tool_version        TEXT NOT NULL,
    run_id              TEXT NOT NULL,
    stored_at           TIMESTAMP NOT NULL
);

CREATE TABLE doc_tables (
    doc_id         TEXT NOT NULL,
    table_no       INTEGER NOT NULL,       -- 1-based, the profile's tables first
    table_key      TEXT,                   -- the profile's key (T1 …)
    number         INTEGER,                -- 表N as printed
    kind           TEXT,                   -- expense, income, sangong … (docs/store.md)
    title          TEXT,
    printed_title  TEXT,
    unit           TEXT,                   -- 元 / 万元 / 亿元
    profiled       BOOLEAN NOT NULL,       -- named by the profile (or an extra table)
    readable       BOOLEAN NOT NULL,
    problems       TEXT,
    n_rows         INTEGER NOT NULL,
    page           INTEGER,
    line           INTEGER,
    sheet          TEXT,
    bbox           TEXT
);

CREATE TABLE cells (
    doc_id        TEXT NOT NULL,
    table_no      INTEGER NOT NULL,
    row_no        INTEGER NOT NULL,
    col_no        INTEGER NOT NULL,
    row_kind      TEXT NOT NULL,           -- total / unit / code / project / item
    code          TEXT,                    -- classification code (208, 20801, 2080101, 301 …)
    name          TEXT,
    level         INTEGER,                 -- 1 类, 2 款, 3 项
    panel         TEXT,
    unit_name     TEXT,
    project       TEXT,
    column_key    TEXT NOT NULL,
    column_label  TEXT,
    column_role   TEXT,                    -- total / basic / project / personnel / public …
    value         DECIMAL(24, 6),          -- as printed, in the table's unit
    value_yuan    DECIMAL(20, 2),          -- exact, in 元
    text          TEXT NOT NULL,           -- the printed text
    unit          TEXT,
    decimals      INTEGER NOT NULL,
    malformed     BOOLEAN NOT NULL,
    page          INTEGER,
    bbox          TEXT,
    line          INTEGER,
    sheet         TEXT,
    cell          TEXT
);

CREATE TABLE statements (
    doc_id         TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    section        TEXT,
    subject        TEXT NOT NULL,
    path           TEXT,
    text           TEXT NOT NULL,
    amount         DECIMAL(24, 6),
    amount_unit    TEXT,
    amount_yuan    DECIMAL(20, 2),
    share          DECIMAL(24, 6),
    change_word    TEXT,
    change_amount  DECIMAL(24, 6),
    change_yuan    DECIMAL(20, 2),
    pct_word       TEXT,
    pct            DECIMAL(24, 6),
    reason         TEXT,
    page           INTEGER,
    line           INTEGER
);

CREATE TABLE findings (
    doc_id        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    rule          TEXT NOT NULL,
    slug          TEXT NOT NULL,
    severity      TEXT NOT NULL,           -- error / warning / notice
    message       TEXT NOT NULL,
    table_name    TEXT,
    row_label     TEXT,
    column_label  TEXT,
    section       TEXT,
    page          INTEGER,
    lines         TEXT,
    sheet         TEXT,
    cell          TEXT,
    expected      TEXT,
    actual        TEXT,
    difference    TEXT
);

/*postgresql*/ CREATE INDEX doc_tables_doc ON doc_tables (doc_id, table_no);
/*postgresql*/ CREATE INDEX cells_doc ON cells (doc_id, table_no);
/*postgresql*/ CREATE INDEX statements_doc ON statements (doc_id);
/*postgresql*/ CREATE INDEX findings_doc ON findings (doc_id);
CREATE INDEX documents_dept_year ON documents (department, year);
