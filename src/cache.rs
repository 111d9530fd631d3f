//! The disk cache of discovery and JWKS documents: one file per URL (named by
//! the SHA-256 of the URL), holding the body, its fetch time and max-age.
//! Writes are atomic (temp file + rename) and private to the user (0600 in a
//! 0700 directory). A corrupt or unreadable entry is a miss, never a crash.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// `Cache-Control: max-age` is clamped to [60 s, 24 h]; 15 min when absent.
pub fn clamp_max_age(max_age: Option<u64>) -> u64 {
    max_age.map_or(900, |v| v.clamp(60, 86_400))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read fresh entries, write new fetches.
    Normal,
    /// `--no-cache`: neither read nor write.
    Off,
    /// `--offline`: read any entry, never fetch.
    Offline,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub url: String,
    pub fetched_at: i64,
    pub max_age: u64,
    pub body: String,
}

impl Entry {
    pub fn is_fresh(&self, now: i64) -> bool {
        now >= self.fetched_at && now - self.fetched_at < self.max_age as i64
    }
    pub fn age(&self, now: i64) -> u64 {
        now.saturating_sub(self.fetched_at).max(0) as u64
    }
}

#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
    pub mode: Mode,
}

/// `$XDG_CACHE_HOME/oidcat`, else `~/.cache/oidcat`.
pub fn default_dir() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|s| s.cache_dir().join("oidcat"))
}

impl Cache {
    pub fn new(dir: Option<PathBuf>, mode: Mode) -> Self {
        let dir = if mode == Mode::Off {
            None
        } else {
            dir.or_else(default_dir)
        };
        Cache { dir, mode }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn path(&self, url: &str) -> Option<PathBuf> {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, url.as_bytes());
        let name: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.as_ref().map(|d| d.join(format!("{name}.json")))
    }

    /// The entry for `url`, fresh or not; `None` on a miss or a corrupt file.
    pub fn get(&self, url: &str) -> Option<Entry> {
        if self.mode == Mode::Off {
            return None;
        }
        let path = self.path(url)?;
        let bytes = crate::input::read_bounded(&path, 2 * crate::http::MAX_BODY).ok()??;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.url == url).then_some(entry)
    }

    /// Stores a document. Failures are reported, never fatal: a cache is an optimisation.
    pub fn put(&self, url: &str, body: &[u8], max_age: u64, now: i64) -> Result<(), String> {
        if self.mode != Mode::Normal {
            return Ok(());
        }
        let (Some(dir), Some(path)) = (self.dir.as_ref(), self.path(url)) else {
            return Ok(());
        };
        let entry = Entry {
            url: url.to_string(),
            fetched_at: now,
            max_age,
            body: String::from_utf8_lossy(body).into_owned(),
        };
        create_private_dir(dir).map_err(|e| format!("cache dir {}: {e}", dir.display()))?;
        let json = serde_json::to_vec(&entry).map_err(|e| e.to_string())?;
        // NamedTempFile is created 0600 in the same directory, so the rename is atomic.
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| format!("cache write in {}: {e}", dir.display()))?;
        std::io::Write::write_all(&mut tmp, &json).map_err(|e| format!("cache write: {e}"))?;
        tmp.persist(&path)
            .map_err(|e| format!("cache write {}: {e}", path.display()))?;
        Ok(())
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_freshness_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::new(Some(dir.path().join("c")), Mode::Normal);
        assert!(c.get("https://a/").is_none());
        c.put("https://a/", b"{\"k\":1}", 60, 1000).unwrap();
        let e = c.get("https://a/").unwrap();
        assert_eq!(e.body, "{\"k\":1}");
        assert!(e.is_fresh(1059));
        assert!(!e.is_fresh(1060));
        assert!(c.get("https://b/").is_none());
        let path = c.path("https://a/").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
            assert_eq!(
                std::fs::metadata(dir.path().join("c"))
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777,
                0o700
            );
        }
        std::fs::write(&path, b"{truncated").unwrap();
        assert!(c.get("https://a/").is_none());
    }

    #[test]
    fn clamps() {
        assert_eq!(clamp_max_age(None), 900);
        assert_eq!(clamp_max_age(Some(0)), 60);
        assert_eq!(clamp_max_age(Some(10_000_000)), 86_400);
        assert_eq!(clamp_max_age(Some(3600)), 3600);
    }
}
