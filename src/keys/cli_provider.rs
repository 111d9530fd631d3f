//! The CLI's [`KeyProvider`]: discovery and key set through the disk cache,
//! with one refetch (bypassing the cache) for an unknown `kid`, unless the set
//! was already fetched fresh in this run (docs/reference.md#caching: a cold cache counts as fresh).

use std::cell::RefCell;
use std::sync::Arc;

use crate::config::KeySource;
use crate::error::{Error, Kind};
use crate::issuer::Loader;
use crate::verify::KeyProvider;

use super::KeySet;
use super::source::{self, Resolved, SetSource};

pub struct CliKeys<'a> {
    loader: &'a Loader,
    source: KeySource,
    set_source: RefCell<Option<SetSource>>,
    /// The loaded set, and whether it came from the network in this run.
    state: RefCell<Option<(Arc<KeySet>, bool)>>,
    /// Discovery warnings, for the caller to show.
    pub notes: RefCell<Vec<String>>,
    /// What only `-v` shows (metadata the provider omits).
    pub verbose_notes: RefCell<Vec<String>>,
}

impl<'a> CliKeys<'a> {
    pub fn new(loader: &'a Loader, source: KeySource) -> Self {
        CliKeys {
            loader,
            source,
            set_source: RefCell::new(None),
            state: RefCell::new(None),
            notes: RefCell::new(vec![]),
            verbose_notes: RefCell::new(vec![]),
        }
    }

    /// Adds the warnings not already noted.
    fn note_all(&self, warnings: &[String]) {
        let mut notes = self.notes.borrow_mut();
        for w in warnings {
            if !notes.contains(w) {
                notes.push(w.clone());
            }
        }
    }

    fn set_source(&self) -> Result<SetSource, Error> {
        if let Some(s) = self.set_source.borrow().as_ref() {
            return Ok(s.clone());
        }
        let resolved = SetSource::resolve(&self.source, |iss| {
            let (d, _) = self.loader.discover(iss)?;
            // Metadata the provider omits is nothing the user can fix:
            // `discover` shows it, `verify` only with -v.
            let (omitted, warnings): (Vec<&String>, Vec<&String>) = d
                .warnings
                .iter()
                .partition(|w| crate::issuer::is_omission(w));
            self.notes
                .borrow_mut()
                .extend(warnings.iter().map(|w| format!("discovery: {w}")));
            self.verbose_notes
                .borrow_mut()
                .extend(omitted.iter().map(|w| format!("discovery: {w}")));
            Ok(d.jwks_source())
        })?;
        let s = match resolved {
            Resolved::Load(s) => s,
            Resolved::Fixed(_) => {
                return Err(Error::new(
                    Kind::Usage,
                    "internal: no set source for a fixed key set",
                ));
            }
        };
        *self.set_source.borrow_mut() = Some(s.clone());
        Ok(s)
    }
}

impl KeyProvider for CliKeys<'_> {
    fn current(&self) -> Result<Arc<KeySet>, Error> {
        if let KeySource::Static(set) = &self.source {
            if self.state.borrow().is_none() {
                self.notes.borrow_mut().extend(set.warnings.iter().cloned());
                *self.state.borrow_mut() = Some((set.clone(), false));
            }
            return Ok(set.clone());
        }
        if let Some((set, _)) = self.state.borrow().as_ref() {
            return Ok(set.clone());
        }
        let src = self.set_source()?;
        let (set, prov) = source::load(self.loader, &src, false)?;
        // Key-set findings are shown once per load, not copied into every verdict.
        self.note_all(&set.warnings);
        let set = Arc::new(set);
        *self.state.borrow_mut() = Some((set.clone(), !prov.from_cache));
        Ok(set)
    }

    fn refresh(&self) -> Result<Option<Arc<KeySet>>, Error> {
        if matches!(self.source, KeySource::Static(_) | KeySource::JwksFile(_)) {
            return Ok(None);
        }
        if self.loader.cache.mode == crate::cache::Mode::Offline {
            return Ok(None);
        }
        if let Some((_, true)) = self.state.borrow().as_ref() {
            return Ok(None);
        }
        let src = self.set_source()?;
        let (set, _) = source::load(self.loader, &src, true)?;
        // A refetch usually says what the first load said: say it once.
        self.note_all(&set.warnings);
        let set = Arc::new(set);
        *self.state.borrow_mut() = Some((set.clone(), true));
        Ok(Some(set))
    }
}
