//! Any entries a directory returns: the sync's plan never panics, never touches the local
//! administrator, creates each entry at most once and only enabled ones, and every account it
//! creates is an employee.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::access::Role;
use upravnik_core::directory::{DirectoryPerson, DirectorySettings, LocalAccount, LocalState, SyncChange, describe, plan_sync};

fn entries(data: &[u8]) -> Vec<DirectoryPerson> {
    let text = String::from_utf8_lossy(data);
    text.split('\n')
        .map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").to_string();
            DirectoryPerson {
                dn: get(0),
                username: get(1).to_lowercase(),
                given_name: get(2),
                family_name: get(3),
                email: get(4),
                phone: get(5),
                unit: get(6),
                groups: get(7).split(',').map(str::to_lowercase).collect(),
                disabled: get(8) == "1",
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let dir = entries(data);
    let local_admin = LocalAccount { user_id: 1, person_id: 1, username: "admin".into(), active: true, roles: vec![Role::Administrator], ..Default::default() };
    let state = LocalState { accounts: vec![local_admin], people_without_account: vec![(2, "a@b".into())] };
    let settings = DirectorySettings { office_id: 1, roles: vec![("admins".into(), Role::Administrator)], manage_accounts: false };
    let (changes, _) = plan_sync(&state, &dir, &settings);
    let mut created = std::collections::BTreeSet::new();
    for c in &changes {
        let _ = describe(c, "ldaps://dc");
        match c {
            SyncChange::Create { entry, roles, .. } => {
                assert!(!entry.disabled && !entry.username.is_empty());
                assert!(created.insert(entry.dn.clone()), "one entry created twice");
                assert!(roles.contains(&Role::Employee));
            }
            SyncChange::Deactivate { user_id, .. } => assert_ne!(*user_id, 1, "a local account is never closed"),
            SyncChange::Update { user_id, .. } => assert_ne!(*user_id, 1, "a local administrator is never taken over"),
        }
    }
});
