//! Differential: the fast claims scanner against the serde reference.
//!
//! Whatever `claims::scan::members` answers, `claims::reference::members`
//! must answer the same members; the seam `claims::index` must accept
//! exactly what the reference accepts; and a parsed payload must read back
//! (member by member and as a map) as the strict tree parser reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidcat::claims::{self, Claims, reference, scan};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        // Not UTF-8: refused, never a panic.
        assert!(Claims::parse(data.to_vec()).is_err());
        return;
    };
    let slow = reference::members(text);
    if let Some(fast) = scan::members(text) {
        match &slow {
            Ok(slow) => assert_eq!(&fast, slow, "members differ: {text:?}"),
            Err(e) => panic!("scanner accepted what the reference refuses ({e:?}): {text:?}"),
        }
    }
    let seam = claims::index(text);
    assert_eq!(
        seam.as_ref().ok(),
        slow.as_ref().ok(),
        "seam and reference differ: {text:?}"
    );

    // The whole parse is exactly as strict as the tree parser.
    let parsed = Claims::parse(data.to_vec());
    let tree = oidcat::json::parse_strict(data);
    match (&parsed, &tree) {
        (Ok(c), Ok(Value::Object(m))) => {
            assert_eq!(c.map(), m, "map differs: {text:?}");
            assert_eq!(c.len(), m.len());
            for (k, v) in m {
                assert_eq!(c.get(k).as_ref(), Some(v), "member {k:?}: {text:?}");
                if let Value::String(s) = v {
                    assert_eq!(c.get_str(k).as_deref(), Some(s.as_str()));
                }
            }
            // What `Serialize` writes reads back as the same object.
            let written = serde_json::to_vec(c).expect("claims serialise");
            let back: Value = serde_json::from_slice(&written).expect("written claims parse");
            assert_eq!(back.as_object(), Some(m), "serialised differs: {text:?}");
        }
        (Ok(_), _) => panic!("claims accepted what the tree parser refuses: {text:?}"),
        (Err(_), Ok(Value::Object(_))) => {
            panic!("claims refused an object the tree parser accepts: {text:?}")
        }
        (Err(_), _) => {}
    }
});
