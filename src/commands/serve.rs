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
    serve::run(&args.listen, state, limits, &out.notes())?;
    Ok(Exit::Ok)
}
