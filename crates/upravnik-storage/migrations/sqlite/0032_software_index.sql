-- A workstation's first inventory writes ~1,000 programs. An index ordered by program name put
-- each of them on a different page of the index: ~1,000 pages to the WAL (4 MB) for every new
-- machine, which made the write — not the reading of the report — the limit of agent intake
-- (36 new 1,000-program machines/s with the index, 51 without; at 4 and 16 at once 25/19 → 68/65;
-- issue 4). The whole-office compliance recompute, the one reader that used them, now walks the
-- installations in table order and finds each one's title by the primary key of
-- software_titles (see replace_software_findings_impl).
DROP INDEX IF EXISTS asset_software_name;
DROP INDEX IF EXISTS asset_software_title;
