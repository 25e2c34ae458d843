-- 0016_page_key_order: pages of vendors and services (`limit`/`cursor` in the API, `--limit`/
-- `--after` in the CLI) are read in code-point order, `ORDER BY key COLLATE "C"`, so a page
-- is the same whatever the database's collation. The key's unique index uses the database's
-- collation and cannot serve that order, so every page sorted every row (Store+Pages.swift,
-- docs/benchmarks.md "Pages"). These indexes can: a page of 100 reads about 100 index entries.
CREATE INDEX vendor_key_code_point ON vendor (key COLLATE "C");
CREATE INDEX service_key_code_point ON service (key COLLATE "C");
