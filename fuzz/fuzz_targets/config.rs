//! The configuration file is written by hand, by whoever runs the server: any text gives a
//! configuration or an error naming what is wrong, never a panic. The file's module is included
//! as it is (it needs neither the command line nor the database).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/upravnik/src/config_file.rs"]
#[allow(dead_code)]
mod config_file;

fuzz_target!(|text: &str| {
    if let Ok(c) = config_file::FileConfig::parse(text, "fuzz") {
        // What `serve` derives from it must hold too.
        assert!(c.backup_policy().is_ok(), "parse checked the backup section");
        for s in c.shares.iter().flatten() {
            let _ = s.rules();
        }
    }
});
