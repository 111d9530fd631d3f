//! The CI claim flags (`--repo`, `--ref`, `--workflow`, `--environment`,
//! `--event`): typed shorthands for the claims people check on tokens of a
//! CI issuer, each mapped to that issuer's claim name
//! (docs/github-actions.md#the-ci-claim-flags).
//!
//! Each flag becomes an anchored glob assertion `CLAIM~VALUE`, made by the
//! one `--claim` parser and checked by the same code (so a value without `*`
//! or `?` is an exact match); it is reported as its own `claim` check under
//! the flag's name, with the near-miss hints below. Which issuers the flags
//! apply to, and GitHub's full-ref rule, are decided here, before any
//! network use. Pure functions; no I/O.

use super::ClaimAssertion;
use crate::sanitize;

/// GitHub's issuer; a GitHub Enterprise issuer is this plus `/<slug>`.
const GITHUB: &str = "https://token.actions.githubusercontent.com";
const GITLAB: &str = "https://gitlab.com";

/// The CI flags as given, each `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiFlags {
    pub repo: Option<String>,
    pub git_ref: Option<String>,
    pub workflow: Option<String>,
    pub environment: Option<String>,
    pub event: Option<String>,
}

impl CiFlags {
    /// `(flag, value)` for each flag given, in the order of the table.
    fn given(&self) -> impl Iterator<Item = (Flag, &str)> {
        [
            (Flag::Repo, &self.repo),
            (Flag::Ref, &self.git_ref),
            (Flag::Workflow, &self.workflow),
            (Flag::Environment, &self.environment),
            (Flag::Event, &self.event),
        ]
        .into_iter()
        .filter_map(|(f, v)| v.as_deref().map(|v| (f, v)))
    }
}

/// A CI issuer whose claims the flags know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ci {
    GitHub,
    GitLab,
}

impl Ci {
    /// The CI whose tokens `issuer` (a URL, presets already expanded) issues:
    /// GitHub's issuer or a GitHub Enterprise issuer under it, or GitLab.com.
    pub fn of_issuer(issuer: &str) -> Option<Ci> {
        match issuer.strip_prefix(GITHUB) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => Some(Ci::GitHub),
            _ if issuer.trim_end_matches('/') == GITLAB => Some(Ci::GitLab),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Repo,
    Ref,
    Workflow,
    Environment,
    Event,
}

impl Flag {
    pub fn name(self) -> &'static str {
        match self {
            Flag::Repo => "--repo",
            Flag::Ref => "--ref",
            Flag::Workflow => "--workflow",
            Flag::Environment => "--environment",
            Flag::Event => "--event",
        }
    }

    /// The claim the flag checks on a token of `ci`.
    pub fn claim(self, ci: Ci) -> &'static str {
        match (self, ci) {
            (Flag::Repo, Ci::GitHub) => "repository",
            (Flag::Repo, Ci::GitLab) => "project_path",
            (Flag::Ref, _) => "ref",
            (Flag::Workflow, Ci::GitHub) => "job_workflow_ref",
            (Flag::Workflow, Ci::GitLab) => "ci_config_ref_uri",
            (Flag::Environment, _) => "environment",
            (Flag::Event, Ci::GitHub) => "event_name",
            (Flag::Event, Ci::GitLab) => "pipeline_source",
        }
    }

    /// The `--claim` a user of another issuer writes instead.
    fn claim_example(self) -> &'static str {
        match self {
            Flag::Repo => "--claim repository=acme/app",
            Flag::Ref => "--claim ref=refs/heads/main",
            Flag::Workflow => "--claim 'job_workflow_ref~*/deploy.yml@refs/heads/main'",
            Flag::Environment => "--claim environment=production",
            Flag::Event => "--claim event_name=push",
        }
    }
}

/// Which flag made an assertion, for its name in reports and its hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub flag: Flag,
    pub ci: Ci,
}

/// The assertions the flags make on tokens of `issuer` (a URL, presets
/// expanded; `None` without `--issuer`), or a usage message: the flags need
/// a CI issuer, a value, and for GitHub a `--ref` that is a full ref.
pub fn resolve(flags: &CiFlags, issuer: Option<&str>) -> Result<Vec<ClaimAssertion>, String> {
    let Some((first, _)) = flags.given().next() else {
        return Ok(Vec::new());
    };
    let Some(ci) = issuer.and_then(Ci::of_issuer) else {
        let which = match issuer {
            Some(i) => format!(
                "the issuer is {}",
                sanitize::truncate(&sanitize::escape(i), 120)
            ),
            None => "no --issuer was given".to_string(),
        };
        return Err(format!(
            "{} is for tokens of a CI issuer (--issuer github, a GitHub Enterprise issuer under {GITHUB}/, or --issuer gitlab), but {which}; for any other issuer check the claim with --claim, e.g. {}",
            first.name(),
            first.claim_example()
        ));
    };
    let mut out = Vec::new();
    for (flag, value) in flags.given() {
        let shown = sanitize::truncate(&sanitize::escape(value), 120);
        if value.is_empty() {
            return Err(format!("{} needs a value", flag.name()));
        }
        if flag == Flag::Ref && ci == Ci::GitHub && !value.starts_with("refs/") {
            return Err(format!(
                "--ref {shown}: GitHub's ref claim is a full ref: --ref refs/heads/{shown} for a branch, --ref refs/tags/{shown} for a tag"
            ));
        }
        let assertion: ClaimAssertion = format!("{}~{value}", flag.claim(ci))
            .parse()
            .map_err(|e: String| format!("{} {shown}: {e}", flag.name()))?;
        out.push(assertion.with_origin(Origin { flag, ci }));
    }
    Ok(out)
}

fn glob_matches(glob: &str, value: &str) -> bool {
    super::glob::Glob::new(glob).matches(value)
}

impl Origin {
    /// Appended to "claim `X` is missing".
    pub(super) fn missing_hint(self) -> &'static str {
        match self.flag {
            Flag::Environment => " (only a job that names an `environment:` has one)",
            _ => "",
        }
    }

    /// Why `actual` nearly matches the flag's value `want`, if it does.
    pub(super) fn hint(self, want: &str, actual: &str) -> Option<String> {
        if glob_matches(&want.to_lowercase(), &actual.to_lowercase()) {
            return Some("differs only in letter case".into());
        }
        match (self.flag, self.ci) {
            (Flag::Ref, Ci::GitHub) => {
                // A branch named where the token has a tag of that name, or the reverse.
                let tail = |s: &str| {
                    s.strip_prefix("refs/heads/")
                        .or_else(|| s.strip_prefix("refs/tags/"))
                        .map(str::to_owned)
                };
                let (w, a) = (tail(want)?, tail(actual)?);
                glob_matches(&w, &a).then(|| {
                    let kind = if actual.starts_with("refs/tags/") {
                        "a tag"
                    } else {
                        "a branch"
                    };
                    format!("the token's ref is {kind}")
                })
            }
            (Flag::Ref, Ci::GitLab) => {
                let short = want
                    .strip_prefix("refs/heads/")
                    .or_else(|| want.strip_prefix("refs/tags/"))?;
                glob_matches(short, actual).then(|| {
                    format!(
                        "GitLab's ref claim is the bare branch or tag name: --ref {}",
                        sanitize::escape(short)
                    )
                })
            }
            (Flag::Workflow, Ci::GitHub) => {
                let (path, at) = actual.split_once('@')?;
                if !want.contains('@') {
                    return Some(if glob_matches(want, path) {
                        format!(
                            "job_workflow_ref ends in @REF: --workflow '{}@{}', or '{}@*' for any ref",
                            sanitize::escape(want),
                            sanitize::escape(at),
                            sanitize::escape(want)
                        )
                    } else {
                        "job_workflow_ref is OWNER/REPO/.github/workflows/FILE@REF, and this value has no @REF".into()
                    });
                }
                let (want_path, _) = want.split_once('@')?;
                if want_path.starts_with(".github/") || want_path.starts_with("/.github/") {
                    return Some(
                        "job_workflow_ref starts with OWNER/REPO/, e.g. acme/app/.github/workflows/deploy.yml@refs/heads/main".into(),
                    );
                }
                None
            }
            (Flag::Repo, _) => {
                let bare = want
                    .trim_start_matches("https://")
                    .trim_start_matches("github.com/")
                    .trim_start_matches("gitlab.com/");
                (bare != want && glob_matches(bare, actual)).then(|| {
                    format!(
                        "the claim is OWNER/NAME without the host: --repo {}",
                        sanitize::escape(bare)
                    )
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::Claims;
    use crate::error::Kind;
    use serde_json::json;

    fn flags(pairs: &[(Flag, &str)]) -> CiFlags {
        let mut f = CiFlags::default();
        for (flag, v) in pairs {
            let v = Some(v.to_string());
            match flag {
                Flag::Repo => f.repo = v,
                Flag::Ref => f.git_ref = v,
                Flag::Workflow => f.workflow = v,
                Flag::Environment => f.environment = v,
                Flag::Event => f.event = v,
            }
        }
        f
    }

    fn github_claims() -> Claims {
        Claims::from_map(
            json!({
                "repository": "acme/app",
                "ref": "refs/heads/main",
                "job_workflow_ref": "acme/app/.github/workflows/deploy.yml@refs/heads/main",
                "event_name": "push",
            })
            .as_object()
            .unwrap(),
        )
    }

    /// Checks every assertion the flags make on `claims`.
    fn run(
        issuer: &str,
        pairs: &[(Flag, &str)],
        claims: &Claims,
    ) -> Vec<Result<String, (Kind, String)>> {
        resolve(&flags(pairs), Some(issuer))
            .unwrap()
            .iter()
            .map(|a| {
                a.check_value(claims.lookup(&a.name).as_ref())
                    .map(|()| a.to_string())
                    .map_err(|e| (e.kind, e.message))
            })
            .collect()
    }

    #[test]
    fn issuers() {
        assert_eq!(Ci::of_issuer(GITHUB), Some(Ci::GitHub));
        assert_eq!(
            Ci::of_issuer(&format!("{GITHUB}/acme-corp")),
            Some(Ci::GitHub)
        );
        assert_eq!(Ci::of_issuer(&format!("{GITHUB}.evil.example")), None);
        assert_eq!(Ci::of_issuer("https://gitlab.com"), Some(Ci::GitLab));
        assert_eq!(Ci::of_issuer("https://gitlab.example.com"), None);
        assert_eq!(Ci::of_issuer("https://example.com"), None);
    }

    #[test]
    fn flags_map_to_each_issuers_claims() {
        let all = [
            (Flag::Repo, "a"),
            (Flag::Ref, "refs/heads/a"),
            (Flag::Workflow, "a"),
            (Flag::Environment, "a"),
            (Flag::Event, "a"),
        ];
        let names = |issuer| -> Vec<String> {
            resolve(&flags(&all), Some(issuer))
                .unwrap()
                .into_iter()
                .map(|a| a.name)
                .collect()
        };
        assert_eq!(
            names(GITHUB),
            [
                "repository",
                "ref",
                "job_workflow_ref",
                "environment",
                "event_name"
            ]
        );
        assert_eq!(
            names(GITLAB),
            [
                "project_path",
                "ref",
                "ci_config_ref_uri",
                "environment",
                "pipeline_source"
            ]
        );
    }

    #[test]
    fn matching_values_hold_each_as_its_own_check() {
        let results = run(
            GITHUB,
            &[
                (Flag::Repo, "acme/app"),
                (Flag::Ref, "refs/heads/main"),
                (
                    Flag::Workflow,
                    "acme/app/.github/workflows/deploy.yml@refs/heads/main",
                ),
                (Flag::Event, "push"),
            ],
            &github_claims(),
        );
        assert_eq!(results.len(), 4);
        assert_eq!(results[0], Ok("--repo acme/app".to_string()));
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        // globs, anchored
        assert!(run(GITHUB, &[(Flag::Repo, "acme/*")], &github_claims())[0].is_ok());
        assert!(run(GITHUB, &[(Flag::Repo, "acme")], &github_claims())[0].is_err());
        assert!(run(GITHUB, &[(Flag::Repo, "acme/ap")], &github_claims())[0].is_err());
        assert!(
            run(
                GITHUB,
                &[(Flag::Workflow, "*/.github/workflows/deploy.yml@*")],
                &github_claims()
            )[0]
            .is_ok()
        );
    }

    #[test]
    fn mismatches_name_the_claim_with_near_miss_hints() {
        let c = github_claims();
        let err = |issuer, flag, v| run(issuer, &[(flag, v)], &c).remove(0).unwrap_err();

        let (kind, msg) = err(GITHUB, Flag::Repo, "acme/other");
        assert_eq!(kind, Kind::ClaimMismatch);
        assert_eq!(msg, "`repository` is \"acme/app\"");
        assert!(
            err(GITHUB, Flag::Repo, "Acme/App")
                .1
                .contains("differs only in letter case")
        );
        assert!(
            err(GITHUB, Flag::Repo, "https://github.com/acme/app")
                .1
                .contains("without the host: --repo acme/app")
        );
        assert!(
            err(GITHUB, Flag::Ref, "refs/tags/main")
                .1
                .contains("the token's ref is a branch")
        );
        let msg = err(
            GITHUB,
            Flag::Workflow,
            "acme/app/.github/workflows/deploy.yml",
        )
        .1;
        assert!(
            msg.contains("--workflow 'acme/app/.github/workflows/deploy.yml@refs/heads/main'"),
            "{msg}"
        );
        let msg = err(
            GITHUB,
            Flag::Workflow,
            ".github/workflows/deploy.yml@refs/heads/main",
        )
        .1;
        assert!(msg.contains("starts with OWNER/REPO/"), "{msg}");

        let (kind, msg) = err(GITHUB, Flag::Environment, "production");
        assert_eq!(kind, Kind::MissingClaim);
        assert!(
            msg.contains("`environment` is missing") && msg.contains("environment:"),
            "{msg}"
        );

        let gitlab = Claims::from_map(
            json!({"ref": "main", "project_path": "acme/app"})
                .as_object()
                .unwrap(),
        );
        let a = resolve(&flags(&[(Flag::Ref, "refs/heads/main")]), Some(GITLAB)).unwrap();
        let msg = a[0]
            .check_value(gitlab.lookup("ref").as_ref())
            .unwrap_err()
            .message;
        assert!(msg.contains("bare branch or tag name: --ref main"), "{msg}");
    }

    #[test]
    fn usage_errors() {
        let e = resolve(
            &flags(&[(Flag::Repo, "acme/app")]),
            Some("https://example.com"),
        )
        .unwrap_err();
        assert!(e.starts_with("--repo is for tokens of a CI issuer"), "{e}");
        assert!(e.contains("--claim repository=acme/app"), "{e}");
        let e = resolve(&flags(&[(Flag::Event, "push")]), None).unwrap_err();
        assert!(
            e.contains("no --issuer") && e.contains("--claim event_name=push"),
            "{e}"
        );
        let e = resolve(&flags(&[(Flag::Ref, "main")]), Some(GITHUB)).unwrap_err();
        assert!(e.contains("--ref refs/heads/main"), "{e}");
        // GitLab's ref is a bare name
        assert!(resolve(&flags(&[(Flag::Ref, "main")]), Some(GITLAB)).is_ok());
        assert!(resolve(&flags(&[(Flag::Repo, "")]), Some(GITHUB)).is_err());
        assert!(
            resolve(&CiFlags::default(), Some("https://example.com"))
                .unwrap()
                .is_empty()
        );
    }
}
