//! `oidcat serve`: flags -> the same config as `verify` -> the server.

use std::sync::Arc;

use crate::cli::{GlobalArgs, ServeArgs};
use crate::config;
use crate::error::{Exit, Result};
use crate::report::Out;
use crate::serve::{self, Limits, State};

pub fn run(args: &ServeArgs, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    // `--issuer-from-token` does not exist here: keys only from the configured source.
    let (source, policy) = config::resolve(&args.keys, &args.policy, g.allow_http, false)?;
    let k = &args.keys;
    let keys_from = if let Some(u) = &k.jwks_uri {
        Some(u.clone())
    } else if let Some(f) = k.jwks_file.as_ref().or(k.key.as_ref()) {
        Some(f.display().to_string())
    } else if let Some(f) = &k.secret_file {
        Some(format!("the secret in {}", f.display()))
    } else {
        k.secret_env.as_ref().map(|v| format!("the secret in ${v}"))
    };
    let summary = serve::Summary {
        issuer: policy.issuer.clone(),
        keys_from,
        audiences: policy.audiences.clone(),
        claim_rules: policy.claims.len() + policy.require.len() + policy.asserts.len(),
        routes: 0,
    };
    let fetcher = super::fetcher(g, out);
    let keys = serve::keys::ServeKeys::new(source, fetcher, g.verbose).with_notes(out.notes());
    let state = Arc::new(
        State::new(policy, Arc::new(keys))
            .with_forward_claims(serve::handler::forward_claims(&args.forward_claim))
            .with_verified_cache(serve::vcache::VerifiedCache::new(args.cache_verified))
            .with_access_log((!g.quiet).then(serve::log::AccessLog::start)),
    );
    let limits = Limits {
        workers: args.workers as usize,
        max_connections: args.max_connections as usize,
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
    };
    serve::run(&args.listen, state, limits, &summary, &out.notes())?;
    Ok(Exit::Ok)
}
