//! `--assert`: jq expressions over the claims (and `$header`), through the
//! jaq crates. Each expression is compiled once per thread.

use std::cell::RefCell;
use std::collections::HashMap;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use serde_json::{Map, Value};

use crate::sanitize;

type Filter = jaq_core::compile::Filter<jaq_core::Native<data::JustLut<Val>>>;

fn compile_filter(expr: &str) -> Result<Filter, String> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = loader
        .load(
            &arena,
            File {
                code: expr,
                path: (),
            },
        )
        .map_err(|errs| {
            format!(
                "--assert {expr:?}: {}",
                load_error(errs.first().map(|e| &e.1))
            )
        })?;
    Compiler::default()
        .with_funs(funs)
        .with_global_vars(["$header"])
        .compile(modules)
        .map_err(|errs| {
            let names: Vec<String> = errs
                .iter()
                .flat_map(|(_, es)| es.iter().map(|(name, _)| name.to_string()))
                .collect();
            format!("--assert {expr:?}: undefined filter or variable {} (jq built-ins are jaq's; `$header` is the token header)", names.join(", "))
        })
}

fn near(rest: &str) -> String {
    if rest.is_empty() {
        "at the end".into()
    } else {
        format!("at {:?}", sanitize::truncate(rest, 20))
    }
}

/// A one-line jq syntax error: what was expected, and where.
fn load_error(e: Option<&jaq_core::load::Error<&str>>) -> String {
    use jaq_core::load::Error;
    match e {
        Some(Error::Lex(errs)) => match errs.first() {
            Some((expect, rest)) => {
                format!("syntax error: expected {} {}", expect.as_str(), near(rest))
            }
            None => "syntax error".into(),
        },
        Some(Error::Parse(errs)) => match errs.first() {
            Some((expect, rest)) => {
                format!("syntax error: expected {} {}", expect.as_str(), near(rest))
            }
            None => "syntax error".into(),
        },
        Some(Error::Io(errs)) => format!(
            "cannot load module: {}",
            errs.first().map(|e| e.1.as_str()).unwrap_or("")
        ),
        None => "syntax error".into(),
    }
}

/// Checks an expression compiles; run at start-up so a bad `--assert` is a
/// usage error (exit 2) before any network access.
pub fn validate_assert(expr: &str) -> Result<(), String> {
    compiled(expr).map(|_| ())
}

thread_local! {
    /// jaq values are not `Send`, so each thread compiles each expression once.
    static COMPILED: RefCell<HashMap<String, std::rc::Rc<Filter>>> = RefCell::new(HashMap::new());
}

/// Most outputs read from one expression: `repeat` cannot hang the check.
const MAX_OUTPUTS: usize = 1000;

/// The compiled filter, from this thread's cache: the CLI compiles each
/// expression once (validation and run share it), a `serve` worker once.
fn compiled(expr: &str) -> Result<std::rc::Rc<Filter>, String> {
    COMPILED.with(|c| {
        if let Some(f) = c.borrow().get(expr) {
            return Ok(f.clone());
        }
        let f = std::rc::Rc::new(compile_filter(expr)?);
        c.borrow_mut().insert(expr.to_string(), f.clone());
        Ok(f)
    })
}

fn to_val(v: &Map<String, Value>) -> Result<Val, String> {
    let bytes = serde_json::to_vec(v).map_err(|e| e.to_string())?;
    jaq_json::read::parse_single(&bytes).map_err(|e| format!("{e:?}"))
}

/// Runs an assertion: holds when it yields at least one value and only `true`.
pub fn run_assert(
    expr: &str,
    claims: &Map<String, Value>,
    header: &Map<String, Value>,
) -> Result<(), String> {
    let filter = compiled(expr)?;
    let input = to_val(claims)?;
    let header = to_val(header)?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([header]));
    let mut outputs = 0;
    for out in filter
        .id
        .run((ctx, input))
        .map(unwrap_valr)
        .take(MAX_OUTPUTS)
    {
        outputs += 1;
        match out {
            Ok(v) if v == Val::from(true) => {}
            Ok(v) => {
                return Err(format!(
                    "yielded {}",
                    sanitize::truncate(&v.to_string(), 120)
                ));
            }
            Err(e) => {
                return Err(format!(
                    "error: {}",
                    sanitize::truncate(&e.to_string(), 120)
                ));
            }
        }
    }
    if outputs == 0 {
        Err("yielded no value".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> Map<String, Value> {
        json!({
            "repository": "acme/app",
            "groups": ["dev", "ops"],
        })
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn jq_assertions() {
        let c = claims();
        let h = json!({"alg": "RS256"}).as_object().unwrap().clone();
        assert!(run_assert(".repository == \"acme/app\"", &c, &h).is_ok());
        assert!(run_assert(".groups | index(\"ops\") != null", &c, &h).is_ok());
        assert!(run_assert("$header.alg == \"RS256\"", &c, &h).is_ok());
        assert!(run_assert(".missing == null or .missing == \"x\"", &c, &h).is_ok());
        assert!(run_assert(".repository", &c, &h).is_err());
        assert!(run_assert("empty", &c, &h).is_err());
        assert!(run_assert("true, false", &c, &h).is_err());
        assert!(run_assert("repeat(true)", &c, &h).is_ok());
        assert!(run_assert("error(\"x\")", &c, &h).is_err());
        assert!(validate_assert(".a ==").is_err());
        assert!(validate_assert("nosuchfn(1)").is_err());
    }
}
