//! `oidcat discover ISSUER`: fetch and check the discovery document.

use crate::cli::{DiscoverArgs, GlobalArgs};
use crate::error::{Exit, Result};
use crate::issuer;
use crate::report::Out;
use crate::report::discover::{DiscoverDoc, text};

pub fn run(args: &DiscoverArgs, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    let issuer = issuer::resolve(&args.issuer);
    let loader = super::loader(g, out);
    let (d, _) = loader.discover(&issuer)?;
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
