//! Proxies chosen per URL as curl chooses them (`https_proxy`,
//! `http_proxy`, `all_proxy`, `no_proxy`, either case).

use url::Url;

use crate::error::{Error, Result};

/// Environment lookups, abstracted for tests.
pub trait Env {
    fn get(&self, name: &str) -> Option<String>;
}

pub struct EnvVars;

impl Env for EnvVars {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }
}

fn env_either(env: &dyn Env, name: &str) -> Option<String> {
    env.get(&name.to_ascii_lowercase())
        .or_else(|| env.get(&name.to_ascii_uppercase()))
}

/// The proxy URL for `url`, as curl chooses it: `https_proxy` for https,
/// `http_proxy` for http, else `all_proxy`; none when `no_proxy` matches.
pub fn proxy_url_for(url: &Url, env: &dyn Env) -> Option<String> {
    let host = url
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if let Some(no) = env_either(env, "no_proxy") {
        for entry in no.split(',') {
            let entry = entry.trim().trim_start_matches('.').to_ascii_lowercase();
            if entry.is_empty() {
                continue;
            }
            let entry = entry.split(':').next().unwrap_or_default().to_string();
            if entry == "*" || host == entry || host.ends_with(&format!(".{entry}")) {
                return None;
            }
        }
    }
    let by_scheme = match url.scheme() {
        "https" => env_either(env, "https_proxy"),
        "http" => env_either(env, "http_proxy"),
        _ => None,
    };
    by_scheme.or_else(|| env_either(env, "all_proxy"))
}

pub(super) fn proxy_for(url: &Url, env: &dyn Env) -> Result<Option<ureq::Proxy>> {
    match proxy_url_for(url, env) {
        None => Ok(None),
        Some(p) => ureq::Proxy::new(&p).map(Some).map_err(|e| {
            Error::usage(format!(
                "proxy {p:?} from the environment is not usable: {e}"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use url::Url;

    struct Fake(HashMap<&'static str, &'static str>);
    impl Env for Fake {
        fn get(&self, n: &str) -> Option<String> {
            self.0.get(n).map(|s| s.to_string())
        }
    }

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn proxies_are_chosen_per_scheme_like_curl() {
        let env = Fake(HashMap::from([
            ("HTTPS_PROXY", "http://secure:1"),
            ("http_proxy", "http://plain:2"),
            ("NO_PROXY", " internal.example , .corp.example,10.0.0.1"),
        ]));
        assert_eq!(
            proxy_url_for(&u("https://idp.example/x"), &env).as_deref(),
            Some("http://secure:1")
        );
        assert_eq!(
            proxy_url_for(&u("http://idp.example/x"), &env).as_deref(),
            Some("http://plain:2")
        );
        assert_eq!(proxy_url_for(&u("https://internal.example/"), &env), None);
        assert_eq!(proxy_url_for(&u("https://a.internal.example/"), &env), None);
        assert_eq!(proxy_url_for(&u("https://x.corp.example/"), &env), None);
        assert_eq!(proxy_url_for(&u("https://corp.example/"), &env), None);
        assert_eq!(
            proxy_url_for(&u("https://notinternal.example/"), &env).as_deref(),
            Some("http://secure:1")
        );
        assert_eq!(proxy_url_for(&u("https://10.0.0.1/"), &env), None);
        let all = Fake(HashMap::from([
            ("ALL_PROXY", "http://all:3"),
            ("no_proxy", "*"),
        ]));
        assert_eq!(proxy_url_for(&u("https://idp.example/"), &all), None);
        let all = Fake(HashMap::from([("ALL_PROXY", "http://all:3")]));
        assert_eq!(
            proxy_url_for(&u("https://idp.example/"), &all).as_deref(),
            Some("http://all:3")
        );
    }
}
