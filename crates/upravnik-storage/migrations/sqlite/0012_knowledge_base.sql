-- The knowledge base (R.47–R.51): self-help articles written by administrators, read by every
-- signed-in person once published. Search keys are computed in Rust (`knowledge::ArticleFields`):
-- the title's, the tags' and category's (`|tag|tag|`, so a tag matches whole) and the whole text's.
-- An office's articles number in the hundreds: searches and suggestions read the office's
-- published rows through `kb_articles_list` and match the keys, with a LIMIT. `source` names the
-- rulebook article a text comes from (`R.48`), so adding them twice adds nothing.
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    published BIGINT NOT NULL DEFAULT 0,
    source TEXT,
    author_user_id BIGINT REFERENCES users(id),
    author_name TEXT NOT NULL,
    title_key TEXT NOT NULL,
    tags_key TEXT NOT NULL,
    search_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX kb_articles_list ON kb_articles(office_id, published, updated_at);
CREATE UNIQUE INDEX kb_articles_source ON kb_articles(office_id, source);
