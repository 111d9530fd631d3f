//! Indented, optionally coloured JSON for people, with notes after selected
//! members (e.g. `exp` as RFC 3339 and "expired 3h ago"). Strings are escaped
//! for the terminal: a claim cannot carry escape sequences or bidi overrides.

use colored::Colorize;
use serde_json::{Map, Value};

use crate::sanitize;

/// A note printed after a top-level member, as `// note`.
pub type Annotate<'a> = &'a dyn Fn(&str, &Value) -> Option<String>;

pub fn object(map: &Map<String, Value>, annotate: Annotate) -> String {
    let mut out = String::new();
    write_object(&mut out, map, 0, Some(annotate));
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn string_lit(s: &str) -> String {
    // serde_json escapes quotes, backslashes and C0 controls; sanitize adds
    // DEL, C1 and bidi controls, which JSON allows raw but a terminal obeys.
    let json = serde_json::to_string(s).unwrap_or_default();
    sanitize::escape(&json)
}

fn write_object(
    out: &mut String,
    map: &Map<String, Value>,
    level: usize,
    annotate: Option<Annotate>,
) {
    if map.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    let n = map.len();
    for (i, (k, v)) in map.iter().enumerate() {
        indent(out, level + 1);
        out.push_str(&string_lit(k).blue().bold().to_string());
        out.push_str(": ");
        write_value(out, v, level + 1);
        if i + 1 < n {
            out.push(',');
        }
        if let Some(note) = annotate.and_then(|f| f(k, v)) {
            out.push_str(&format!("  // {note}").dimmed().to_string());
        }
        out.push('\n');
    }
    indent(out, level);
    out.push('}');
}

fn write_value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Null => out.push_str(&"null".dimmed().to_string()),
        Value::Bool(b) => out.push_str(&b.to_string().yellow().to_string()),
        Value::Number(n) => out.push_str(&n.to_string().cyan().to_string()),
        Value::String(s) => out.push_str(&string_lit(s).green().to_string()),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in a.iter().enumerate() {
                indent(out, level + 1);
                write_value(out, item, level + 1);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
        Value::Object(m) => write_object(out, m, level, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prints_indented_json_with_notes_and_escapes() {
        colored::control::set_override(false);
        let v = json!({"a": 1, "s": "x\u{202e}y", "n": {"b": [true, null]}});
        let text = object(v.as_object().unwrap(), &|k, _| {
            (k == "a").then(|| "note".into())
        });
        assert!(text.contains("\"a\": 1,  // note"), "{text}");
        assert!(text.contains("\\u{202e}"), "{text}");
        assert!(
            text.contains("\"b\": [\n      true,\n      null\n    ]"),
            "{text}"
        );
    }
}
