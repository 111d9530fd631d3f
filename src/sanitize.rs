//! Strings that come from a token or a remote document are attacker-controlled:
//! before they reach a terminal, a log line or an HTTP header, control and
//! bidirectional-override characters are escaped and length is capped.

/// Escapes control characters (C0, DEL, C1) and Unicode bidi controls as
/// `\u{..}` so a claim cannot move the cursor, clear the screen or reorder text.
pub fn escape(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// Escapes and caps at `max` characters, marking the cut.
pub fn truncate(s: &str, max: usize) -> String {
    let escaped = escape(s);
    if escaped.chars().count() <= max {
        return escaped;
    }
    let mut out: String = escaped.chars().take(max).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(escape("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(escape("line\nbreak"), "line\\u{a}break");
        assert_eq!(escape("plain é"), "plain é");
        assert_eq!(
            truncate(&"k".repeat(100), 10),
            format!("{}…", "k".repeat(10))
        );
    }
}
