//! Strict base64url: no padding, no non-zero unused trailing bits
//! (RFC 7515 §2). [`reference`] is the base64 crate; [`fast`] is
//! base64-simd, several times faster on a token's payload, which `serve`
//! decodes on every request. [`decode`] is the seam the parser calls:
//! whatever the fast path refuses goes to the reference, whose error is the
//! message users see. The tests below check that both accept exactly the
//! same strings with the same bytes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The reference decoder.
pub fn reference(segment: &str) -> Result<Vec<u8>, base64::DecodeError> {
    URL_SAFE_NO_PAD.decode(segment)
}

/// The fast decoder; `None` for whatever it refuses.
pub fn fast(segment: &str) -> Option<Vec<u8>> {
    base64_simd::URL_SAFE_NO_PAD.decode_to_vec(segment).ok()
}

/// The seam: [`fast`], else [`reference`] (for its answer and its error).
pub fn decode(segment: &str) -> Result<Vec<u8>, base64::DecodeError> {
    match fast(segment) {
        Some(bytes) => Ok(bytes),
        None => reference(segment),
    }
}

#[cfg(test)]
mod tests {

    /// The fast decoder accepts exactly what the base64 crate's strict
    /// URL_SAFE_NO_PAD accepts, with the same bytes.
    fn same_as_base64_crate(s: &str) {
        let reference = super::reference(s).ok();
        assert_eq!(super::fast(s), reference, "{s:?}");
        assert_eq!(super::decode(s).ok(), reference, "{s:?}");
    }

    #[test]
    fn fast_base64_is_as_strict() {
        for s in [
            "",
            "Q",
            "QQ",
            "QR",
            "QUI",
            "QUJ",
            "QUJD",
            "QQ=",
            "QQ==",
            "Q+",
            "Q/",
            "QQ\n",
            "Q Q",
            "eyJhbGciOiJSUzI1NiJ9",
            "eyJhbGciOiJSUzI1NiJ9=",
            "A-_z",
            "A+/z",
            "////",
        ] {
            same_as_base64_crate(s);
        }
        // every length and trailing symbol around a block boundary
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for len in 0..70 {
            for last in alphabet.chars() {
                let s: String = "x".repeat(len) + &last.to_string();
                same_as_base64_crate(&s);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4000, .. Default::default() })]
        #[test]
        fn fast_base64_agrees_on_generated(s in "[A-Za-z0-9_=+/. -]{0,80}") {
            same_as_base64_crate(&s);
        }

        #[test]
        fn fast_base64_round_trips(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            use base64::Engine;
            let s = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
            proptest::prop_assert_eq!(super::decode(&s).ok(), Some(bytes));
        }
    }
}
