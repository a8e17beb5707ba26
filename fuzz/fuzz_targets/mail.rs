//! Any bytes from a mailbox: reading the message, its threading keys and the reply text never
//! panic; what comes out respects the limits; a number found in a subject is found again in the
//! number it was normalised to.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::mail::{Limits, MAX_BODY, MAX_TITLE, clean_subject, parse_message, reply_text, subject_number, thread_keys};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_message_bytes: 1 << 20, max_attachment_bytes: 64, max_attachments: 2 };
    if let Some(m) = parse_message(data, &limits) {
        assert!(m.text.chars().count() <= MAX_BODY);
        assert!(m.attachments.len() <= 2 && m.attachments.iter().all(|a| a.bytes.len() <= 64));
        assert!(m.attachments.iter().all(|a| !a.name.contains('/') && !a.name.is_empty()));
        let k = thread_keys(&m);
        assert!(k.message_ids.len() <= 50);
        assert!(clean_subject(&m.subject).chars().count() <= MAX_TITLE);
        let _ = reply_text(&m.text);
    }
    let s = String::from_utf8_lossy(data);
    if let Some(n) = subject_number(&s) {
        assert_eq!(subject_number(&n).as_deref(), Some(n.as_str()));
    }
    let _ = reply_text(&s);
    let _ = clean_subject(&s);
});
