-- asset_software_title (office_id, name, version, asset_id), added with software compliance,
-- serves every lookup by (office_id, name) that asset_software_name served, under the same
-- condition: one index less to keep on each of the ~1,000 rows a new workstation's first
-- inventory writes (issue 4). PostgreSQL keeps the title index: its whole-office recompute
-- plans hash and merge joins over it (SQLite drops both, see its 0032).
DROP INDEX IF EXISTS asset_software_name;
