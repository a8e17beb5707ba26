//! Quantities and moves typed by people or sent to the API must validate or be refused, never
//! panic; what validates stays within the limits, and no move takes the stock below zero.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::consumable::{MAX_QUANTITY, MoveInput, apply, parse_quantity};

fuzz_target!(|input: (&str, &str, &str, &str, i64)| {
    let (kind, quantity, date, note, stock) = input;
    for signed in [false, true] {
        if let Ok(n) = parse_quantity("quantity", quantity, signed) {
            assert!(n != 0 && n.abs() <= MAX_QUANTITY && (signed || n > 0));
        }
    }
    let m = MoveInput {
        kind: kind.into(),
        quantity: quantity.into(),
        date: date.into(),
        note: note.into(),
        person_id: Some(1),
        ..Default::default()
    };
    if let Ok(m) = m.validate() {
        assert!(m.delta != 0 && m.delta.abs() <= MAX_QUANTITY);
        if let Ok(after) = apply(stock, m.delta) {
            assert!(after >= 0);
        }
    }
});
