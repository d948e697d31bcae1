//! What every handler can reach: the store, the configuration, the login
//! limiter, and caches of what never changes once written (parsed framework
//! versions) or may be a moment stale (the framework list, a setting).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ladder_store::{FrameworkSummary, Store, StoredFramework, VersionInfo};

use super::config::ServerConfig;
use super::limits::LoginLimiter;

/// The settings key of whether anonymous visitors may browse frameworks:
/// `"true"` or `"false"`; absent means public.
pub(crate) const PUBLIC_BROWSING: &str = "public_browsing";
/// How long an instance trusts its copy of the public-browsing setting; other
/// instances' changes show within this time.
const SETTING_TTL: Duration = Duration::from_secs(2);
const CACHED_FRAMEWORKS: usize = 256;
/// How long an instance reuses its copy of the framework list (the sidebar);
/// imports on other instances show within this time.
const LIST_TTL: Duration = Duration::from_secs(1);

type History = Arc<Vec<VersionInfo>>;

struct Inner {
    store: Arc<dyn Store>,
    config: ServerConfig,
    limiter: LoginLimiter,
    started: Instant,
    public_browsing: AtomicBool,
    public_browsing_read_at: AtomicU64,
    /// Parsed framework versions. A version never changes once written, so
    /// entries never go stale; the map is only bounded.
    frameworks: Mutex<HashMap<(String, u32), Arc<StoredFramework>>>,
    list: Mutex<Option<(Instant, Arc<Vec<FrameworkSummary>>)>>,
    /// Version histories keyed by (slug, current version): a history only
    /// grows by adding a version, which changes the key.
    histories: Mutex<HashMap<(String, u32), History>>,
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: ServerConfig) -> AppState {
        let limiter = LoginLimiter::new(&config);
        AppState(Arc::new(Inner {
            store,
            config,
            limiter,
            started: Instant::now(),
            public_browsing: AtomicBool::new(true),
            public_browsing_read_at: AtomicU64::new(0),
            frameworks: Mutex::new(HashMap::new()),
            list: Mutex::new(None),
            histories: Mutex::new(HashMap::new()),
        }))
    }

    pub fn store(&self) -> &dyn Store {
        self.0.store.as_ref()
    }

    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    pub fn llm(&self) -> Option<&crate::clients::llm::LlmConfig> {
        self.0.config.llm.as_ref()
    }

    pub fn stt(&self) -> Option<&crate::clients::stt::SttConfig> {
        self.0.config.stt.as_ref()
    }

    pub fn limiter(&self) -> &LoginLimiter {
        &self.0.limiter
    }

    fn elapsed_millis(&self) -> u64 {
        u64::try_from(self.0.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether anonymous visitors may browse frameworks (default: yes).
    pub async fn public_browsing(&self) -> bool {
        let now = self.elapsed_millis() + 1;
        let read_at = self.0.public_browsing_read_at.load(Ordering::Relaxed);
        if read_at != 0 && now.saturating_sub(read_at) < SETTING_TTL.as_millis() as u64 {
            return self.0.public_browsing.load(Ordering::Relaxed);
        }
        let value = match self.store().setting(PUBLIC_BROWSING).await {
            Ok(Some(value)) => value == "true",
            Ok(None) => true,
            // Unreadable settings fail closed.
            Err(_) => false,
        };
        self.0.public_browsing.store(value, Ordering::Relaxed);
        self.0.public_browsing_read_at.store(now, Ordering::Relaxed);
        value
    }

    pub fn forget_public_browsing(&self) {
        self.0.public_browsing_read_at.store(0, Ordering::Relaxed);
    }

    /// The current version of a framework, or the given one, parsed once per
    /// version per process.
    pub async fn framework(
        &self,
        slug: &str,
        version: Option<u32>,
    ) -> ladder_store::Result<Option<Arc<StoredFramework>>> {
        let version = match version {
            Some(version) => Some(version),
            None => match self.store().current_version(slug).await? {
                Some(current) => Some(current),
                None => return Ok(None),
            },
        };
        if let Some(found) = version.and_then(|version| self.cached(slug, version)) {
            return Ok(Some(found));
        }
        let Some(stored) = self.store().framework(slug, version).await? else {
            return Ok(None);
        };
        let stored = Arc::new(stored);
        let mut cache = self
            .0
            .frameworks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.len() >= CACHED_FRAMEWORKS {
            cache.clear();
        }
        cache.insert((slug.to_string(), stored.version), Arc::clone(&stored));
        Ok(Some(stored))
    }

    /// The framework list, shared by every page's sidebar.
    pub async fn framework_list(&self) -> ladder_store::Result<Arc<Vec<FrameworkSummary>>> {
        {
            let list = self
                .0
                .list
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some((at, list)) = list.as_ref() {
                if at.elapsed() < LIST_TTL {
                    return Ok(Arc::clone(list));
                }
            }
        }
        let fresh = Arc::new(self.store().list_frameworks().await?);
        *self
            .0
            .list
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Some((Instant::now(), Arc::clone(&fresh)));
        Ok(fresh)
    }

    /// Forgets the cached framework list (after an import on this instance).
    pub fn forget_framework_list(&self) {
        *self
            .0
            .list
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    /// A framework's version history, newest first.
    pub async fn framework_history(
        &self,
        slug: &str,
        current: u32,
    ) -> ladder_store::Result<Arc<Vec<VersionInfo>>> {
        let key = (slug.to_string(), current);
        if let Some(found) = self
            .0
            .histories
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&key)
        {
            return Ok(Arc::clone(found));
        }
        let history = Arc::new(self.store().framework_versions(slug).await?);
        let mut histories = self
            .0
            .histories
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if histories.len() >= CACHED_FRAMEWORKS {
            histories.clear();
        }
        histories.insert(key, Arc::clone(&history));
        Ok(history)
    }

    fn cached(&self, slug: &str, version: u32) -> Option<Arc<StoredFramework>> {
        let cache = self
            .0
            .frameworks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.get(&(slug.to_string(), version)).cloned()
    }
}
