use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ladder_store::{Store, StoredFramework};

use crate::auth::LoginLimiter;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Mark cookies `Secure` even without `X-Forwarded-Proto: https`.
    pub secure_cookies: bool,
    pub request_timeout: Duration,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Failed logins allowed per client and per e-mail in `login_window`.
    pub login_attempts: usize,
    pub login_window: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            secure_cookies: false,
            request_timeout: crate::DEFAULT_TIMEOUT,
            body_limit: 8 * 1024 * 1024,
            login_attempts: 10,
            login_window: Duration::from_secs(15 * 60),
        }
    }
}

pub const PUBLIC_BROWSING: &str = "public_browsing";
/// How long an instance trusts its copy of the public-browsing setting; other
/// instances' changes show within this time.
const SETTING_TTL: Duration = Duration::from_secs(2);
const CACHED_FRAMEWORKS: usize = 256;

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
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: ServerConfig) -> AppState {
        crate::metrics::install();
        let limiter = LoginLimiter::new(config.login_attempts, config.login_window);
        AppState(Arc::new(Inner {
            store,
            config,
            limiter,
            started: Instant::now(),
            public_browsing: AtomicBool::new(true),
            public_browsing_read_at: AtomicU64::new(0),
            frameworks: Mutex::new(HashMap::new()),
        }))
    }

    pub fn store(&self) -> &dyn Store {
        self.0.store.as_ref()
    }

    pub fn config(&self) -> &ServerConfig {
        &self.0.config
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

    fn cached(&self, slug: &str, version: u32) -> Option<Arc<StoredFramework>> {
        let cache = self
            .0
            .frameworks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.get(&(slug.to_string(), version)).cloned()
    }
}
