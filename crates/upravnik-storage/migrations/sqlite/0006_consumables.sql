-- Consumables kept in a store (R.3): toner, mice, keyboards… with their stock, and every move
-- (receipt, issue to an employee, return, stocktaking adjustment). The stock is the sum of the
-- moves; the CHECK is the last guard against going below zero.
CREATE TABLE consumables (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    unit TEXT NOT NULL,
    compatible_with TEXT NOT NULL DEFAULT '',
    min_stock BIGINT NOT NULL DEFAULT 0,
    stock BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active BIGINT NOT NULL DEFAULT 1,
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX consumables_name ON consumables(office_id, name);
CREATE INDEX consumables_list ON consumables(office_id, category, id);

CREATE TABLE consumable_moves (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    consumable_id BIGINT NOT NULL REFERENCES consumables(id),
    kind TEXT NOT NULL,
    delta BIGINT NOT NULL,
    stock_after BIGINT NOT NULL,
    on_date TEXT NOT NULL,
    person_id BIGINT REFERENCES people(id),
    asset_id BIGINT REFERENCES assets(id),
    supplier TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consumable_moves_item ON consumable_moves(consumable_id, id);
CREATE INDEX consumable_moves_person ON consumable_moves(person_id, id);
