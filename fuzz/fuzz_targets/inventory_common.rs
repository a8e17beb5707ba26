// Shared by the inventory targets: everything the server does with a parsed message must hold
// for any input, not just not panic.
use upravnik_inventory::{
    Blacklist, Limits, Message, Request, reply_contact, reply_inventory_ok, reply_parse_error, reply_prolog, reply_unsupported,
};

pub fn exercise(body: &[u8], content_type: Option<&str>, agent_id: Option<&str>) {
    let req = Request { body, content_type, user_agent: Some("fuzz"), agent_id };
    let parsed = match upravnik_inventory::parse(&req, Limits { max_decoded: 1 << 20 }) {
        Ok(p) => p,
        Err(e) => {
            let r = reply_parse_error(&req, &e);
            assert!((400..500).contains(&r.status));
            return;
        }
    };
    assert!(parsed.decoded.len() <= 1 << 20);
    let reply = match &parsed.message {
        Message::Prolog { deviceid } => {
            assert!(!deviceid.is_empty());
            reply_prolog(&parsed, agent_id.is_some())
        }
        Message::Contact { .. } => reply_contact(&parsed),
        Message::Unsupported { .. } => reply_unsupported(&parsed),
        Message::Inventory(inv) => {
            assert!(!inv.deviceid.is_empty());
            let cards = inv.card_components();
            let mut sorted = cards.clone();
            sorted.sort_by_key(|c| ["cpu", "memory", "disk", "network", "graphics"].iter().position(|k| *k == c.kind));
            assert_eq!(sorted.iter().map(|c| c.kind).collect::<Vec<_>>(), cards.iter().map(|c| c.kind).collect::<Vec<_>>());
            let sw = inv.card_software();
            assert!(sw.windows(2).all(|w| (&w[0].name, &w[0].version) < (&w[1].name, &w[1].version)));
            let _ = inv.os_line();
            let id = inv.identity(&Blacklist::default());
            assert!(id.macs.iter().all(|m| m.len() == 17 && *m == m.to_lowercase()));
            assert!(id.macs.windows(2).all(|w| w[0] < w[1]));
            reply_inventory_ok(&parsed)
        }
    };
    assert!(!reply.body.is_empty());
}
