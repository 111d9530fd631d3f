//! `oidcat policy check FILE`: read a policy file strictly, offline.

use crate::cli::{GlobalArgs, PolicyCommand, PolicySub};
use crate::error::{Error, Exit, Result};
use crate::policy::file;
use crate::report::Out;
use crate::report::policy::PolicyDoc;

pub fn run(args: &PolicyCommand, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    match &args.command {
        PolicySub::Check { file: path } => {
            let p = load(path, g.allow_http)?;
            let doc = PolicyDoc::of(&p);
            if out.is_json() {
                out.json(&doc);
            } else {
                out.print(&doc.text());
            }
            for w in &p.warnings {
                out.warn(w);
            }
            Ok(Exit::Ok)
        }
    }
}

/// Loads a policy file; every problem becomes one usage error (exit 2) whose
/// message has one `FILE:LINE:COL: message` line per problem.
pub fn load(path: &std::path::Path, allow_http: bool) -> Result<crate::policy::PolicyFile> {
    file::load(path, allow_http).map_err(|e| Error::usage(e.to_string()))
}
