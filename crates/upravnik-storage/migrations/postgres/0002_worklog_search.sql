-- Full-text search of the work log that stays fast at millions of entries: a trigram index over
-- `search_key`, so the same substring search as before (`LIKE '%term%'`) needs no full scan.
-- SQLite: FTS5 with the trigram tokenizer; PostgreSQL: pg_trgm. The difference lives here and in
-- `dialect.rs`.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX worklog_search_trgm ON worklog USING gin (search_key gin_trgm_ops);
