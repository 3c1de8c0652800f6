-- 0003: across years. Each statement keeps last year's amount its 比上年 change implies, with the
-- rounding allowance of the figures it rests on; doc_matches records which stored document was
-- taken as a document's previous year, how it was matched, and what the comparison found.

ALTER TABLE statements ADD COLUMN amount_half_yuan DECIMAL(20, 2);
ALTER TABLE statements ADD COLUMN last_year_yuan DECIMAL(20, 2);
ALTER TABLE statements ADD COLUMN last_year_half_yuan DECIMAL(20, 2);

CREATE TABLE doc_matches (
    doc_id       TEXT NOT NULL,           -- the later document
    previous_id  TEXT NOT NULL,           -- the same department's document of the year before
    method       TEXT NOT NULL,           -- how they were matched (name+region+kind+scope)
    department   TEXT,
    region       TEXT,
    checks       INTEGER NOT NULL,
    errors       INTEGER NOT NULL,
    notices      INTEGER NOT NULL,
    tool_version TEXT NOT NULL,
    matched_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (doc_id, previous_id)
);
