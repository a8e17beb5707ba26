-- Full-text search of the work log that stays fast at millions of entries: a trigram index over
-- `search_key`, so the same substring search as before (`LIKE '%term%'`) needs no full scan.
-- SQLite: FTS5 with the trigram tokenizer; PostgreSQL: pg_trgm. The difference lives here and in
-- `dialect.rs`.
CREATE VIRTUAL TABLE worklog_fts USING fts5(search_key, content='', tokenize='trigram');
INSERT INTO worklog_fts (rowid, search_key) SELECT id, search_key FROM worklog;
CREATE TRIGGER worklog_fts_insert AFTER INSERT ON worklog
BEGIN INSERT INTO worklog_fts (rowid, search_key) VALUES (new.id, new.search_key); END;
