//! `serve --policy FILE`: the running policy file, its issuers' key sets,
//! and its reloads (SIGHUP, and a poll of the file that follows a replaced
//! symlink). A file that does not pass `policy check` never replaces the
//! running one: the error is told and counted.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::http::Fetcher;
use crate::keys::KeyProvider;
use crate::note::{Note, Notes};
use crate::policy::{PolicyFile, file};

use super::keys::ServeKeys;

/// How often the file is looked at for a change (docs/policy.md: at most 5 s).
pub const POLL: Duration = Duration::from_secs(2);

/// One applied policy: the file and one key set per issuer.
pub struct Runtime {
    pub file: PolicyFile,
    pub keys: Vec<Arc<ServeKeys>>,
    /// Per issuer: `forward_claims` with their header names.
    pub forward: Vec<Vec<(String, http::HeaderName)>>,
    stops: Vec<Arc<AtomicBool>>,
    /// Answers by (issuer or none, route or none, valid or kind): plain
    /// atomics, so counting takes no lock and no allocation.
    counts: Vec<AtomicU64>,
}

/// Results counted per issuer and route: valid, then every kind.
const RESULTS: usize = crate::error::Kind::ALL.len() + 1;

fn result_name(r: usize) -> &'static str {
    match r.checked_sub(1) {
        None => "valid",
        Some(k) => crate::error::Kind::ALL[k].as_str(),
    }
}

impl Runtime {
    /// Whether every issuer has keys.
    pub fn ready(&self) -> bool {
        self.keys.iter().all(|k| k.is_loaded())
    }

    pub fn provider(&self, i: usize) -> &dyn KeyProvider {
        self.keys[i].as_ref()
    }

    /// Counters per shard (see `metrics`): this many slots each.
    fn slots(&self) -> usize {
        (self.file.issuers.len() + 1) * (self.file.routes.len() + 1) * RESULTS
    }

    fn slot(
        &self,
        issuer: Option<usize>,
        route: Option<usize>,
        kind: Option<crate::error::Kind>,
    ) -> usize {
        let routes = self.file.routes.len() + 1;
        let i = issuer.map_or(0, |i| i + 1);
        let r = route.map_or(0, |r| r + 1);
        let k = kind.map_or(0, |k| k.index() + 1);
        (i * routes + r) * RESULTS + k
    }

    /// Counts one answer under its issuer, route and result, in the calling
    /// thread's shard (two workers never hand a counter's line back and forth).
    pub fn count(
        &self,
        issuer: Option<usize>,
        route: Option<usize>,
        kind: Option<crate::error::Kind>,
    ) {
        let at = super::metrics::shard_index() * self.slots() + self.slot(issuer, route, kind);
        if let Some(c) = self.counts.get(at) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The non-zero counts, by names.
    fn named_counts(&self) -> Vec<((String, String, &'static str), u64)> {
        let routes = self.file.routes.len() + 1;
        let slots = self.slots();
        let mut out = Vec::new();
        for n in 0..slots {
            let v: u64 = (0..super::metrics::SHARDS)
                .filter_map(|sh| self.counts.get(sh * slots + n))
                .map(|c| c.load(Ordering::Relaxed))
                .sum();
            if v == 0 {
                continue;
            }
            let (ir, k) = (n / RESULTS, n % RESULTS);
            let (i, r) = (ir / routes, ir % routes);
            let issuer = i
                .checked_sub(1)
                .map_or("-".to_string(), |i| self.file.issuers[i].name.clone());
            let route = r
                .checked_sub(1)
                .map_or("-".to_string(), |r| self.file.routes[r].name.clone());
            out.push(((issuer, route, result_name(k)), v));
        }
        out
    }
}

/// Makes the HTTP client of a new issuer's key set.
pub type MakeFetcher = Arc<dyn Fn() -> Fetcher + Send + Sync>;

/// The live policy of a server.
pub struct LivePolicy {
    path: PathBuf,
    allow_http: bool,
    verbose: bool,
    make_fetcher: MakeFetcher,
    notes: Notes,
    current: RwLock<Arc<Runtime>>,
    /// The bytes last looked at by the poll (a change is acted on once).
    seen: Mutex<Option<Vec<u8>>>,
    /// One reload at a time (SIGHUP and the poll may coincide).
    reloading: Mutex<()>,
    /// Tells this policy's per-thread views from another instance's.
    id: u64,
    /// Bumped when a new policy is applied: threads then take a fresh view.
    generation: AtomicU64,
    pub reloads_ok: AtomicU64,
    pub reloads_failed: AtomicU64,
    /// Answers counted by policies no longer running, by names.
    retired: Mutex<HashMap<(String, String, &'static str), u64>>,
}

fn key_of(i: &file::FileIssuer) -> Option<String> {
    match &i.source {
        // a key file is read with the policy: always the new one
        crate::config::KeySource::Static(_) => None,
        _ => Some(format!("{}\n{}", i.url, i.keys)),
    }
}

impl LivePolicy {
    /// Reads the file and loads every issuer's keys (before the first request).
    pub fn start(
        path: PathBuf,
        allow_http: bool,
        verbose: bool,
        make_fetcher: MakeFetcher,
        notes: Notes,
    ) -> Result<LivePolicy, crate::error::Error> {
        let bytes = crate::input::read_document(&path, file::MAX_POLICY_BYTES)
            .ok()
            .flatten();
        let file =
            file::load(&path, allow_http).map_err(|e| crate::error::Error::usage(e.to_string()))?;
        let runtime = build(file, None, &make_fetcher, verbose, &notes);
        Ok(LivePolicy {
            path,
            allow_http,
            verbose,
            make_fetcher,
            notes,
            current: RwLock::new(Arc::new(runtime)),
            seen: Mutex::new(bytes),
            reloading: Mutex::new(()),
            id: {
                static NEXT_ID: AtomicU64 = AtomicU64::new(1);
                NEXT_ID.fetch_add(1, Ordering::Relaxed)
            },
            generation: AtomicU64::new(0),
            reloads_ok: AtomicU64::new(0),
            reloads_failed: AtomicU64::new(0),
            retired: Mutex::new(HashMap::new()),
        })
    }

    /// The policy in force now.
    pub fn current(&self) -> Arc<Runtime> {
        match self.current.read() {
            Ok(c) => c.clone(),
            Err(e) => e.into_inner().clone(),
        }
    }

    /// Runs `f` on the policy in force, through this thread's view of it:
    /// per request only a read of the generation, no lock and no shared
    /// reference count (a per-request `Arc` clone made two workers hand the
    /// count's cache line back and forth). A view is refreshed when a new
    /// policy was applied; the old one lives until every thread moved on.
    pub fn with_current<R>(&self, f: impl FnOnce(&Runtime) -> R) -> R {
        thread_local! {
            static VIEW: std::cell::RefCell<Option<(u64, u64, Arc<Runtime>)>> =
                const { std::cell::RefCell::new(None) };
        }
        let generation = self.generation.load(Ordering::Acquire);
        VIEW.with(|v| {
            let fresh =
                matches!(&*v.borrow(), Some((id, g, _)) if *id == self.id && *g == generation);
            if !fresh {
                *v.borrow_mut() = Some((self.id, generation, self.current()));
            }
            match &*v.borrow() {
                Some((_, _, rt)) => f(rt),
                None => f(&self.current()),
            }
        })
    }

    /// Reads the file again and applies it when it passes; `why` is told
    /// in the log line. Returns whether the new file was applied.
    pub fn reload(&self, why: &str) -> bool {
        let _one = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(mut seen) = self.seen.lock() {
            *seen = crate::input::read_document(&self.path, file::MAX_POLICY_BYTES)
                .ok()
                .flatten();
        }
        match file::load(&self.path, self.allow_http) {
            Ok(f) => {
                let old = self.current();
                let new = Arc::new(build(
                    f,
                    Some(&old),
                    &self.make_fetcher,
                    self.verbose,
                    &self.notes,
                ));
                // Stop the refreshers of key sets the new policy dropped.
                for (k, stop) in old.keys.iter().zip(&old.stops) {
                    if !new.keys.iter().any(|n| Arc::ptr_eq(n, k)) {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                let summary = format!(
                    "policy {} reloaded ({why}): {} issuer(s), {} route(s)",
                    self.path.display(),
                    new.file.issuers.len(),
                    new.file.routes.len()
                );
                match self.current.write() {
                    Ok(mut c) => *c = new,
                    Err(e) => *e.into_inner() = new,
                }
                self.generation.fetch_add(1, Ordering::Release);
                // The old policy's counts live on under their names.
                if let Ok(mut r) = self.retired.lock() {
                    for (k, v) in old.named_counts() {
                        *r.entry(k).or_insert(0) += v;
                    }
                }
                self.reloads_ok.fetch_add(1, Ordering::Relaxed);
                self.notes.send(Note::Status(summary));
                true
            }
            Err(e) => {
                self.reloads_failed.fetch_add(1, Ordering::Relaxed);
                self.notes.send(Note::Warning(format!(
                    "policy reload ({why}) refused, the running policy stays: {}",
                    e.to_string().replace('\n', "; ")
                )));
                false
            }
        }
    }

    /// Whether the file's content differs from what was last looked at.
    fn changed(&self) -> bool {
        let now = crate::input::read_document(&self.path, file::MAX_POLICY_BYTES)
            .ok()
            .flatten();
        match self.seen.lock() {
            Ok(seen) => *seen != now,
            Err(_) => false,
        }
    }

    /// Polls the file every [`POLL`] (reading through the path, so a
    /// replaced symlink is followed) until `stop`.
    pub fn spawn_watcher(self: &Arc<Self>, stop: Arc<AtomicBool>) {
        let me = self.clone();
        std::thread::Builder::new()
            .name("oidcat-policy".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    for _ in 0..(POLL.as_millis() / 100) {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    if me.changed() {
                        me.reload("file changed");
                    }
                }
            })
            .ok();
    }

    /// Stops every key-set refresher (shut-down).
    pub fn stop(&self) {
        for s in &self.current().stops {
            s.store(true, Ordering::Relaxed);
        }
    }

    /// The policy's own metrics (Prometheus text).
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let rt = self.current();
        let mut s = String::new();
        s.push_str("# HELP oidcat_policy_reloads_total Policy file reloads by result.\n# TYPE oidcat_policy_reloads_total counter\n");
        let _ = writeln!(
            s,
            "oidcat_policy_reloads_total{{result=\"ok\"}} {}",
            self.reloads_ok.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            s,
            "oidcat_policy_reloads_total{{result=\"error\"}} {}",
            self.reloads_failed.load(Ordering::Relaxed)
        );
        s.push_str("# HELP oidcat_policy_decisions_total /verify answers by issuer, route and result.\n# TYPE oidcat_policy_decisions_total counter\n");
        if let Ok(m) = self.retired.lock() {
            let mut all = m.clone();
            for (k, v) in rt.named_counts() {
                *all.entry(k).or_insert(0) += v;
            }
            let mut rows: Vec<_> = all.iter().collect();
            rows.sort();
            for ((issuer, route, result), n) in rows {
                let _ = writeln!(
                    s,
                    "oidcat_policy_decisions_total{{issuer=\"{}\",route=\"{}\",result=\"{result}\"}} {n}",
                    label(issuer),
                    label(route)
                );
            }
        }
        s.push_str("# HELP oidcat_issuer_keys_loaded Usable keys per issuer.\n# TYPE oidcat_issuer_keys_loaded gauge\n");
        for (i, k) in rt.file.issuers.iter().zip(&rt.keys) {
            let _ = writeln!(
                s,
                "oidcat_issuer_keys_loaded{{issuer=\"{}\"}} {}",
                label(&i.name),
                k.key_count()
            );
        }
        s.push_str("# HELP oidcat_issuer_key_set_refreshes_total Key set fetches per issuer by result.\n# TYPE oidcat_issuer_key_set_refreshes_total counter\n");
        for (i, k) in rt.file.issuers.iter().zip(&rt.keys) {
            for (result, n) in [
                ("success", k.refresh_ok.load(Ordering::Relaxed)),
                ("failure", k.refresh_failed.load(Ordering::Relaxed)),
            ] {
                let _ = writeln!(
                    s,
                    "oidcat_issuer_key_set_refreshes_total{{issuer=\"{}\",result=\"{result}\"}} {n}",
                    label(&i.name)
                );
            }
        }
        s.push_str("# HELP oidcat_issuer_ready Whether the issuer has keys.\n# TYPE oidcat_issuer_ready gauge\n");
        for (i, k) in rt.file.issuers.iter().zip(&rt.keys) {
            let _ = writeln!(
                s,
                "oidcat_issuer_ready{{issuer=\"{}\"}} {}",
                label(&i.name),
                u8::from(k.is_loaded())
            );
        }
        s
    }
}

/// A Prometheus label value: `\`, `"` and newlines escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The runtime of `file`: key sets of unchanged issuers are kept from `old`,
/// new ones loaded now (before the policy is applied) with their refreshers.
fn build(
    file: PolicyFile,
    old: Option<&Runtime>,
    make_fetcher: &MakeFetcher,
    verbose: bool,
    notes: &Notes,
) -> Runtime {
    let mut keys = Vec::new();
    let mut stops = Vec::new();
    let mut forward = Vec::new();
    for i in &file.issuers {
        forward.push(super::handler::forward_claims(&i.forward_claims));
        let kept = old.and_then(|o| {
            let k = key_of(i)?;
            let j = o
                .file
                .issuers
                .iter()
                .position(|x| key_of(x).as_deref() == Some(&k))?;
            Some((o.keys[j].clone(), o.stops[j].clone()))
        });
        if let Some((k, stop)) = kept {
            keys.push(k);
            stops.push(stop);
            continue;
        }
        let k = Arc::new(
            ServeKeys::new(i.source.clone(), make_fetcher(), verbose).with_notes(notes.clone()),
        );
        match k.reload() {
            Ok(set) => notes.send(Note::Status(format!(
                "issuer {}: {} key(s) from {}",
                i.name,
                set.keys.len(),
                i.keys
            ))),
            Err(e) => notes.send(Note::Warning(format!(
                "issuer {}: no keys yet ({}); its tokens get 503 until they load",
                i.name, e.message
            ))),
        }
        let stop = Arc::new(AtomicBool::new(false));
        k.spawn_refresher(stop.clone());
        keys.push(k);
        stops.push(stop);
    }
    let slots =
        (file.issuers.len() + 1) * (file.routes.len() + 1) * RESULTS * super::metrics::SHARDS;
    Runtime {
        file,
        keys,
        forward,
        stops,
        counts: (0..slots).map(|_| AtomicU64::new(0)).collect(),
    }
}
