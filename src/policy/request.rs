//! The request a policy file's routes are matched against, normalised the
//! same way for `verify --path` and `serve` (docs/policy.md#the-request).

/// A request as routes see it: the path normalised, the host lower case
/// without its port, the method upper case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: String,
    pub host: Option<String>,
    pub method: Option<String>,
}

/// Longest request path or host read; longer ones are cut (and then match
/// only a route whose glob allows it).
const MAX_LEN: usize = 8 * 1024;

impl Request {
    pub fn new(path: &str, host: Option<&str>, method: Option<&str>) -> Request {
        Request {
            path: normalize_path(path),
            host: host.map(normalize_host),
            method: method.map(|m| {
                let mut m = crate::sanitize::truncate(m.trim(), 32).to_string();
                m.make_ascii_uppercase();
                m
            }),
        }
    }
}

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The path of a request URI as routes match it: the query and fragment
/// dropped; percent-encoded unreserved characters decoded and other escapes
/// kept with upper-case hex (`%2F` stays `%2F`: it is not a separator);
/// repeated slashes merged (as nginx's `merge_slashes` and most servers
/// do, so `//deploy/x` cannot slip past a rule on `/deploy/*`); dot
/// segments removed (RFC 3986 §5.2.4, §6.2.2). Always starts with `/`.
pub fn normalize_path(raw: &str) -> String {
    let raw = raw.get(..raw.len().min(MAX_LEN)).unwrap_or(raw);
    let raw = raw.split(['?', '#']).next().unwrap_or("");
    if is_normal(raw) {
        return raw.to_string();
    }
    normalize_full(raw)
}

/// Whether `normalize_full` would give `raw` back unchanged: a path from
/// `/` with no escape, no empty segment and no dot segment (conservatively:
/// no `/.` at all). The usual request path, copied once instead of
/// rebuilt (`serve --policy` normalises every request).
fn is_normal(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.first() == Some(&b'/')
        && !b.contains(&b'%')
        && !b.windows(2).any(|w| w == b"//" || w == b"/.")
}

/// [`normalize_path`] without its fast path: the reference it is tested
/// (and fuzzed, target `request_path`) against.
pub fn normalize_path_reference(raw: &str) -> String {
    let raw = raw.get(..raw.len().min(MAX_LEN)).unwrap_or(raw);
    normalize_full(raw.split(['?', '#']).next().unwrap_or(""))
}

/// The full normalisation of a path already cut at `?`/`#`.
fn normalize_full(raw: &str) -> String {
    // An absolute URI (`http://host/path`): its path.
    let raw = match raw.find("://") {
        Some(i) if !raw.starts_with('/') => {
            let rest = &raw[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        _ => raw,
    };
    let bytes = raw.as_bytes();
    let mut decoded = String::with_capacity(raw.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            let c = h * 16 + l;
            if unreserved(c) {
                decoded.push(c as char);
            } else {
                decoded.push('%');
                decoded.push(bytes[i + 1].to_ascii_uppercase() as char);
                decoded.push(bytes[i + 2].to_ascii_uppercase() as char);
            }
            i += 3;
            continue;
        }
        // Copy one whole UTF-8 character.
        let len = raw[i..].chars().next().map_or(1, char::len_utf8);
        decoded.push_str(&raw[i..i + len]);
        i += len;
    }
    let mut out: Vec<&str> = Vec::new();
    let segments = decoded.split('/').filter(|s| !s.is_empty());
    let trailing = decoded.ends_with('/')
        || decoded.ends_with("/.")
        || decoded.ends_with("/..")
        || decoded == "."
        || decoded == "..";
    for s in segments {
        match s {
            "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut path = String::with_capacity(decoded.len() + 1);
    for s in &out {
        path.push('/');
        path.push_str(s);
    }
    if path.is_empty() || (trailing && !out.is_empty()) {
        path.push('/');
    }
    path
}

/// A `Host` value as routes match it: lower case, without its port.
pub fn normalize_host(raw: &str) -> String {
    let h = raw.trim();
    let h = h.get(..h.len().min(MAX_LEN)).unwrap_or(h);
    let h = if let Some(rest) = h.strip_prefix('[') {
        // [v6]:port
        rest.split(']').next().unwrap_or(rest)
    } else {
        match h.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => h,
        }
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_as_documented() {
        for (raw, want) in [
            ("/deploy/x", "/deploy/x"),
            ("/deploy/../admin", "/admin"),
            ("/deploy/%2e%2e/admin", "/admin"),
            ("/deploy/%2E%2E/admin", "/admin"),
            ("//deploy/x", "/deploy/x"),
            ("/deploy/x?y=1", "/deploy/x"),
            ("/deploy/x#f", "/deploy/x"),
            ("/deploy%2Fx", "/deploy%2Fx"),
            ("/deploy%2fx", "/deploy%2Fx"),
            ("/%64eploy/x", "/deploy/x"),
            ("/a/./b/", "/a/b/"),
            ("/a/b/..", "/a/"),
            ("/../../x", "/x"),
            ("", "/"),
            ("/", "/"),
            ("http://h.example/a/b?q", "/a/b"),
            ("/caf%C3%A9", "/caf%C3%A9"),
            ("/x%", "/x%"),
            ("/x%zz", "/x%zz"),
        ] {
            assert_eq!(normalize_path(raw), want, "{raw}");
        }
    }

    proptest::proptest! {
        /// The fast path gives what the full normalisation gives.
        #[test]
        fn fast_path_equals_full(raw in "[/a.%2eEfF?#:\u{e9}]{0,12}") {
            proptest::prop_assert_eq!(normalize_path(&raw), normalize_path_reference(&raw));
        }
    }

    #[test]
    fn hosts_normalise() {
        assert_eq!(
            normalize_host("Deploy.Example.com:8443"),
            "deploy.example.com"
        );
        assert_eq!(normalize_host("[::1]:80"), "::1");
        assert_eq!(normalize_host("a.example."), "a.example");
    }
}
