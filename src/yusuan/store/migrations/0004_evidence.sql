-- 0004: a finding's evidence, the source lines it rests on as quoted by the report
-- (`行号: 原文`, one per line); for an across-years finding, the statement compared.

ALTER TABLE findings ADD COLUMN evidence TEXT;
