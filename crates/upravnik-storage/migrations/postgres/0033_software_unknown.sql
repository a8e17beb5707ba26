-- The names no rule knows are counted from the installations and the office's titles when the
-- suggestion list is asked for, no longer kept as rows per workstation: every new workstation's
-- first inventory wrote ~1,000 of them (issue 4). A workstation's recompute now adds its titles
-- the office has not had yet; the titles its unknown rows stood for since the last office-wide
-- recompute are added here, so the list loses nothing.
INSERT INTO software_titles (office_id, name, version, product_id, ignored)
SELECT DISTINCT s.office_id, s.name, s.version, CAST(NULL AS BIGINT), 0
FROM asset_software s JOIN software_unknown u ON u.asset_id = s.asset_id AND u.name = TRIM(s.name)
WHERE s.removed_at IS NULL
ON CONFLICT DO NOTHING;

DROP TABLE software_unknown;
