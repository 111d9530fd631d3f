//! `oidcat discover ISSUER`: fetch and check the discovery document.

use crate::cli::{DiscoverArgs, GlobalArgs};
use crate::error::{Exit, Result};
use crate::issuer;
use crate::report::Out;
use crate::report::discover::{DiscoverDoc, text};

pub fn run(args: &DiscoverArgs, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    let d = match (&args.file, &args.issuer) {
        (Some(path), _) => {
            issuer::read_document_file(path, args.expected_issuer.as_deref(), g.allow_http)?
        }
        (None, issuer) => {
            let issuer = issuer::resolve(issuer.as_deref().unwrap_or_default());
            crate::mistakes::issuer_is_discovery_url("discover", &issuer)?;
            super::loader(g, out).discover(&issuer)?.0
        }
    };
    if args.raw {
        Out::stdout(&String::from_utf8_lossy(&d.raw));
    } else if out.is_json() {
        out.json(&DiscoverDoc::of(&d));
    } else {
        out.print(&text(&d));
    }
    for w in &d.warnings {
        out.warn(w);
    }
    Ok(Exit::Ok)
}
