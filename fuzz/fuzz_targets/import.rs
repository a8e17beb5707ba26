//! Uploaded registers (any bytes: CSV in any encoding, broken or hostile workbooks) are read,
//! their header found, their columns guessed and every row previewed without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::import::columns::{find_header, guess_mapping};
use upravnik_core::import::plan::preview;
use upravnik_core::import::read::{detect, read, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(rows) = read(data) else { return };
    if detect(data) == Format::Csv {
        // Every row keeps a real line number, in order.
        assert!(rows.windows(2).all(|w| w[0].number < w[1].number));
    }
    let Some(header) = find_header(&rows) else { return };
    let mapping = guess_mapping(&rows[header]);
    let p = preview(&rows, header, &mapping, &[]);
    assert_eq!(p.counts.new + p.counts.changed + p.counts.unchanged + p.counts.invalid, p.rows.len());
    // Rows that are not in error are valid assets.
    assert!(p.rows.iter().filter(|r| r.fields.is_some()).all(|r| r.fields.as_ref().is_some_and(|f| !f.inventory_number.is_empty())));
});
