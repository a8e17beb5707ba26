-- Saved filters of the lists (per person and page, optionally shared with the office's other
-- administrators), and indexes for the asset list's location filters.
CREATE TABLE saved_filters (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    page TEXT NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    shared BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (office_id, user_id, page, name)
);
CREATE INDEX saved_filters_shared ON saved_filters(office_id, page, shared);

-- The building/room filters and the list of places in use are read from the index alone.
CREATE INDEX assets_place ON assets(office_id, building, room);
CREATE INDEX assets_room ON assets(office_id, room);
-- Free-text search (`LIKE '%term%'`) scans this narrow index instead of the table; PostgreSQL
-- uses a trigram index (pg_trgm) instead.
CREATE INDEX assets_search ON assets(office_id, search_key);
