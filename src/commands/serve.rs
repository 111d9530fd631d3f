//! `oidcat serve`: flags -> the same config as `verify` -> the server.

use std::sync::Arc;

use crate::cli::{GlobalArgs, ServeArgs};
use crate::config::{self, KeySource};
use crate::error::{Exit, Result};
use crate::report::Out;
use crate::serve::{self, Limits, State};

pub fn run(args: &ServeArgs, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    if let Some(path) = &args.policy_file {
        return run_policy(args, path, g, out);
    }
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
        policy_issuers: Vec::new(),
    };
    let fetcher = super::fetcher(g, out);
    let keys = serve::keys::ServeKeys::new(source, fetcher, g.verbose).with_notes(out.notes());
    let state = Arc::new(
        State::new(policy, Arc::new(keys))
            .with_forward_claims(serve::handler::forward_claims(&args.forward_claim))
            .with_verified_cache(serve::vcache::VerifiedCache::new(args.cache_verified))
            .with_access_log((!g.quiet).then(serve::log::AccessLog::start)),
    );
    serve::run(&args.listen, state, limits(args), &summary, &out.notes())?;
    Ok(Exit::Ok)
}

/// `serve --policy FILE`: every issuer and route of the file.
fn run_policy(args: &ServeArgs, path: &std::path::Path, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    super::refuse_flags_beside_policy(
        &args.keys,
        &args.policy,
        &[
            ("--forward-claim", !args.forward_claim.is_empty()),
            ("--cache-verified", args.cache_verified > 0),
        ],
    )?;
    let g2 = g.clone();
    let out2 = out.clone();
    let make: serve::policy::MakeFetcher = Arc::new(move || super::fetcher(&g2, &out2));
    let live = serve::policy::LivePolicy::start(
        path.to_path_buf(),
        g.allow_http,
        g.verbose,
        make,
        out.notes(),
    )?;
    let rt = live.current();
    for w in &rt.file.warnings {
        out.warn(w);
    }
    let plural = |n: usize| {
        if n == 1 {
            "1 key".to_string()
        } else {
            format!("{n} keys")
        }
    };
    let summary = serve::Summary {
        issuer: None,
        keys_from: None,
        audiences: None,
        claim_rules: 0,
        routes: rt.file.routes.len(),
        policy_issuers: rt
            .file
            .issuers
            .iter()
            .zip(&rt.keys)
            .map(|(i, k)| format!("{} ({} from {})", i.name, plural(k.key_count()), i.keys))
            .collect(),
    };
    drop(rt);
    // The single-issuer settings stay unused: an empty static set.
    let unused = KeySource::Static(Arc::new(crate::keys::KeySet::default()));
    let keys = serve::keys::ServeKeys::new(unused, super::fetcher(g, out), g.verbose);
    let policy = crate::policy::Policy {
        audiences: Some(Vec::new()),
        leeway: 0,
        ..crate::policy::Policy::new(Vec::new())
    };
    let state = Arc::new(
        State::new(policy, Arc::new(keys))
            .with_policy_file(Some(Arc::new(live)))
            .with_access_log((!g.quiet).then(serve::log::AccessLog::start)),
    );
    serve::run(&args.listen, state, limits(args), &summary, &out.notes())?;
    Ok(Exit::Ok)
}

fn limits(args: &ServeArgs) -> Limits {
    Limits {
        workers: args.workers as usize,
        max_connections: args.max_connections as usize,
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
    }
}
