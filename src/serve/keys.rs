//! The in-memory key set of `serve`: loaded before the first answer, refreshed
//! in the background when its max-age runs out, refetched on an unknown `kid`
//! at most once per 30 s with concurrent misses sharing one fetch, and kept
//! when a refresh fails. Keys come only from the configured source.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::cache::clamp_max_age;
use crate::clock;
use crate::config::KeySource;
use crate::error::{Category, Error, Kind};
use crate::http::Fetcher;
use crate::issuer;
use crate::keys::KeySet;
use crate::keys::source::{self, Resolved, SetSource};
use crate::note::{Note, Notes};
use crate::verify::KeyProvider;

/// Least time between two unknown-kid refetches (docs/reference.md#serve).
pub const REFETCH_COOLDOWN: Duration = Duration::from_secs(30);

struct Loaded {
    set: Arc<KeySet>,
    expires: Instant,
}

pub struct ServeKeys {
    /// Tells this set's per-thread replicas from another instance's.
    id: u64,
    source: KeySource,
    fetcher: Fetcher,
    loaded: RwLock<Option<Loaded>>,
    /// Serialises fetches; holds the time of the last unknown-kid refetch.
    fetch_lock: Mutex<Option<Instant>>,
    /// Bumped on every key-set change (the verified-token cache keys on it).
    pub generation: AtomicU64,
    pub refresh_ok: AtomicU64,
    pub refresh_failed: AtomicU64,
    /// Why the last load failed, reported while no set is loaded.
    last_error: Mutex<Option<Error>>,
    /// Where loads, key-set warnings and failed refreshes are told.
    notes: Notes,
}

impl ServeKeys {
    /// Notes go to stderr through [`crate::report::notes`], loads only
    /// with `verbose`; [`ServeKeys::with_notes`] sends them elsewhere.
    pub fn new(source: KeySource, fetcher: Fetcher, verbose: bool) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        ServeKeys {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            source,
            fetcher,
            loaded: RwLock::new(None),
            fetch_lock: Mutex::new(None),
            generation: AtomicU64::new(0),
            refresh_ok: AtomicU64::new(0),
            refresh_failed: AtomicU64::new(0),
            last_error: Mutex::new(None),
            notes: crate::report::notes(verbose),
        }
    }

    pub fn with_notes(self, notes: Notes) -> Self {
        ServeKeys { notes, ..self }
    }

    /// Fetches the set from the source, with its max-age.
    fn fetch(&self) -> Result<(KeySet, Duration), Error> {
        let src = match SetSource::resolve(&self.source, |iss| {
            Ok(issuer::discover_uncached(&self.fetcher, iss)?.jwks_source())
        })? {
            Resolved::Fixed(set) => {
                return Ok(((*set).clone(), Duration::from_secs(u64::MAX / 4)));
            }
            Resolved::Load(src) => src,
        };
        match &src {
            SetSource::File(p) => {
                let bytes = source::read_file(p)?;
                let mut set = KeySet::parse(&bytes, &p.display().to_string(), clock::system_now())?;
                set.local = true;
                Ok((set, Duration::from_secs(clamp_max_age(None))))
            }
            SetSource::Url {
                url,
                trust,
                derived,
            } => {
                let fetched = self.fetcher.get_json(url, *trust, *derived)?;
                let mut set = KeySet::parse(&fetched.body, url, clock::system_now())?;
                set.warnings.extend(fetched.warnings);
                Ok((set, Duration::from_secs(clamp_max_age(fetched.max_age))))
            }
        }
    }

    fn install(&self, set: KeySet, max_age: Duration) -> Arc<KeySet> {
        let set = Arc::new(set);
        let expires = Instant::now()
            .checked_add(max_age)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400 * 365));
        if let Ok(mut w) = self.loaded.write() {
            *w = Some(Loaded {
                set: set.clone(),
                expires,
            });
        }
        self.generation.fetch_add(1, Ordering::Release);
        set
    }

    /// Loads (or reloads) the set now; on failure the old set stays.
    pub fn reload(&self) -> Result<Arc<KeySet>, Error> {
        let _guard = self.fetch_lock.lock().unwrap_or_else(|e| e.into_inner());
        self.reload_locked()
    }

    fn reload_locked(&self) -> Result<Arc<KeySet>, Error> {
        match self.fetch() {
            Ok((set, max_age)) => {
                self.refresh_ok.fetch_add(1, Ordering::Relaxed);
                self.notes.send(Note::Detail(format!(
                    "key set loaded from {}: {} keys",
                    set.source,
                    set.keys.len()
                )));
                for w in &set.warnings {
                    self.notes.send(Note::Warning(format!("key set: {w}")));
                }
                Ok(self.install(set, max_age))
            }
            Err(e) => {
                self.refresh_failed.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut last) = self.last_error.lock() {
                    *last = Some(e.clone());
                }
                self.notes.send(Note::Status(format!(
                    "key set refresh failed (keeping the previous set): {}",
                    e.message
                )));
                Err(e)
            }
        }
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded.read().map(|l| l.is_some()).unwrap_or(false)
    }

    pub fn key_count(&self) -> usize {
        self.loaded
            .read()
            .ok()
            .and_then(|l| l.as_ref().map(|l| l.set.keys.len()))
            .unwrap_or(0)
    }

    /// When the background refresher should next run.
    pub fn next_refresh(&self) -> Instant {
        self.loaded
            .read()
            .ok()
            .and_then(|l| l.as_ref().map(|l| l.expires))
            .unwrap_or_else(Instant::now)
    }

    /// Background refresher: a plain thread, never a runtime worker.
    pub fn spawn_refresher(self: &Arc<Self>, stop: Arc<std::sync::atomic::AtomicBool>) {
        if matches!(self.source, KeySource::Static(_)) {
            return;
        }
        let me = self.clone();
        std::thread::Builder::new()
            .name("oidcat-keys".into())
            .spawn(move || {
                let mut backoff = Duration::from_secs(2);
                while !stop.load(Ordering::Relaxed) {
                    let wait = me.next_refresh().saturating_duration_since(Instant::now());
                    if !wait.is_zero() {
                        std::thread::sleep(wait.min(Duration::from_millis(500)));
                        continue;
                    }
                    match me.reload() {
                        Ok(_) => backoff = Duration::from_secs(2),
                        Err(_) => {
                            // Keep the old keys; retry with a bounded backoff.
                            let until = Instant::now() + backoff;
                            while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                                std::thread::sleep(Duration::from_millis(200));
                            }
                            backoff = (backoff * 2).min(REFETCH_COOLDOWN);
                        }
                    }
                }
            })
            .ok();
    }
}

/// A worker thread's own copy of a loaded set ([`KeySet::replica`]).
struct Replica {
    owner: u64,
    generation: u64,
    set: Arc<KeySet>,
}

/// Replicas kept per thread; more only with several servers in one process (tests).
const REPLICAS_PER_THREAD: usize = 4;

thread_local! {
    static REPLICAS: std::cell::RefCell<Vec<Replica>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl ServeKeys {
    /// The loaded set as this thread's replica. A replica is made on a
    /// thread's first request and again after each key-set change; in
    /// between, a request reads one shared atomic and writes nothing another
    /// thread touches.
    fn replica(&self) -> Option<Arc<KeySet>> {
        let generation = self.generation.load(Ordering::Acquire);
        let found = REPLICAS.with(|r| {
            r.borrow()
                .iter()
                .find(|x| x.owner == self.id && x.generation == generation)
                .map(|x| x.set.clone())
        });
        if found.is_some() {
            return found;
        }
        let set = self
            .loaded
            .read()
            .ok()
            .and_then(|l| l.as_ref().map(|l| Arc::new(l.set.replica())))?;
        REPLICAS.with(|r| {
            let mut r = r.borrow_mut();
            r.retain(|x| x.owner != self.id);
            if r.len() >= REPLICAS_PER_THREAD {
                r.remove(0);
            }
            r.push(Replica {
                owner: self.id,
                generation,
                set: set.clone(),
            });
        });
        Some(set)
    }
}

impl KeyProvider for ServeKeys {
    fn current(&self) -> Result<Arc<KeySet>, Error> {
        self.replica().ok_or_else(|| {
            let last = self.last_error.lock().ok().and_then(|l| l.clone());
            match last {
                // 503 either way; the kind says why (fetch_failed, jwks_invalid, ...).
                Some(e) => {
                    // A discovery issuer mismatch is the server's problem, not the token's.
                    let kind = if e.category() == Category::Undecided {
                        e.kind
                    } else {
                        Kind::DiscoveryInvalid
                    };
                    Error::new(kind, format!("no key set loaded yet: {}", e.message))
                }
                None => Error::new(Kind::FetchFailed, "no key set loaded yet"),
            }
        })
    }

    fn refresh(&self) -> Result<Option<Arc<KeySet>>, Error> {
        if matches!(self.source, KeySource::Static(_)) {
            return Ok(None);
        }
        let before = self.generation.load(Ordering::Relaxed);
        let work = || {
            let mut last = self.fetch_lock.lock().unwrap_or_else(|e| e.into_inner());
            if self.generation.load(Ordering::Relaxed) != before {
                // Another request refetched while we waited: share its result.
                return self.current().map(Some);
            }
            if last.is_some_and(|t| t.elapsed() < REFETCH_COOLDOWN) {
                return Ok(None);
            }
            *last = Some(Instant::now());
            match self.reload_locked() {
                Ok(set) => Ok(Some(set)),
                // The old set stays; the token's kid is simply unknown.
                Err(_) => Ok(None),
            }
        };
        // A blocking fetch must not stall a runtime worker: hand it off.
        match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(work)
            }
            _ => work(),
        }
    }
}
