//! Finding a lone UTF-16 surrogate escape (`"\ud800"`) in JSON text, to name
//! it when the strict parser refuses the document. Such a string is what a
//! JavaScript issuer writes when it cuts a name in the middle of an emoji; it
//! is not a Unicode string (RFC 8259 §8.2), and "line 1 column 8" does not
//! tell anyone which claim is at fault.

/// Where a lone surrogate escape was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoneSurrogate {
    /// The member holding it, as a dotted path of member names (`profile.nick`;
    /// `[]` marks an array). Names are shown as written, escapes and all.
    pub member: String,
    /// True when the escape is in a member name rather than a value.
    pub in_name: bool,
    /// The escape itself, e.g. `\ud800`.
    pub escape: String,
}

impl std::fmt::Display for LoneSurrogate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.in_name {
            "the name of member"
        } else {
            "member"
        };
        let member = if self.member.is_empty() {
            "(top level)"
        } else {
            &self.member
        };
        write!(
            f,
            "{what} `{member}` holds a lone surrogate ({}): not a Unicode string (RFC 8259 §8.2)",
            self.escape
        )
    }
}

enum Frame {
    Object(Option<String>),
    Array,
}

fn hex4(b: &[u8], i: usize) -> Option<u16> {
    let digits = std::str::from_utf8(b.get(i..i + 4)?).ok()?;
    u16::from_str_radix(digits, 16).ok()
}

/// Scans a string starting after its opening quote; returns the index after
/// the closing quote and the first lone surrogate escape in it.
fn scan_string(b: &[u8], mut i: usize) -> (usize, Option<String>) {
    let mut lone = None;
    while i < b.len() {
        match b[i] {
            b'"' => return (i + 1, lone),
            b'\\' if b.get(i + 1) == Some(&b'u') => {
                let Some(unit) = hex4(b, i + 2) else {
                    i += 2;
                    continue;
                };
                let escape = String::from_utf8_lossy(&b[i..i + 6]).into_owned();
                match unit {
                    0xD800..=0xDBFF => {
                        let low = (b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u'))
                            .then(|| hex4(b, i + 8))
                            .flatten();
                        if matches!(low, Some(0xDC00..=0xDFFF)) {
                            i += 12;
                            continue;
                        }
                        lone.get_or_insert(escape);
                    }
                    0xDC00..=0xDFFF => {
                        lone.get_or_insert(escape);
                    }
                    _ => {}
                }
                i += 6;
            }
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    (i, lone)
}

fn path(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array => out.push_str("[]"),
        }
    }
    out
}

/// The first lone surrogate escape in `json`, with the member that holds it.
/// Meant for text the strict parser refused; it reads any bytes without
/// failing and in one pass.
pub fn find(json: &[u8]) -> Option<LoneSurrogate> {
    let b = json;
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array);
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let (end, lone) = scan_string(b, start);
                let mut j = end;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                let is_name =
                    b.get(j) == Some(&b':') && matches!(stack.last(), Some(Frame::Object(_)));
                if is_name {
                    let raw = &b[start..end.saturating_sub(1).max(start)];
                    let name = crate::sanitize::truncate(&String::from_utf8_lossy(raw), 64);
                    if let Some(escape) = lone {
                        let mut p = path(&stack);
                        if !p.is_empty() {
                            p.push('.');
                        }
                        p.push_str(&name);
                        return Some(LoneSurrogate {
                            member: p,
                            in_name: true,
                            escape,
                        });
                    }
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(name);
                    }
                } else if let Some(escape) = lone {
                    return Some(LoneSurrogate {
                        member: path(&stack),
                        in_name: false,
                        escape,
                    });
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(json: &str) -> Option<String> {
        find(json.as_bytes()).map(|l| l.member)
    }

    #[test]
    fn names_the_member() {
        assert_eq!(member(r#"{"name":"\ud800"}"#).as_deref(), Some("name"));
        assert_eq!(
            member(r#"{"a":1,"name":"ab\udc00"}"#).as_deref(),
            Some("name")
        );
        assert_eq!(
            member(r#"{"a":"x","p":{"q":1,"nick":"\uD83D"}}"#).as_deref(),
            Some("p.nick")
        );
        assert_eq!(
            member(r#"{"aud":["x","\ud800"]}"#).as_deref(),
            Some("aud[]")
        );
        assert_eq!(
            member(r#"{"l":[{"n":"\ud800"}]}"#).as_deref(),
            Some("l[].n")
        );
        let l = find(br#"{"k\ud800":1}"#).unwrap();
        assert!(l.in_name && l.member == r"k\ud800", "{l:?}");
        assert_eq!(l.escape, r"\ud800");
        let text = find(br#"{"name":"\ud800"}"#).unwrap().to_string();
        assert!(
            text.contains("`name`") && text.contains("lone surrogate"),
            "{text}"
        );
    }

    #[test]
    fn pairs_and_other_escapes_are_fine() {
        for ok in [
            r#"{"name":"\ud83d\ude00"}"#,
            r#"{"name":"\u00e9\n\"\\ux"}"#,
            r#"{"a":"\\ud800"}"#,
            r#"{"a":"\u0041"}"#,
            "",
            "{",
            r#"{"a":"\u12"#,
        ] {
            assert_eq!(find(ok.as_bytes()), None, "{ok}");
        }
        // a high surrogate followed by another high one is still lone
        assert!(find(br#"{"a":"\ud800\ud800"}"#).is_some());
        // truncated at the end of input
        assert!(find(br#"{"a":"\ud800"#).is_some());
    }
}
