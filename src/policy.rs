//! Claim assertions: `--claim` (= != ~ !~), `--require`, and `--assert` (jq,
//! through the jaq crates). Pure functions over the claims; no I/O.
//!
//! Semantics (SPEC.md, SECURITY.md D13): a string claim compares as text;
//! numbers, booleans, null and objects compare by their JSON text; an array
//! claim matches `=`/`~` when one element does, and `!=`/`!~` when none does.
//! A missing claim satisfies none of the four (fail closed). Globs are
//! anchored; `*` matches any run including `/`, `?` one character.

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;

use serde_json::{Map, Value};
use wildmatch::WildMatch;

use crate::error::Kind;
use crate::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Glob,
    NotGlob,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Glob => "~",
            Op::NotGlob => "!~",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClaimAssertion {
    pub name: String,
    pub op: Op,
    pub value: String,
    glob: Option<WildMatch>,
}

impl std::fmt::Display for ClaimAssertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.name, self.op.symbol(), self.value)
    }
}

impl FromStr for ClaimAssertion {
    type Err = String;
    /// The first of `=`, `!=`, `~`, `!~` splits name from value.
    fn from_str(s: &str) -> Result<Self, String> {
        let i = s.find(['=', '!', '~']).ok_or_else(|| {
            format!("--claim {s:?}: expected NAME=VALUE, NAME!=VALUE, NAME~GLOB or NAME!~GLOB")
        })?;
        let (name, rest) = s.split_at(i);
        let (op, value) = if let Some(v) = rest.strip_prefix("!=") {
            (Op::Ne, v)
        } else if let Some(v) = rest.strip_prefix("!~") {
            (Op::NotGlob, v)
        } else if let Some(v) = rest.strip_prefix('=') {
            (Op::Eq, v)
        } else if let Some(v) = rest.strip_prefix('~') {
            (Op::Glob, v)
        } else {
            return Err(format!("--claim {s:?}: `!` must be followed by `=` or `~`"));
        };
        if name.is_empty() {
            return Err(format!("--claim {s:?}: the claim name is empty"));
        }
        let glob = matches!(op, Op::Glob | Op::NotGlob).then(|| WildMatch::new(value));
        Ok(ClaimAssertion {
            name: name.to_string(),
            op,
            value: value.to_string(),
            glob,
        })
    }
}

/// The text a claim value compares as.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The text a claim is passed on as (a header, a job output): arrays
/// comma-joined, element by element as [`text`].
pub fn joined_text(v: &Value) -> String {
    match v {
        Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(","),
        other => text(other),
    }
}

impl ClaimAssertion {
    fn matches_one(&self, v: &Value) -> bool {
        // A string claim is compared in place; other values by their JSON text.
        let owned;
        let t: &str = match v {
            Value::String(s) => s,
            other => {
                owned = other.to_string();
                &owned
            }
        };
        match &self.glob {
            Some(g) => g.matches(t),
            None => t == self.value,
        }
    }

    /// `Ok(())` when the assertion holds on the claim's value (`None`: the
    /// claim is missing, see [`crate::claims::Claims::lookup`]), else the
    /// kind and a message.
    pub fn check_value(&self, v: Option<&Value>) -> Result<(), (Kind, String)> {
        let Some(v) = v else {
            return Err((
                Kind::MissingClaim,
                format!("claim `{}` is missing", sanitize::truncate(&self.name, 64)),
            ));
        };
        let any = match v {
            Value::Array(a) => a.iter().any(|e| self.matches_one(e)),
            other => self.matches_one(other),
        };
        let holds = match self.op {
            Op::Eq | Op::Glob => any,
            Op::Ne | Op::NotGlob => !any,
        };
        if holds {
            Ok(())
        } else {
            let shown = sanitize::truncate(
                &match v {
                    Value::String(s) => format!("{s:?}"),
                    other => other.to_string(),
                },
                120,
            );
            let hint = match (self.op, v) {
                (Op::Eq, Value::String(s)) if s.eq_ignore_ascii_case(&self.value) => {
                    " (differs only in letter case)"
                }
                (Op::Eq, Value::String(s)) if s.trim() == self.value => {
                    " (differs only in surrounding whitespace)"
                }
                (Op::Eq, Value::String(s)) if s == "true" || s == "false" => {
                    " (the claim is the string, not the boolean)"
                }
                _ => "",
            };
            Err((
                Kind::ClaimMismatch,
                format!("`{}` is {shown}{hint}", sanitize::truncate(&self.name, 64)),
            ))
        }
    }
}

// ---- --assert: jq expressions through jaq ----

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

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
            "sub": "repo:acme/app:ref:refs/heads/main",
            "email_verified": true,
            "n": 5,
            "groups": ["dev", "ops"],
            "a.b": "top",
            "a": {"b": "nested"},
            "o": {"deep": {"x": "y"}},
            "s_true": "true"
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn check(s: &str) -> Result<(), (Kind, String)> {
        let a = s.parse::<ClaimAssertion>().unwrap();
        let claims = crate::claims::Claims::from_map(&claims());
        a.check_value(claims.lookup(&a.name).as_ref())
    }

    fn ok(s: &str) -> bool {
        check(s).is_ok()
    }

    fn kind(s: &str) -> Kind {
        check(s).unwrap_err().0
    }

    #[test]
    fn operators() {
        assert!(ok("repository=acme/app"));
        assert!(!ok("repository=acme/App"));
        assert!(ok("repository!=acme/other"));
        assert!(ok("sub~repo:acme/*"));
        assert!(ok("sub~repo:acme/*:ref:refs/heads/main"));
        assert!(!ok("sub~repo:acme/app-evil*"));
        assert!(ok("sub!~repo:other/*"));
        assert!(ok("repository~acme/ap?"));
        // anchored: a prefix glob must not match a longer value
        assert!(!ok("sub~repo:acme/app"));
    }

    #[test]
    fn types_arrays_paths() {
        assert!(ok("email_verified=true"));
        assert!(ok("n=5"));
        assert!(ok("s_true=true"));
        assert!(ok("groups=ops"));
        assert!(!ok("groups!=ops"));
        assert!(ok("groups!=admin"));
        assert!(ok("groups~o*"));
        assert!(ok("a.b=top"));
        assert!(ok("o.deep.x=y"));
        assert_eq!(kind("missing=x"), Kind::MissingClaim);
        assert_eq!(kind("missing!=x"), Kind::MissingClaim);
        assert_eq!(kind("missing!~x"), Kind::MissingClaim);
        assert_eq!(kind("repository=x"), Kind::ClaimMismatch);
    }

    #[test]
    fn parsing() {
        let a: ClaimAssertion = "url=https://x/?a=b".parse().unwrap();
        assert_eq!(
            (a.name.as_str(), a.op, a.value.as_str()),
            ("url", Op::Eq, "https://x/?a=b")
        );
        let a: ClaimAssertion = "k!~v=1".parse().unwrap();
        assert_eq!(a.op, Op::NotGlob);
        assert!("novalue".parse::<ClaimAssertion>().is_err());
        assert!("=x".parse::<ClaimAssertion>().is_err());
        assert!("a!b".parse::<ClaimAssertion>().is_err());
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
