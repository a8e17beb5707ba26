-- IP subnets of an office (R.3: IP addresses): an IPv4 network in CIDR notation with host bits
-- zero (checked in the core, with overlap between an office's subnets), its name, VLAN and gateway.
CREATE TABLE subnets (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    cidr TEXT NOT NULL,
    name TEXT NOT NULL,
    vlan BIGINT,
    gateway TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX subnets_cidr ON subnets(office_id, cidr);
