//! The integration suite: one binary. Storage stories run on SQLite always and on PostgreSQL when
//! `UPRAVNIK_TEST_POSTGRES_URL` is set; HTTP tests drive the real router in-process; CLI tests run
//! the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod account_requests;
mod agent_endpoint;
mod agents;
mod applications;
mod asset_list;
mod backup;
mod cli;
mod cluster;
mod compliance;
mod consumables;
mod crash;
mod directory;
mod equipment;
mod helpdesk;
mod http;
mod import;
mod internet;
mod inventory;
mod knowledge;
mod labels;
mod mail;
mod matrix;
mod mfa;
mod report_forms;
mod rules;
mod security;
mod service_levels;
mod shares;
mod software;
mod storage;
mod subnets;
mod support;
