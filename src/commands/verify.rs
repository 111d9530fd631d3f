//! stub
use crate::report::Out;
pub fn run(_a: &crate::cli::VerifyArgs, _g: &crate::cli::GlobalArgs, _o: &Out) -> crate::error::Result<u8> { Err(crate::error::Error::usage("not yet")) }
