//! The rendered letters of this process, kept in memory by slug. A letter is rendered once
//! per revision; a copy is rechecked against the database at most once every
//! `RECHECK_AFTER` (one cheap indexed query, by one request while the others are served the
//! copy), so a revision made by any instance reaches every instance within about a second.
//! The copies kept are bounded by `MAX_BYTES`: past it, the letters read least recently are
//! dropped (and rendered again if someone asks for them).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::{Duration, Instant};

use actix_web::web;

use super::render::{Languages, render_all};
use super::variants::Rendered;
use super::{is_slug, not_published};
use crate::app::{AppError, Context};
use crate::app::{coordinating, letters, release};
use crate::db::translations::Translation;
use crate::domain::{LanguageTag, LetterId};
use crate::web::{PageError, WebError};

/// How long a rendered letter is served before the database is asked for a newer revision.
const RECHECK_AFTER: Duration = Duration::from_secs(1);

/// How many bytes of rendered letters one process keeps. A letter of 100 signatories holds
/// about 0.1 MB in every form and encoding, one of 10,000 about 6 MB (docs/BENCHMARKS.md,
/// "Growth"): a few hundred ordinary letters, or the ten largest, whatever a crawler asks for.
const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Milliseconds since this process started: a clock that fits in an atomic.
fn uptime_ms() -> u64 {
    static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);
    STARTED.elapsed().as_millis() as u64
}

/// A rendered letter and when it was last known to be the newest revision. Lock-free on the
/// hot path: two atomic reads per request.
struct Cached {
    rendered: Arc<Rendered>,
    checked_at_ms: AtomicU64,
    checking: AtomicBool,
    /// When a request last read it: the least recent is dropped first.
    read_at_ms: AtomicU64,
}

impl Cached {
    fn new(rendered: Arc<Rendered>) -> Self {
        Self {
            rendered,
            checked_at_ms: AtomicU64::new(uptime_ms()),
            checking: AtomicBool::new(false),
            read_at_ms: AtomicU64::new(uptime_ms()),
        }
    }

    /// True for exactly one caller once the copy is due for a check; the others go on serving.
    fn claim_check(&self) -> bool {
        let due = uptime_ms().saturating_sub(self.checked_at_ms.load(Ordering::Relaxed))
            >= RECHECK_AFTER.as_millis() as u64;
        due && !self.checking.swap(true, Ordering::AcqRel)
    }

    fn checked(&self) {
        self.checked_at_ms.store(uptime_ms(), Ordering::Relaxed);
        self.checking.store(false, Ordering::Release);
    }
}

/// The rendered letters of this process, by slug.
#[derive(Default)]
pub struct PublicCache {
    letters: RwLock<HashMap<String, Arc<Cached>>>,
    /// Held while a letter is rendered, so that the first burst of readers (a release at an
    /// embargo time) renders it once, not once per request.
    rendering: tokio::sync::Mutex<()>,
}

impl PublicCache {
    fn get(&self, slug: &str) -> Option<Arc<Cached>> {
        let cached = self
            .letters
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(slug)
            .cloned();
        if let Some(cached) = &cached {
            cached.read_at_ms.store(uptime_ms(), Ordering::Relaxed);
        }
        cached
    }

    /// Keeps a newly rendered letter, then drops the letters read least recently while the
    /// copies hold more than `MAX_BYTES` (never the one just kept).
    fn keep(&self, slug: &str, rendered: Arc<Rendered>) {
        let mut letters = self.letters.write().unwrap_or_else(|e| e.into_inner());
        letters.insert(slug.to_string(), Arc::new(Cached::new(rendered)));
        let held: Vec<Held> = letters
            .iter()
            .filter(|(kept, _)| kept.as_str() != slug)
            .map(|(kept, cached)| Held {
                slug: kept.clone(),
                bytes: cached.rendered.bytes(),
                read_at_ms: cached.read_at_ms.load(Ordering::Relaxed),
            })
            .collect();
        let newest = letters.get(slug).map_or(0, |c| c.rendered.bytes());
        for dropped in least_recently_read_over(held, MAX_BYTES.saturating_sub(newest)) {
            letters.remove(&dropped);
        }
    }
}

/// A letter in memory, as the budget sees it.
struct Held {
    slug: String,
    bytes: usize,
    read_at_ms: u64,
}

/// The slugs to drop so that the rest hold at most `budget` bytes: letters are kept from the
/// most recently read down while they fit; the others go.
fn least_recently_read_over(mut held: Vec<Held>, budget: usize) -> Vec<String> {
    held.sort_by_key(|h| std::cmp::Reverse(h.read_at_ms));
    let mut kept = 0usize;
    held.into_iter()
        .filter(|h| {
            let fits = kept.saturating_add(h.bytes) <= budget;
            if fits {
                kept += h.bytes;
            }
            !fits
        })
        .map(|h| h.slug)
        .collect()
}

/// The rendered letter with this slug, from memory (rechecked for a newer revision now and
/// then), or rendered now from its revisions and kept.
///
/// Errors: 404 for a slug that is not a released letter; 500 when rendering fails or the
/// database does not answer and no copy is in memory (with a copy, the copy is served).
pub(super) async fn rendered(
    ctx: &Context,
    cache: &PublicCache,
    slug: &str,
) -> Result<Arc<Rendered>, PageError> {
    if !is_slug(slug) {
        return Err(not_published());
    }
    let cached = cache.get(slug);
    if let Some(cached) = &cached {
        if !cached.claim_check() {
            return Ok(cached.rendered.clone());
        }
        let (lookup, context) = (slug.to_string(), ctx.clone());
        let latest = ctx
            .db
            .run(move |conn| {
                let revision = release::latest_revision(conn, &lookup)?;
                let asking = coordinating::current(conn, &context.settings.organization)?;
                Ok::<_, AppError>((revision, asking))
            })
            .await;
        if let Ok((Some(revision), asking)) = latest
            && revision == cached.rendered.revision
            && asking == cached.rendered.asking
        {
            cached.checked();
            return Ok(cached.rendered.clone());
        }
        cached.checked();
    }
    let _rendering = cache.rendering.lock().await;
    // Another request may have rendered it while this one waited.
    if let Some(fresh) = cache.get(slug)
        && !cached.as_ref().is_some_and(|c| Arc::ptr_eq(c, &fresh))
    {
        return Ok(fresh.rendered.clone());
    }
    let (lookup, context) = (slug.to_string(), ctx.clone());
    let (published, markdown, heading, asking, language, translations) = match ctx
        .db
        .run(move |conn| {
            let asking = coordinating::current(conn, &context.settings.organization)?;
            let published = release::published(conn, &lookup)?;
            // The release keeps the text as HTML; the plain text is made from the Markdown of
            // the version it released, the one its SHA-256 covers.
            let original = published.original();
            let markdown = letters::versions(conn, &original.letter_id)?
                .into_iter()
                .find(|v| {
                    v.version == original.version && v.content_sha256 == original.content_sha256
                })
                .map(|v| v.body_markdown)
                .ok_or_else(|| {
                    AppError::Corrupt(format!(
                        "release {} names version {} of its letter, which is not stored with \
                         the released text's SHA-256",
                        original.id, original.version
                    ))
                })?;
            // The heading of the individuals is the letter's, as its coordinators set it.
            let letter = letters::get_letter(conn, &LetterId::from(original.letter_id.as_str()))?;
            let heading = release::individuals_heading(&letter.letter).to_string();
            // Translations are locked once a letter is scheduled: those offered are published.
            let translations: Vec<Translation> = letters::offered_translations(conn, &letter)?
                .into_iter()
                .map(|t| t.translation)
                .collect();
            let language = LanguageTag::from_stored(&letter.letter.language);
            Ok::<_, AppError>((published, markdown, heading, asking, language, translations))
        })
        .await
    {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return Err(not_published()),
        // The database did not answer: the copy in memory is better than an error page.
        Err(other) => {
            return match cached {
                Some(cached) => Ok(cached.rendered.clone()),
                None => Err(other.into()),
            };
        }
    };
    // Rendering (the page and its compression) takes a while: off the async workers.
    let (context, name) = (ctx.clone(), slug.to_string());
    let rendered = web::block(move || {
        let languages = Languages {
            authoritative: language,
            translations: &translations,
        };
        render_all(
            &context, &name, &published, &markdown, &heading, asking, languages,
        )
    })
    .await
    .map_err(WebError::internal)??;
    let rendered = Arc::new(rendered);
    cache.keep(slug, rendered.clone());
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(slug: &str, bytes: usize, read_at_ms: u64) -> Held {
        Held {
            slug: slug.into(),
            bytes,
            read_at_ms,
        }
    }

    #[test]
    fn the_least_recently_read_letters_go_first_once_over_budget() {
        let letters = vec![
            held("old", 40, 1),
            held("recent", 40, 9),
            held("middle", 40, 5),
        ];
        assert_eq!(least_recently_read_over(letters, 100), vec!["old"]);
        let letters = vec![held("a", 10, 1), held("b", 10, 2)];
        assert!(least_recently_read_over(letters, 100).is_empty());
        // A letter too large for what is left goes; older small ones that fit stay.
        let letters = vec![held("a", 10, 1), held("b", 10, 2), held("huge", 500, 3)];
        assert_eq!(least_recently_read_over(letters, 100), vec!["huge"]);
    }
}
